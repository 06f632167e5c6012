package dev.palisade.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.catalog.CatalogRunner;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.Misconfiguration;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileKind;
import dev.palisade.source.Problem;
import dev.palisade.source.RawEntry;
import dev.palisade.testing.ImageBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerCacheFormatTest {
    @TempDir
    Path tmp;

    static final String KEY = "a".repeat(64);

    static LayerCache.Entry sample() {
        String longName = "deep/" + "x".repeat(70_000) + "/file";
        Location location = new Location("var/lib/dpkg/status", "sha256:" + "1".repeat(64), "RUN apt-get install");
        Package bash = new Package(
                Ecosystem.DEBIAN,
                "bash",
                "5.2.15-2",
                "pkg:deb/debian/bash@5.2.15-2",
                List.of(location),
                "bash-src",
                null,
                "dpkg",
                Map.of("architecture", "amd64", "maintainer", "Matthias Klose <doko@debian.org>"),
                List.of("GPL-3.0-or-later"));
        Package jar = new Package(
                Ecosystem.MAVEN,
                "org.example:äpp",
                "1.0",
                "pkg:maven/org.example/%C3%A4pp@1.0",
                List.of(new Location("app/äpp.jar", null, null)),
                null,
                null,
                "java-archive",
                Map.of(),
                List.of());
        OsRelease os = new OsRelease("debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)", null, location);
        Misconfiguration secret = new Misconfiguration(
                CheckCatalog.load().get("PAL-1002"), "app/config.env", 3, "", "sha256:" + "2".repeat(64), "AWS key");
        return new LayerCache.Entry(
                List.of(
                        new RawEntry("./", FileKind.DIRECTORY, 0, 0755, 0, 0, null),
                        new RawEntry("bin", FileKind.SYMLINK, 0, 0777, 0, 0, "usr/bin"),
                        new RawEntry(longName, FileKind.FILE, 12_345_678_901L, 0644, 1000, 4_000_000_000L, null),
                        new RawEntry("emoji-\uD83D\uDE00-\uD800-lone", FileKind.HARDLINK, 0, 0644, 0, 0, "bin")),
                List.of(
                        new CatalogRunner.FileFinding("usr/bin/bash", List.of(), null),
                        new CatalogRunner.FileFinding("var/lib/dpkg/status", List.of(bash), null),
                        new CatalogRunner.FileFinding("app/äpp.jar", List.of(jar), null),
                        new CatalogRunner.FileFinding("etc/os-release", List.of(), os)),
                List.of(new Problem("usr/share/broken.jar", null, "not a zip")),
                Map.of("app/config.env", List.of(secret)));
    }

    @Test
    void shouldReadBackWhatItStoredExactly() throws Exception {
        LayerCache cache = new LayerCache(tmp, 100_000_000);
        LayerCache.Entry entry = sample();

        cache.store(KEY, entry);

        assertThat(cache.load(KEY)).contains(entry);
        LayerCache.Entry empty = new LayerCache.Entry(List.of(), List.of(), List.of(), Map.of());
        cache.store("b".repeat(64), empty);
        assertThat(cache.load("b".repeat(64))).contains(empty);
    }

    @Test
    void shouldIgnoreAndDropAnEntryOfTheOlderJsonFormat() throws Exception {
        LayerCache cache = new LayerCache(tmp, 100_000_000);
        // what format 4 wrote: the entry as gzip-compressed JSON, here under both the old and the new name
        byte[] json = gzip(new ObjectMapper().writeValueAsBytes(sample()));
        Files.write(tmp.resolve(KEY + ".json.gz"), json);
        Files.write(tmp.resolve(KEY + LayerCache.SUFFIX), json);

        assertThat(cache.contains(KEY)).isTrue();
        assertThat(cache.load(KEY)).as("never trusted as an entry").isEmpty();
        assertThat(tmp.resolve(KEY + LayerCache.SUFFIX)).doesNotExist();

        cache.store("c".repeat(64), sample());
        assertThat(tmp.resolve(KEY + ".json.gz"))
                .as("old entries are removed when the cache is written")
                .doesNotExist();
        assertThat(cache.load("c".repeat(64))).contains(sample());
    }

    @Test
    void shouldReadAnEntryOnlyUpToItsBoundDecompressed() throws Exception {
        Path planted = tmp.resolve("planted" + LayerCache.SUFFIX);
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(planted))) {
            byte[] zeros = new byte[1024 * 1024];
            for (long written = 0; written <= LayerCache.MAX_ENTRY_BYTES; written += zeros.length) {
                out.write(zeros);
            }
        }
        assertThat(Files.size(planted)).isLessThan(LayerCache.MAX_ENTRY_BYTES / 100);

        try (java.io.DataInputStream in = LayerCache.open(planted)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> in.transferTo(java.io.OutputStream.nullOutputStream()))
                    .isInstanceOf(IOException.class)
                    .hasMessage("layer cache entry exceeds the limit of " + LayerCache.MAX_ENTRY_BYTES + " bytes");
        }
    }

    @Test
    void shouldLeaveNoFileOpenForAnEntryThatIsNotGzip() throws Exception {
        Path damaged = Files.write(tmp.resolve("damaged" + LayerCache.SUFFIX), "not gzip".getBytes());
        long before;
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            before = fds.count();
        }
        for (int i = 0; i < 200; i++) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> LayerCache.open(damaged))
                    .isInstanceOf(IOException.class);
        }
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            assertThat(fds.count()).isLessThan(before + 20);
        }
    }

    @Test
    void shouldNotReadAnEntryOfAnotherFormatVersionOrKeyOrCutShort() throws Exception {
        LayerCache cache = new LayerCache(tmp, 100_000_000);
        cache.store(KEY, sample());
        byte[] stored = gunzip(Files.readAllBytes(tmp.resolve(KEY + LayerCache.SUFFIX)));

        String other = "d".repeat(64);
        Files.write(tmp.resolve(other + LayerCache.SUFFIX), gzip(stored));
        assertThat(cache.load(other)).as("filed under another key").isEmpty();

        byte[] otherFormat = stored.clone();
        otherFormat[7] ^= 1; // the format number after the magic
        Files.write(tmp.resolve(KEY + LayerCache.SUFFIX), gzip(otherFormat));
        assertThat(cache.load(KEY)).as("another format").isEmpty();

        for (int cut : new int[] {3, stored.length / 2, stored.length - 1}) {
            Files.write(tmp.resolve(KEY + LayerCache.SUFFIX), gzip(java.util.Arrays.copyOf(stored, cut)));
            assertThat(cache.load(KEY)).as("cut at %d", cut).isEmpty();
        }
        byte[] longer = java.util.Arrays.copyOf(stored, stored.length + 1);
        Files.write(tmp.resolve(KEY + LayerCache.SUFFIX), gzip(longer));
        assertThat(cache.load(KEY)).as("trailing bytes").isEmpty();

        Files.write(tmp.resolve(KEY + LayerCache.SUFFIX), gzip(stored));
        assertThat(cache.load(KEY)).contains(sample());
    }

    @Test
    void shouldRebuildAnOldFormatEntryInAScanWithTheSameResult() throws Exception {
        Path cacheDirectory = tmp.resolve("cache");
        LayerCache cache = new LayerCache(cacheDirectory, 100_000_000);
        Path image = new ImageBuilder()
                .layer(LayerCacheTest.BASE, "base")
                .layer(LayerCacheTest.GENUINE_APP, "app")
                .dockerArchive(tmp.resolve("a.tar"));
        LayerCacheTest scans = new LayerCacheTest();
        LayerCacheTest.Run cold = scans.scan(image, cache);
        List<Path> entries = LayerCacheTest.files(cacheDirectory);
        assertThat(entries).hasSize(2);
        for (Path entry : entries) {
            // an entry of the JSON format in place of each: replaying it would drop the packages
            Files.write(entry, gzip("{\"entries\":[],\"files\":[],\"problems\":[],\"secrets\":{}}".getBytes()));
        }

        LayerCacheTest.Run rebuilt = scans.scan(image, cache);
        LayerCacheTest.Run warm = scans.scan(image, cache);

        assertThat(LayerCacheTest.replayed(rebuilt)).isEmpty();
        assertThat(rebuilt.inventory().packages()).isEqualTo(cold.inventory().packages());
        assertThat(LayerCacheTest.replayed(warm)).hasSize(2);
        assertThat(warm.inventory().packages()).isEqualTo(cold.inventory().packages());
        assertThat(warm.inventory().os()).isEqualTo(cold.inventory().os());
    }

    static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] bytes) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }
}
