package dev.palisade.cli;

import dev.palisade.source.Artifact;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.image.ImageSources;
import dev.palisade.registry.ImageReference;
import dev.palisade.registry.RegistryBlobReader;
import dev.palisade.registry.RegistryClient;
import dev.palisade.registry.RegistryCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Inventory and vulnerabilities of a container image: a docker-archive tar (docker save), an OCI layout directory or an OCI archive.")
final class ImageCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "IMAGE",
            description = "Path to an image tar or OCI layout directory, or a registry reference (HOST[:PORT]/NAME[:TAG|@DIGEST], debian:12).")
    String image;

    @Option(names = "--username", paramLabel = "USER", description = "Registry user name (the password is read from stdin with --password-stdin).")
    String username;

    @Option(names = "--password-stdin", description = "Read the registry password from standard input.")
    boolean passwordStdin;

    @Option(names = "--insecure", description = "Talk to the registry over plain HTTP.")
    boolean insecure;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Which image of a multi-platform index to scan (default: the host's, linux/amd64 here).")
    String platform;

    ImageCommand(Environment environment) {
        super(environment);
    }

    @Override
    Artifact open(ScanLimits limits) throws SourceException {
        ImageSources.Platform wanted;
        try {
            wanted = platform == null ? ImageSources.Platform.host() : ImageSources.Platform.parse(platform);
        } catch (IllegalArgumentException e) {
            throw new SourceException(e.getMessage());
        }
        ImageSources sources = new ImageSources(limits, wanted);
        Path local = Paths.get(image);
        if (Files.exists(local)) {
            return sources.open(local);
        }
        ImageReference reference = ImageReference.parse(image).orElseThrow(() -> new SourceException(
                image + ": no such file, and not an image reference (HOST[:PORT]/NAME[:TAG|@DIGEST])"));
        RegistryCredentials credentials;
        try {
            credentials = credentials(reference);
        } catch (IOException e) {
            throw new SourceException("cannot read registry credentials: " + e.getMessage(), e);
        }
        RegistryClient client = new RegistryClient(reference, credentials, RegistryClient.Settings.defaults(insecure));
        return sources.openLayout(reference.toString(), new RegistryBlobReader(client, limits.maxMetadataBytes()));
    }

    private RegistryCredentials credentials(ImageReference reference) throws IOException {
        if (username != null) {
            if (!passwordStdin) {
                throw new IOException("--username needs --password-stdin (passwords are never taken on the command line)");
            }
            String password = new String(environment.in().readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8).strip();
            return new RegistryCredentials(username, password);
        }
        var fromEnv = RegistryCredentials.fromEnvironment(environment.variables());
        if (fromEnv.isPresent()) {
            return fromEnv.get();
        }
        String dockerConfig = environment.variables().getOrDefault("DOCKER_CONFIG",
                Paths.get(System.getProperty("user.home"), ".docker").toString());
        return RegistryCredentials.fromDockerConfig(Paths.get(dockerConfig, "config.json"), reference.registry()).orElse(null);
    }
}
