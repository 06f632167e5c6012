package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.palisade.testing.JsonReports;
import dev.palisade.testing.Scans;
import dev.palisade.vulndb.Advisory;
import dev.palisade.vulndb.GeneratedMirror;
import dev.palisade.vulndb.HttpMirror;
import dev.palisade.vulndb.sqlite.SqliteVulnerabilityStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two scans starting on an empty cache: the second waits for the first one's database instead of failing. */
class ConcurrentFirstScanTest {
    @TempDir
    Path tmp;

    /** An OSV export of one advisory ("TEST-" and the ecosystem) for a package "pkg" in each ecosystem; the KEV file. */
    static Path mirror(Path directory) throws Exception {
        for (String ecosystem : HttpMirror.DEFAULT_ECOSYSTEMS) {
            GeneratedMirror.writeSource(
                    directory,
                    ecosystem,
                    List.of(GeneratedMirror.advisory("TEST-" + ecosystem.replace(' ', '-'), ecosystem, "pkg")));
        }
        return GeneratedMirror.writeKevBeside(directory, "CVE-2021-44228");
    }

    @Test
    void shouldLetTheSecondFirstScanWaitForTheFirstOnesDatabase() throws Exception {
        Path files = tmp.resolve("export");
        Path kev = mirror(files);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try {
                release.await(60, TimeUnit.SECONDS); // holds the first build until the other scan is waiting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Path file = files.resolve(exchange.getRequestURI().getPath().substring(1));
            if (!Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] bytes = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        ByteArrayOutputStream[] errs = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
        try {
            List<CompletableFuture<List<String>>> scans = new java.util.ArrayList<>();
            for (ByteArrayOutputStream err : errs) {
                DatabaseOptions options = new DatabaseOptions();
                options.cacheDir = tmp.resolve("cache");
                options.dbMirror = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
                options.kevSource = kev.toString();
                options.maxAge = "24h";
                Environment environment = new Environment(
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        new ByteArrayInputStream(new byte[0]),
                        Map.of(),
                        Scans.FIXED,
                        false);
                scans.add(CompletableFuture.supplyAsync(() -> {
                    try (SqliteVulnerabilityStore store =
                            new VulnerabilityDatabases(options, environment, m -> {}).openForScan(true)) {
                        return store.advisories("Maven", "pkg").stream()
                                .map(Advisory::id)
                                .toList();
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && java.util.Arrays.stream(errs).noneMatch(e -> waiting(e))) {
                Thread.sleep(50);
            }
            boolean oneWaited = java.util.Arrays.stream(errs).anyMatch(e -> waiting(e));
            release.countDown();

            assertThat(oneWaited)
                    .as("one scan says it waits for the other: %s / %s", errs[0], errs[1])
                    .isTrue();
            for (CompletableFuture<List<String>> scan : scans) {
                assertThat(scan.get(60, TimeUnit.SECONDS)).containsExactly("TEST-Maven");
            }
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    /**
     * The other process is a real one: the OS lock it holds makes {@code tryLock} answer nothing (not the exception a
     * thread of the same process gets), and the scan waits for it, then builds the database itself.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldWaitForAnUpdateAnotherProcessHolds() throws Exception {
        Path mirror = tmp.resolve("mirror/osv");
        Path kev = mirror(mirror);
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("requirements.txt"), "pkg==1.0\n");
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Path err = tmp.resolve("err.txt");

        Process scan;
        try (FileChannel channel = FileChannel.open(
                        cache.resolve("vulndb.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            scan = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            "dev.palisade.cli.Main",
                            "fs",
                            project.toString(),
                            "--cache-dir",
                            cache.toString(),
                            "--db-mirror",
                            mirror.toString(),
                            "--kev-source",
                            kev.toString(),
                            "-f",
                            "json")
                    .redirectOutput(tmp.resolve("out.txt").toFile())
                    .redirectError(err.toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline
                    && scan.isAlive()
                    && !Files.readString(err).contains("palisade: waiting for another Palisade process")) {
                Thread.sleep(50);
            }
            try {
                assertThat(Files.readString(err))
                        .as("the scan waits while the lock is held")
                        .contains("palisade: waiting for another Palisade process to finish updating the database");
                assertThat(scan.isAlive()).isTrue();
            } catch (AssertionError e) {
                scan.destroyForcibly();
                throw e;
            }
        }

        if (!scan.waitFor(60, TimeUnit.SECONDS)) {
            scan.destroyForcibly();
            throw new AssertionError("the scan did not finish once the lock was released: " + Files.readString(err));
        }
        assertThat(scan.exitValue()).as(Files.readString(err)).isZero();
        assertThat(JsonReports.purls(JsonReports.read(Files.readString(tmp.resolve("out.txt")))))
                .containsExactly("pkg:pypi/pkg@1.0");
        assertThat(Files.readString(tmp.resolve("out.txt"))).contains("TEST-PyPI");
    }

    static boolean waiting(ByteArrayOutputStream err) {
        return err.toString(StandardCharsets.UTF_8)
                .lines()
                .anyMatch(l ->
                        l.startsWith("palisade: waiting for another Palisade process to finish updating the database"));
    }
}
