package dev.palisade.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.source.image.ImageReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A user name and secret for one registry, and where they come from: given explicitly, from
 * environment variables, or from Docker's {@code config.json} ({@code auths}, {@code credHelpers},
 * {@code credsStore}, which run the user's own {@code docker-credential-*} helper). The secret is
 * never printed; {@link #toString()} hides it.
 */
public record RegistryCredentials(String username, String secret) {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String toString() {
        return "RegistryCredentials[" + username + ", ****]";
    }

    public String basicHeader() {
        return "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** The credentials for {@code registry}, looked up in Docker's config file. */
    public static Optional<RegistryCredentials> fromDockerConfig(Path config, String registry) throws IOException {
        if (!Files.isRegularFile(config)) {
            return Optional.empty();
        }
        JsonNode root = JSON.readTree(config.toFile());
        List<String> keys = registry.equals(ImageReference.DOCKER_HUB)
                ? List.of("https://index.docker.io/v1/", "index.docker.io", "docker.io", registry)
                : List.of(registry, "https://" + registry, "http://" + registry);
        for (String key : keys) {
            String helper = root.path("credHelpers").path(key).asText("");
            if (!helper.isEmpty()) {
                return fromHelper(helper, key);
            }
        }
        for (String key : keys) {
            JsonNode entry = root.path("auths").path(key);
            String auth = entry.path("auth").asText("");
            if (!auth.isEmpty()) {
                String decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    return Optional.of(
                            new RegistryCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
                }
            }
            if (entry.isObject() && !root.path("credsStore").asText("").isEmpty()) {
                return fromHelper(root.path("credsStore").asText(), key);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code docker-credential-HELPER get} with the server on stdin, as the Docker CLI does. */
    static Optional<RegistryCredentials> fromHelper(String helper, String server) throws IOException {
        if (!helper.matches("[A-Za-z0-9._-]+")) {
            throw new IOException("credential helper name '" + helper + "' is not a plain name; not run");
        }
        Process process = new ProcessBuilder("docker-credential-" + helper, "get")
                .redirectErrorStream(false)
                .start();
        try {
            process.getOutputStream().write(server.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readNBytes(64 * 1024);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            JsonNode answer = JSON.readTree(out);
            String user = answer.path("Username").asText("");
            String secret = answer.path("Secret").asText("");
            return secret.isEmpty() ? Optional.empty() : Optional.of(new RegistryCredentials(user, secret));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking docker-credential-" + helper, e);
        } finally {
            process.destroy();
        }
    }

    /** {@code PALISADE_REGISTRY_USERNAME} and {@code PALISADE_REGISTRY_PASSWORD}. */
    public static Optional<RegistryCredentials> fromEnvironment(Map<String, String> env) {
        String user = env.get("PALISADE_REGISTRY_USERNAME");
        String password = env.get("PALISADE_REGISTRY_PASSWORD");
        return user != null && password != null
                ? Optional.of(new RegistryCredentials(user, password))
                : Optional.empty();
    }
}
