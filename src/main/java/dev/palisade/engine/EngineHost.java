package dev.palisade.engine;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a container engine's API listens: a unix socket, or a plain TCP address.
 *
 * @param socket the unix socket, or null for TCP
 * @param host the TCP host (for a unix socket: a placeholder for the Host header)
 * @param port the TCP port, -1 for a unix socket
 */
public record EngineHost(@Nullable Path socket, String host, int port) {
    static final String DOCKER_DEFAULT = "unix:///var/run/docker.sock";
    static final String PODMAN_ROOTFUL = "/run/podman/podman.sock";

    public EngineHost {
        Objects.requireNonNull(host, "host");
    }

    /**
     * Docker's way of finding its daemon: {@code --docker-host}, else {@code $DOCKER_HOST}, else
     * {@code unix:///var/run/docker.sock}. Docker contexts are not read.
     */
    public static EngineHost docker(Map<String, String> variables, @Nullable String flag) throws EngineException {
        if (flag != null && !flag.isBlank()) {
            return parse(flag, "--docker-host");
        }
        String fromEnvironment = variables.get("DOCKER_HOST");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            if (variables.get("DOCKER_TLS_VERIFY") != null
                    && !variables.get("DOCKER_TLS_VERIFY").isEmpty()) {
                throw new EngineException(
                        EngineException.Reason.UNAVAILABLE,
                        "DOCKER_TLS_VERIFY is set: TLS to the Docker daemon is not supported (use its unix socket)");
            }
            return parse(fromEnvironment, "DOCKER_HOST");
        }
        return parse(DOCKER_DEFAULT, "the default");
    }

    /**
     * Podman's API socket: {@code --podman-host}, else {@code $XDG_RUNTIME_DIR/podman/podman.sock} (rootless
     * Podman; where Trivy looks), else {@code /run/podman/podman.sock} (rootful Podman), the first that exists.
     */
    public static EngineHost podman(Map<String, String> variables, @Nullable String flag) throws EngineException {
        if (flag != null && !flag.isBlank()) {
            return parse(flag, "--podman-host");
        }
        List<Path> candidates = new ArrayList<>();
        String runtime = variables.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            candidates.add(Path.of(runtime, "podman", "podman.sock"));
        }
        candidates.add(Path.of(PODMAN_ROOTFUL));
        for (Path candidate : candidates) {
            if (Files.exists(candidate)) {
                return new EngineHost(candidate, "podman", -1);
            }
        }
        throw new EngineException(
                EngineException.Reason.UNAVAILABLE,
                "no Podman socket at "
                        + String.join(
                                " or ", candidates.stream().map(Path::toString).toList())
                        + " (start it with 'podman system service', or name it with --podman-host)");
    }

    /** {@code unix:///path}, a bare {@code /path}, {@code tcp://host:port} or {@code http://host:port}. */
    static EngineHost parse(String text, String where) throws EngineException {
        String value = text.strip();
        if (value.startsWith("/")) {
            return new EngineHost(Path.of(value), "docker", -1);
        }
        if (value.startsWith("unix://")) {
            String path = value.substring("unix://".length());
            if (!path.startsWith("/")) {
                throw unsupported(value, where, "a unix socket needs an absolute path (unix:///var/run/docker.sock)");
            }
            return new EngineHost(Path.of(path), "docker", -1);
        }
        if (value.startsWith("tcp://") || value.startsWith("http://")) {
            URI uri;
            try {
                uri = URI.create("http://" + value.substring(value.indexOf("://") + 3));
            } catch (IllegalArgumentException e) {
                throw unsupported(value, where, "not a host:port");
            }
            if (uri.getHost() == null) {
                throw unsupported(value, where, "not a host:port");
            }
            return new EngineHost(null, uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort());
        }
        throw unsupported(
                value,
                where,
                "Palisade reaches engines through unix://PATH or tcp://HOST:PORT (not ssh, npipe or TLS)");
    }

    private static EngineException unsupported(String value, String where, String why) {
        return new EngineException(EngineException.Reason.UNAVAILABLE, where + " '" + value + "': " + why);
    }

    @Override
    public String toString() {
        return socket != null ? "unix://" + socket : "tcp://" + host + ":" + port;
    }
}
