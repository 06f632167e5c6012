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
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server for tests: Debian's {@code /usr/sbin/sshd} on 127.0.0.1 on a free port, with
 * a host key and a client key made by {@code ssh-keygen} in a temporary directory, public key
 * authentication only, and SFTP served by {@code internal-sftp}. The client key may log in as the
 * user the tests run as (root, under CI).
 */
public final class LocalSshd implements AutoCloseable {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Process process;
    private final int port;
    private final Path directory;

    private LocalSshd(Process process, int port, Path directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    public static LocalSshd start() throws Exception {
        if (!Files.isExecutable(SSHD)) {
            throw new IllegalStateException(SSHD + " is missing: install Debian's openssh-server (apt-get install "
                    + "openssh-server) to run the remote host tests");
        }
        Path directory = Files.createTempDirectory("palisade-sshd-");
        keygen(directory.resolve("host_ed25519"), "ed25519", "");
        keygen(directory.resolve("client_ed25519"), "ed25519", "");
        Files.copy(directory.resolve("client_ed25519.pub"), directory.resolve("authorized_keys"));
        // sshd refuses to start without its privilege separation directory, which the service unit creates
        Files.createDirectories(Path.of("/run/sshd"));
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String config = String.join(
                "\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + directory.resolve("host_ed25519"),
                "AuthorizedKeysFile " + directory.resolve("authorized_keys"),
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PidFile " + directory.resolve("sshd.pid"),
                "Subsystem sftp internal-sftp",
                "LogLevel VERBOSE",
                "");
        Files.writeString(directory.resolve("sshd_config"), config, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(
                        SSHD.toString(),
                        "-D",
                        "-e",
                        "-f",
                        directory.resolve("sshd_config").toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("sshd.log").toFile())
                .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return new LocalSshd(process, port, directory);
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("sshd exited: " + Files.readString(directory.resolve("sshd.log")));
                }
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("sshd did not start on port " + port);
    }

    public int port() {
        return port;
    }

    /** {@code ssh://USER@127.0.0.1:PORT} for the user the tests run as. */
    public String address() {
        return "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + port;
    }

    /** The private key the server accepts. */
    public Path clientKey() {
        return directory.resolve("client_ed25519");
    }

    /** The server's host key, as a known_hosts line for {@code [127.0.0.1]:PORT}. */
    public String knownHostsLine() throws IOException {
        return "[127.0.0.1]:" + port + " "
                + Files.readString(directory.resolve("host_ed25519.pub")).strip();
    }

    /** A directory for the test's own files, removed with the server. */
    public Path directory() {
        return directory;
    }

    public String log() throws IOException {
        return Files.readString(directory.resolve("sshd.log"));
    }

    /** Makes a key pair with ssh-keygen: {@code file} and {@code file.pub}. */
    public static void keygen(Path file, String type, String passphrase) throws Exception {
        run("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "palisade-test", "-f", file.toString());
    }

    public static void run(String... command) throws Exception {
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
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
