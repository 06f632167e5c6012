package dev.palisade.vulndb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.palisade.testing.Scans;
import dev.palisade.testing.TestDatabase;
import dev.palisade.vulndb.sqlite.DatabaseUpdater;
import dev.palisade.vulndb.sqlite.SqliteVulnerabilityStore;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds, updates and swaps a real database from mirrors of the real OSV layout. */
class DatabaseUpdaterTest {
    static final Path PINNED_OSV = TestDatabase.mirror();

    @TempDir
    Path tmp;

    Path mirrorWith(String... ecosystems) throws Exception {
        Path mirror = tmp.resolve("mirror");
        for (String ecosystem : ecosystems) {
            Files.createDirectories(mirror.resolve(ecosystem));
            Files.copy(
                    PINNED_OSV.resolve(ecosystem).resolve("all.zip"),
                    mirror.resolve(ecosystem).resolve("all.zip"));
        }
        return mirror;
    }

    static DatabaseUpdater.Result update(Path cache, Mirror mirror) throws Exception {
        return new DatabaseUpdater(cache, Scans.FIXED, m -> {}).update(mirror, null, null, mirror.ecosystems(), false);
    }

    static long count(Path cache, String ecosystem, String name) throws Exception {
        try (SqliteVulnerabilityStore store =
                SqliteVulnerabilityStore.open(cache.resolve(DatabaseUpdater.DATABASE_FILE))) {
            return store.advisories(ecosystem, name).size();
        }
    }

