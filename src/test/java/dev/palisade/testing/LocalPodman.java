package dev.palisade.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code podman} serving its Docker-compatible API ({@code podman system service}) on a unix
 * socket in a temporary directory, with its own storage there (the vfs driver: no overlay mounts
 * needed). Images are loaded with {@code podman load}, as a user would. Containers are never started.
 */
public final class LocalPodman implements AutoCloseable {
    private final Process process;
    private final Path directory;
    private final Map<String, String> environment;

    private LocalPodman(Process process, Path directory, Map<String, String> environment) {
        this.process = process;
        this.directory = directory;
        this.environment = environment;
    }

    public static LocalPodman start() throws Exception {
        Path directory = Files.createTempDirectory("palisade-podman-");
        Files.writeString(
                directory.resolve("storage.conf"),
                "[storage]\ndriver = \"vfs\"\nrunroot = \"" + directory.resolve("run") + "\"\ngraphroot = \""
                        + directory.resolve("graph") + "\"\n");
        Map<String, String> environment = new HashMap<>();
        environment.put(
                "CONTAINERS_STORAGE_CONF", directory.resolve("storage.conf").toString());
        environment.put(
                "TMPDIR", Files.createDirectories(directory.resolve("tmp")).toString());
        Path socket = Files.createDirectories(directory.resolve("podman")).resolve("podman.sock");
        ProcessBuilder builder;
        try {
            builder = new ProcessBuilder("podman", "system", "service", "--time=0", "unix://" + socket)
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("podman.log").toFile());
            builder.environment().putAll(environment);
        } catch (RuntimeException e) {
            throw new IllegalStateException("podman could not be started: " + e.getMessage(), e);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "podman is needed for this test (Debian package 'podman'): " + e.getMessage(), e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(socket)) {
                return new LocalPodman(process, directory, environment);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "podman system service exited: " + Files.readString(directory.resolve("podman.log")));
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("podman system service did not create " + socket);
    }

    /** The API socket. */
    public Path socket() {
        return directory.resolve("podman/podman.sock");
    }

    /** A directory where the socket is {@code podman/podman.sock}, as in {@code $XDG_RUNTIME_DIR}. */
    public Path runtimeDirectory() {
        return directory;
    }

    /** {@code podman load -i archive}: the image keeps the names the archive gives it. */
    public void load(Path archive) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of("podman", "load", "--quiet", "-i", archive.toString()))
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("podman load failed: " + output);
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }
}
