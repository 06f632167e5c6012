package dev.palisade.cli;

import dev.palisade.registry.ImageReference;
import dev.palisade.registry.RegistryClient;
import dev.palisade.registry.RegistryCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** How to reach a registry: credentials and transport. */
final class RegistryOptions {
    @Option(names = "--username", paramLabel = "USER", description = "Registry user name (the password is read from stdin with --password-stdin).")
    String username;

    @Option(names = "--password-stdin", description = "Read the registry password from standard input.")
    boolean passwordStdin;

    @Option(names = "--insecure", description = "Talk to the registry over plain HTTP.")
    boolean insecure;

    RegistryClient client(ImageReference reference, Environment environment) throws IOException {
        return new RegistryClient(reference, credentials(reference, environment), RegistryClient.Settings.defaults(insecure));
    }

    /** --username with --password-stdin, else the environment, else Docker's config.json. */
    @Nullable RegistryCredentials credentials(ImageReference reference, Environment environment) throws IOException {
        if (username != null) {
            if (!passwordStdin) {
                throw new IOException("--username needs --password-stdin (passwords are never taken on the command line)");
            }
            String password = new String(environment.in().readNBytes(64 * 1024), StandardCharsets.UTF_8).strip();
            return new RegistryCredentials(username, password);
        }
        Optional<RegistryCredentials> fromEnv = RegistryCredentials.fromEnvironment(environment.variables());
        if (fromEnv.isPresent()) {
            return fromEnv.get();
        }
        String dockerConfig = environment.variables().getOrDefault("DOCKER_CONFIG",
                Paths.get(System.getProperty("user.home"), ".docker").toString());
        return RegistryCredentials.fromDockerConfig(Paths.get(dockerConfig, "config.json"), reference.registry()).orElse(null);
    }
}