    static byte[] zip(String... namesAndContents) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                zip.putNextEntry(new ZipEntry(namesAndContents[i]));
                zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void shouldFetchOnlyWhatChangedAndKeepTheRest() throws Exception {
        Path mirror = mirrorWith("Maven", "npm");
        Path cache = tmp.resolve("cache");

        DatabaseUpdater.Result first = update(cache, new DirectoryMirror(mirror));
        DatabaseUpdater.Result second = update(cache, new DirectoryMirror(mirror));
        Files.write(
                mirror.resolve("npm/all.zip"),
                zip(
                        "GHSA-test-0001.json",
                        "{\"id\":\"GHSA-test-0001\",\"modified\":\"2026-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"left-pad\"},\"versions\":[\"1.0.0\"]}]}"));
        Files.setLastModifiedTime(
                mirror.resolve("npm/all.zip"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        DatabaseUpdater.Result third = update(cache, new DirectoryMirror(mirror));

        assertThat(first.rebuilt()).isTrue();
        assertThat(first.sources())
                .extracting(DatabaseUpdater.SourceResult::records)
                .containsExactly(146L, 4L);
        assertThat(second.rebuilt()).isFalse();
        assertThat(third.sources())
                .extracting(DatabaseUpdater.SourceResult::outcome)
                .containsExactly(DatabaseUpdater.Outcome.UNCHANGED, DatabaseUpdater.Outcome.IMPORTED);
        assertThat(count(cache, "Maven", "org.apache.logging.log4j:log4j-core")).isGreaterThan(0);
        assertThat(count(cache, "npm", "left-pad")).isEqualTo(1);
        assertThat(count(cache, "npm", "lodash"))
                .as("the old npm records are gone with the old npm export")
                .isZero();
    }

    /**
     * The real import of all of ../shared/vulndata, which keeps being refreshed: it asserts nothing a
     * refresh that adds records changes (no counts), only that every source imports and no record is refused.
     */
    @Test
    void shouldImportAllOfTheSharedDataWithoutRefusingARecord() throws Exception {
        DirectoryMirror osv = new DirectoryMirror(Scans.shared().resolve("vulndata/osv"));
        DirectoryMirror kev = new DirectoryMirror(Scans.shared().resolve("vulndata/kev"));

        DatabaseUpdater.Result result = new DatabaseUpdater(tmp.resolve("cache"), Scans.FIXED, m -> {})
                .update(osv, kev, "known_exploited_vulnerabilities.json", osv.ecosystems(), false);

        assertThat(result.sources())
                .extracting(DatabaseUpdater.SourceResult::name)
                .contains("Debian", "Go", "Maven", "npm", "PyPI", "crates.io", "RubyGems", "Packagist", "KEV");
        assertThat(result.sources()).allSatisfy(source -> {
            assertThat(source.outcome()).as(source.name()).isEqualTo(DatabaseUpdater.Outcome.IMPORTED);
            assertThat(source.records()).as(source.name()).isPositive();
            assertThat(source.malformed())
                    .as(source.name() + ": " + source.malformedExamples())
                    .isZero();
        });
    }

    @Test
    void shouldCountMalformedRecordsWithoutAborting() throws Exception {
        Path mirror = tmp.resolve("mirror");
        Files.createDirectories(mirror.resolve("PyPI"));
        Files.write(
                mirror.resolve("PyPI/all.zip"),
                zip(
                        "PYSEC-0000-1.json",
                                "{\"id\":\"PYSEC-0000-1\",\"modified\":\"2026-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Some_Pkg\"},\"versions\":[\"1.0\"]}]}",
                        "broken.json", "{\"id\": \"PYSEC-0000-2\", \"modified\":",
                        "noid.json", "{\"modified\":\"2026-01-01T00:00:00Z\"}",
                        "deep.json", "[".repeat(10000) + "]".repeat(10000)));

        DatabaseUpdater.Result result = update(tmp.resolve("cache"), new DirectoryMirror(mirror));

        assertThat(result.sources()).singleElement().satisfies(s -> {
            assertThat(s.records()).isEqualTo(1);
            assertThat(s.malformed()).isEqualTo(3);
            assertThat(s.malformedExamples()).anySatisfy(e -> assertThat(e).startsWith("noid.json: record has no id"));
        });
        assertThat(count(tmp.resolve("cache"), "PyPI", "some-pkg"))
                .as("PyPI names are normalised")
                .isEqualTo(1);
    }

    @Test
    void shouldLeaveThePreviousDatabaseWorkingWhenAnUpdateFails() throws Exception {
        Path mirror = mirrorWith("Maven");
        Path cache = tmp.resolve("cache");
        update(cache, new DirectoryMirror(mirror));
        byte[] before = Files.readAllBytes(cache.resolve(DatabaseUpdater.DATABASE_FILE));

        byte[] truncated = Files.readAllBytes(mirror.resolve("Maven/all.zip"));
        Files.write(mirror.resolve("Maven/all.zip"), java.util.Arrays.copyOf(truncated, truncated.length / 2));
        assertThatThrownBy(() -> update(cache, new DirectoryMirror(mirror))).hasMessageContaining("not a valid zip");

        assertThat(Files.readAllBytes(cache.resolve(DatabaseUpdater.DATABASE_FILE)))
                .isEqualTo(before);
        assertThat(count(cache, "Maven", "org.apache.logging.log4j:log4j-core")).isGreaterThan(0);
        try (var left = Files.list(cache)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .allSatisfy(n -> assertThat(n).doesNotEndWith(".new"));
        }
    }

    @Test
    void shouldUseConditionalRequestsAndRetryOverHttp() throws Exception {
        byte[] mavenZip = Files.readAllBytes(PINNED_OSV.resolve("Maven/all.zip"));
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger notModified = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            int n = requests.incrementAndGet();
            if (n == 1) {
                exchange.getResponseHeaders().add("Retry-After", "0");
                exchange.sendResponseHeaders(503, -1);
            } else if (!exchange.getRequestURI().getPath().equals("/Maven/all.zip")) {
                exchange.sendResponseHeaders(404, -1);
            } else if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                notModified.incrementAndGet();
                exchange.sendResponseHeaders(304, -1);
            } else {
                exchange.getResponseHeaders().add("ETag", "\"v1\"");
                exchange.sendResponseHeaders(200, mavenZip.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(mavenZip);
                }
            }
            exchange.close();
        });
        server.start();
        try {
            HttpMirror mirror = new HttpMirror(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
                    new HttpMirror.Settings(Duration.ofSeconds(5), Duration.ofSeconds(10), 2, 100_000_000));
            Path cache = tmp.resolve("cache");
            DatabaseUpdater updater = new DatabaseUpdater(cache, Scans.FIXED, m -> {});

            DatabaseUpdater.Request withoutWhatIsMissing = new DatabaseUpdater.Request(false, true);
            DatabaseUpdater.Result first =
                    updater.update(mirror, null, null, List.of("Maven", "NuGet"), withoutWhatIsMissing);
            DatabaseUpdater.Result second =
                    updater.update(mirror, null, null, List.of("Maven", "NuGet"), withoutWhatIsMissing);

            assertThat(first.sources())
                    .extracting(DatabaseUpdater.SourceResult::outcome)
                    .containsExactly(DatabaseUpdater.Outcome.IMPORTED, DatabaseUpdater.Outcome.MISSING);
            assertThat(first.sources().get(1).detail())
                    .isEqualTo("missing: http://127.0.0.1:"
                            + server.getAddress().getPort() + "/NuGet/all.zip: 404 Not Found");
            assertThatThrownBy(() -> new DatabaseUpdater(tmp.resolve("other-cache"), Scans.FIXED, m -> {})
                            .update(mirror, null, null, List.of("Maven", "NuGet"), false))
                    .isInstanceOf(DatabaseUpdater.MissingSourceException.class)
                    .hasMessageStartingWith("NuGet is not in the mirror");
            assertThat(second.rebuilt()).isFalse();
            assertThat(notModified.get()).isEqualTo(1);
            assertThat(count(cache, "Maven", "org.apache.logging.log4j:log4j-core"))
                    .isGreaterThan(0);
        } finally {
            server.stop(0);
        }
    }
}
