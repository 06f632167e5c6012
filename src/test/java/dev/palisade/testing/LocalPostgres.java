package dev.palisade.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for tests, from Debian's {@code postgresql} package: {@code initdb} into a
 * temporary directory (as the {@code postgres} user when the tests run as root, which initdb refuses),
 * then {@code pg_ctl start} on a free port on 127.0.0.1 with password authentication. Register it as a
 * static field with {@code @RegisterExtension}; each test takes its own empty database from
 * {@link #newDatabase()}.
 */
public final class LocalPostgres implements BeforeAllCallback, AfterAllCallback {
    private static final String USER = "palisade";

    private final AtomicInteger databases = new AtomicInteger();
    private final String password = UUID.randomUUID().toString();
    private Path directory;
    private Path binaries;
    private int port;

    /** A connection string, user and password for one database. */
    public record Database(String jdbcUrl, String user, String password) {}

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        binaries = binaries();
        directory = Files.createTempDirectory("palisade-postgres-");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path passwordFile = directory.resolve("password");
        Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
        if (runningAsRoot()) {
            run("chown", "-R", "postgres:postgres", directory.toString());
        }
        Path data = directory.resolve("data");
        run(asServerUser(
                binaries.resolve("initdb").toString(),
                "--pgdata=" + data,
                "--username=" + USER,
                "--pwfile=" + passwordFile,
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8"));
        run(asServerUser(
                binaries.resolve("pg_ctl").toString(),
                "start",
                "--wait",
                "--timeout=60",
                "--pgdata=" + data,
                "--log=" + directory.resolve("server.log"),
                "--options=-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories=" + directory
                        + " -c fsync=off -c max_connections=100"));
    }

    /** A new, empty database on the server. */
    public Database newDatabase() throws SQLException {
        String name = "test_" + databases.incrementAndGet();
        try (Connection admin = DriverManager.getConnection(url("postgres"), USER, password);
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return new Database(url(name), USER, password);
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (directory == null) {
            return;
        }
        try {
            run(asServerUser(
                    binaries.resolve("pg_ctl").toString(),
                    "stop",
                    "--wait",
                    "--mode=immediate",
                    "--pgdata=" + directory.resolve("data")));
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The newest installed server's programs ({@code /usr/lib/postgresql/<major>/bin}). */
    private static Path binaries() throws IOException {
        Path installed = Paths.get("/usr/lib/postgresql");
        Optional<Path> newest = Optional.empty();
        if (Files.isDirectory(installed)) {
            try (Stream<Path> versions = Files.list(installed)) {
                newest = versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                        .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(
                                v -> Integer.parseInt(v.getFileName().toString())));
            }
        }
        return newest.map(v -> v.resolve("bin"))
                .orElseThrow(
                        () -> new IllegalStateException(
                                "no PostgreSQL server in /usr/lib/postgresql: install Debian's postgresql package (.ci/run does)"));
    }

    private static boolean runningAsRoot() throws IOException {
        Process id = new ProcessBuilder("id", "-u").start();
        return new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .trim()
                .equals("0");
    }

    private static String[] asServerUser(String... command) throws IOException {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full.toArray(String[]::new);
    }

    private void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            String log = Files.isRegularFile(directory.resolve("server.log"))
                    ? Files.readString(directory.resolve("server.log"))
                    : "";
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output + log);
        }
    }
}
