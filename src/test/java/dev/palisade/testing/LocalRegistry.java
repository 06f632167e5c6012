package dev.palisade.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A real registry for tests: Debian's {@code docker-registry} (the CNCF Distribution registry) started
 * on 127.0.0.1 on a free port, with its storage in a temporary directory, optionally behind htpasswd
 * basic authentication. Images are pushed with {@code skopeo}, as a user would.
 */
public final class LocalRegistry implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path directory;
    private final @Nullable String user;
    private final @Nullable String password;

    private LocalRegistry(Process process, int port, Path directory, @Nullable String user, @Nullable String password) {
        this.process = process;
        this.port = port;
        this.directory = directory;
        this.user = user;
        this.password = password;
    }

    public static LocalRegistry start(@Nullable String user, @Nullable String password) throws Exception {
        return start(user, password, false);
    }

    /** @param tls serve HTTPS with a self-signed certificate for 127.0.0.1 */
    public static LocalRegistry start(@Nullable String user, @Nullable String password, boolean tls) throws Exception {
        Path directory = Files.createTempDirectory("palisade-registry-");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        StringBuilder config = new StringBuilder()
                .append("version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ")
                .append(directory.resolve("data"))
                .append("\nhttp:\n  addr: 127.0.0.1:")
                .append(port)
                .append('\n');
        if (tls) {
            run(
                    directory,
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=127.0.0.1",
                    "-addext",
                    "subjectAltName=IP:127.0.0.1",
                    "-keyout",
                    directory.resolve("key.pem").toString(),
                    "-out",
                    directory.resolve("cert.pem").toString());
            config.append("  tls:\n    certificate: ")
                    .append(directory.resolve("cert.pem"))
                    .append("\n    key: ")
                    .append(directory.resolve("key.pem"))
                    .append('\n');
        }
        if (user != null) {
            run(directory, "htpasswd", "-Bbc", directory.resolve("htpasswd").toString(), user, password);
            config.append("auth:\n  htpasswd:\n    realm: palisade-test\n    path: ")
                    .append(directory.resolve("htpasswd"))
                    .append('\n');
        }
        Files.writeString(directory.resolve("config.yml"), config.toString(), StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(
                        "docker-registry",
                        "serve",
                        directory.resolve("config.yml").toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("registry.log").toFile())
                .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return new LocalRegistry(process, port, directory, user, password);
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "docker-registry exited: " + Files.readString(directory.resolve("registry.log")));
                }
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("docker-registry did not start on port " + port);
    }

    public String host() {
        return "127.0.0.1:" + port;
    }

    /** Pushes a docker-archive tar to {@code host()/repository:tag} with skopeo. */
    public void push(Path dockerArchive, String repositoryAndTag) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false"));
        // skopeo tries HTTPS first and falls back to HTTP only for registries marked insecure, which
        // --dest-tls-verify=false does
        if (user != null) {
            command.add("--dest-creds=" + user + ":" + password);
        }
        command.add("docker-archive:" + dockerArchive);
        command.add("docker://" + host() + "/" + repositoryAndTag);
        run(directory, command.toArray(String[]::new));
    }

    private static void run(Path directory, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
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
