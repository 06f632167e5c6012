package dev.palisade.cli;

import dev.palisade.scan.RegistryAccess;
import dev.palisade.scan.ScanTarget;
import dev.palisade.source.SourceException;
import dev.palisade.source.image.ImageReference;
import dev.palisade.source.image.ImageSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "image",
        mixinStandardHelpOptions = true,
        description =
                "Inventory and vulnerabilities of a container image: a docker-archive tar (docker save), an OCI layout directory or an OCI archive.")
final class ImageCommand extends ScanCommand {
    @Parameters(
            index = "0",
            paramLabel = "IMAGE",
            description =
                    "Path to an image tar or OCI layout directory, or a registry reference (HOST[:PORT]/NAME[:TAG|@DIGEST], debian:12).")
    String image;

    @Mixin
    RegistryOptions registry;

    @Option(
            names = "--platform",
            paramLabel = "OS/ARCH[/VARIANT]",
            description = "Which image of a multi-platform index to scan (default: the host's, linux/amd64 here).")
    String platform;

    ImageCommand(Environment environment) {
        super(environment);
    }

    @Override
    ScanTarget target() throws SourceException {
        ImageSources.Platform wanted;
        try {
            wanted = platform == null
                    ? ImageSources.Platform.linux(System.getProperty("os.arch", "amd64"))
                    : ImageSources.Platform.parse(platform);
        } catch (IllegalArgumentException e) {
            throw new SourceException(String.valueOf(e.getMessage()));
        }
        Path local = Paths.get(image);
        if (Files.exists(local)) {
            return new ScanTarget.ImageArchive(local, wanted);
        }
        ImageReference reference = ImageReference.parse(image)
                .orElseThrow(() -> new SourceException(
                        image + ": no such file, and not an image reference (HOST[:PORT]/NAME[:TAG|@DIGEST])"));
        return new ScanTarget.RegistryImage(reference, wanted);
    }

    @Override
    RegistryAccess registryAccess() {
        return database.offline ? RegistryAccess.offline() : reference -> registry.client(reference, environment);
    }
}
