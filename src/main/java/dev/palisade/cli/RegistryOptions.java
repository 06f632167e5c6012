package dev.palisade.cli;

import dev.palisade.registry.RegistryClient;
import dev.palisade.registry.RegistryCredentials;
import dev.palisade.source.image.ImageReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** How to reach a registry: credentials and transport. */
final class RegistryOptions {
    @Option(
            names = "--username",
            paramLabel = "USER",
            description = "Registry user name (the password is read from stdin with --password-stdin).")
    String username;

    @Option(names = "--password-stdin", description = "Read the registry password from standard input.")
    boolean passwordStdin;

    @Option(names = "--insecure", description = "Accept a self-signed registry certificate, or plain HTTP.")
    boolean insecure;

    @Option(
            names = "--registry-timeout",
            paramLabel = "DURATION",
            defaultValue = "10m",
            description = "Longest one registry request may take, a whole layer included (default: ${DEFAULT-VALUE}).")
    String requestTimeout;

    @Option(
            names = "--registry-retries",
            paramLabel = "N",
            defaultValue = "3",
            description = "Retries after 429, 5xx or a failed connection, with backoff (default: ${DEFAULT-VALUE}).")
    int retries;

    RegistryClient client(ImageReference reference, Environment environment) throws IOException {
        RegistryClient.Settings defaults = RegistryClient.Settings.defaults(insecure);
        RegistryClient.Settings settings;
        try {
            settings = new RegistryClient.Settings(
                    insecure,
                    defaults.connectTimeout(),
                    ScanCommand.parseDuration(requestTimeout),
                    Math.max(0, Math.min(retries, 10)),
                    defaults.maxRedirects());
        } catch (IllegalArgumentException e) {
            throw new IOException("--registry-timeout: " + e.getMessage());
        }
        return new RegistryClient(reference, credentials(reference, environment), settings);
    }

    /** --username with --password-stdin, else the environment, else Docker's config.json. */
    @Nullable
    RegistryCredentials credentials(ImageReference reference, Environment environment) throws IOException {
        if (username != null) {
            if (!passwordStdin) {
                throw new IOException(
                        "--username needs --password-stdin (passwords are never taken on the command line)");
            }
            String password = new String(environment.in().readNBytes(64 * 1024), StandardCharsets.UTF_8).strip();
            return new RegistryCredentials(username, password);
        }
        Optional<RegistryCredentials> fromEnv = RegistryCredentials.fromEnvironment(environment.variables());
        if (fromEnv.isPresent()) {
            return fromEnv.get();
        }
        String dockerConfig = environment
                .variables()
                .getOrDefault(
                        "DOCKER_CONFIG",
                        Paths.get(System.getProperty("user.home"), ".docker").toString());
        return RegistryCredentials.fromDockerConfig(Paths.get(dockerConfig, "config.json"), reference.registry())
                .orElse(null);
    }
}
