package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdOutputStream;
import com.sun.net.httpserver.HttpServer;
import dev.palisade.testing.Cli;
import dev.palisade.testing.ImageBuilder;
import dev.palisade.testing.TarBuilder;
import dev.palisade.vulndb.GeneratedMirror;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real process unpacks SQLite's native library once into the cache directory and loads it from there: a killed
 * run leaves no copy behind, and copies older runs or other builds left are cleaned up.
 */
class NativeLibraryLocationTest {
    @TempDir
    Path tmp;

    static List<String> sqliteFiles(Path directory) throws Exception {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("sqlite-") || n.startsWith("libsqlitejdbc"))
                    .sorted()
                    .toList();
        }
    }

    ProcessBuilder palisade(Path javaTmp, String... args) {
        return palisade(List.of("-Djava.io.tmpdir=" + javaTmp), args);
    }

    ProcessBuilder palisade(List<String> jvmOptions, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path")));
        command.addAll(jvmOptions);
        command.add("dev.palisade.cli.Main");
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(tmp.resolve("out.txt").toFile())
                .redirectError(tmp.resolve("err.txt").toFile());
    }

    @Test
    void shouldUnpackIntoTheCacheAndRemoveWhatKilledRunsLeft() throws Exception {
        Path cache = tmp.resolve("cache");
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Path mirror = tmp.resolve("a/osv");
        GeneratedMirror.writeSource(mirror, "npm", List.of(GeneratedMirror.advisory("GHSA-npm-a", "npm", "left-pad")));
        assertThat(Cli.run("db", "update", "--cache-dir", cache.toString(), "--db-mirror", mirror.toString())
                        .exit())
                .isZero();

        // an update reads the current database, then fetches: a server that never answers holds it there
        CountDownLatch requested = new CountDownLatch(1);
        CountDownLatch stop = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requested.countDown();
            try {
                stop.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        List<String> leftInCache;
        try {
            Process killed = palisade(
                            javaTmp,
                            "db",
                            "update",
                            "--cache-dir",
                            cache.toString(),
                            "--db-mirror",
                            "http://127.0.0.1:" + server.getAddress().getPort() + "/")
                    .start();
            assertThat(requested.await(60, TimeUnit.SECONDS))
                    .as("the update reached the mirror")
                    .isTrue();
            killed.destroyForcibly(); // SIGKILL: no shutdown hooks, no deleteOnExit
            assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
            leftInCache = sqliteFiles(cache.resolve("native"));
        } finally {
            stop.countDown();
            server.stop(0);
        }

        assertThat(sqliteFiles(javaTmp))
                .as("nothing unpacked into java.io.tmpdir")
                .isEmpty();
        String library = "libsqlitejdbc-" + org.sqlite.SQLiteJDBCLoader.getVersion() + "-"
                + System.getProperty("os.name") + "-" + System.getProperty("os.arch");
        assertThat(leftInCache)
                .as("the library unpacked once, no copy of the killed run's own")
                .singleElement()
                .satisfies(n -> assertThat(n).startsWith(library));

        FileTime twoDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
        Path nativeDirectory = cache.resolve("native");
        Path unpacked = nativeDirectory.resolve(leftInCache.get(0));
        Files.setLastModifiedTime(unpacked, twoDaysAgo);
        Path killedRunsCopy = nativeDirectory.resolve("sqlite-3.46.0.0-9a1c-libsqlitejdbc.so");
        Path otherBuild = nativeDirectory.resolve("libsqlitejdbc-3.46.0.0-Linux-amd64.so");
        for (Path left : List.of(killedRunsCopy, otherBuild)) {
            Files.write(left, new byte[] {0x7f, 'E', 'L', 'F'});
            Files.setLastModifiedTime(left, twoDaysAgo);
        }
        Process status = palisade(javaTmp, "db", "status", "--cache-dir", cache.toString())
                .start();
        assertThat(status.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(status.exitValue())
                .as(Files.readString(tmp.resolve("err.txt")))
                .isZero();
        assertThat(sqliteFiles(nativeDirectory))
                .as("what killed runs and other builds left is gone, the library in use stays")
                .containsExactly(unpacked.getFileName().toString());
        assertThat(sqliteFiles(javaTmp)).isEmpty();
    }

    /**
     * Where zstd-jni's library does not load (no build for musl, or an unusable library), a zstd layer or zip member
     * is reported as unreadable and the scan goes on: the library's error escaped every reader and ended the scan.
     */
    @Test
    void shouldReportZstdContentAsUnreadableWhereTheLibraryDoesNotLoad() throws Exception {
        Path broken = Files.write(tmp.resolve("libzstd-jni-broken.so"), new byte[] {0x7f, 'E', 'L', 'F'});

        Process scan = scanZstdImage(List.of("-DZstdNativePath=" + broken), tmp.resolve("cache"), "-f", "json");

        String err = Files.readString(tmp.resolve("err.txt"));
        assertThat(err).contains("zstd library cannot be loaded").doesNotContain("internal error", "Exception");
        assertThat(Files.readString(tmp.resolve("out.txt")))
                .as("the other layer's packages, and the problem in the report")
                .contains("\"bash\"")
                .contains("zstd library cannot be loaded");
        assertThat(scan.exitValue())
                .as("as for any unreadable layer: a warning and a listed problem")
                .isZero();
    }

    /** A zstd-compressed layer makes zstd-jni load its library, which is unpacked once into the cache. */
    @Test
    void shouldUnpackZstdIntoTheCache() throws Exception {
        Path cache = tmp.resolve("cache");

        Process scan = scanZstdImage(List.of(), cache, "-q");

        assertThat(scan.exitValue())
                .as(Files.readString(tmp.resolve("err.txt")))
                .isZero();
        assertThat(Files.readString(tmp.resolve("out.txt"))).contains("debian");
        try (Stream<Path> files = Files.list(cache.resolve("native"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .contains("libzstd-jni-" + com.github.luben.zstd.util.ZstdVersion.VERSION + "-Linux-"
                            + System.getProperty("os.arch") + ".so");
        }
    }

    /**
     * Whoever chose where SQLite's library goes chose nothing for zstd's: it is still loaded from the cache. Shown
     * by a broken file where the cache keeps it: the zstd layer is then unreadable, which it would not be were the
     * library loaded from anywhere else (zstd-jni deletes its own temporary copy right after loading it, so the
     * temporary directory's contents prove nothing).
     */
    @Test
    void shouldLoadZstdFromTheCacheWhenSqlitesDirectoryWasChosen() throws Exception {
        Path cache = tmp.resolve("cache");
        Path sqliteTmp = Files.createDirectories(tmp.resolve("sqlite-tmp"));
        Files.write(
                Files.createDirectories(cache.resolve("native"))
                        .resolve("libzstd-jni-" + com.github.luben.zstd.util.ZstdVersion.VERSION + "-Linux-"
                                + System.getProperty("os.arch") + ".so"),
                new byte[] {0x7f, 'E', 'L', 'F'});

        scanZstdImage(List.of("-Dorg.sqlite.tmpdir=" + sqliteTmp), cache, "-f", "json");

        assertThat(Files.readString(tmp.resolve("out.txt"))).contains("zstd library cannot be loaded");
        assertThat(sqliteFiles(cache.resolve("native")))
                .as("SQLite's library is left where it was told to go")
                .isEmpty();
    }

    /** The zstd image scanned with no scanners and no layer cache, finished. */
    private Process scanZstdImage(List<String> jvmOptions, Path cache, String... output) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(
                "image",
                zstdImage().toString(),
                "--cache-dir",
                cache.toString(),
                "--scanners",
                "none",
                "--no-layer-cache"));
        args.addAll(List.of(output));
        Process scan = palisade(jvmOptions, args.toArray(String[]::new)).start();
        assertThat(scan.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return scan;
    }

    /** A docker-archive of a gzip layer holding bash's dpkg record and a zstd layer holding Debian's os-release. */
    private Path zstdImage() throws Exception {
        byte[] layer = new TarBuilder()
                .file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
                .build();
        ByteArrayOutputStream zstd = new ByteArrayOutputStream();
        try (ZstdOutputStream out = new ZstdOutputStream(zstd)) {
            out.write(layer);
        }
        return new ImageBuilder()
                .layer(
                        new TarBuilder()
                                .file(
                                        "var/lib/dpkg/status",
                                        "Package: bash\nStatus: install ok installed\nVersion: 5.2\n\n")
                                .build(),
                        "base")
                .compressedLayer(zstd.toByteArray(), "sha256:" + ImageBuilder.sha256(layer), "app")
                .dockerArchive(tmp.resolve("zstd.tar"));
    }

    /**
     * sqlite-jdbc finds the library's folder in its jar by running {@code uname -o}: a program from the PATH, and a
     * process start, on every run. Once the library is in the cache, a run that opens the database starts nothing.
     */
    @Test
    void shouldStartNoProgramOnceTheLibraryIsUnpacked() throws Exception {
        Path cache = tmp.resolve("cache");
        Path mirror = tmp.resolve("a/osv");
        GeneratedMirror.writeSource(mirror, "npm", List.of(GeneratedMirror.advisory("GHSA-npm-a", "npm", "left-pad")));
        assertThat(Cli.run("db", "update", "--cache-dir", cache.toString(), "--db-mirror", mirror.toString())
                        .exit())
                .isZero();
        Process unpacking =
                palisade(List.of(), "version", "--cache-dir", cache.toString()).start();
        assertThat(unpacking.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(sqliteFiles(cache.resolve("native"))).singleElement();
        Path trace = tmp.resolve("execve.txt");
        ProcessBuilder version = palisade(List.of(), "version", "--cache-dir", cache.toString());
        List<String> traced =
                new java.util.ArrayList<>(List.of("strace", "-f", "-qq", "-e", "trace=execve", "-o", trace.toString()));
        traced.addAll(version.command());
        version.command(traced);
        version.environment().remove("LD_LIBRARY_PATH"); // java would start itself again with it

        Process process = version.start();

        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(Files.readString(tmp.resolve("out.txt"))).contains("npm").contains("1 records");
        List<String> started = Files.readAllLines(trace).stream()
                .filter(line -> line.contains("execve(") && line.endsWith("= 0"))
                .toList();
        assertThat(started).as("the programs the run started").singleElement().satisfies(line -> assertThat(line)
                .contains("/bin/java\""));
    }
}
