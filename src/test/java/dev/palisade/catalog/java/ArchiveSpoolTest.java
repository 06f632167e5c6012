package dev.palisade.catalog.java;

import static dev.palisade.catalog.java.JavaArchiveCatalogerTest.jar;
import static dev.palisade.catalog.java.JavaArchiveCatalogerTest.pom;
import static dev.palisade.catalog.java.JavaArchiveCatalogerTest.sha1;
import static dev.palisade.catalog.java.JavaArchiveCatalogerTest.storedJar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.ContentBytes;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.LimitExceededException;
import dev.palisade.source.Problem;
import dev.palisade.source.ScanLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveSpoolTest {
    private static final int THRESHOLD = 64 * 1024;

    @TempDir
    Path spoolDirectory;

    private final List<Problem> problems = new ArrayList<>();

    private List<Package> catalog(ArchiveSpool spool, String path, byte[] jar, ScanLimits limits) throws IOException {
        JavaArchiveCataloger cataloger = new JavaArchiveCataloger(KnownMavenGroups.load(), spool);
        FileEntry entry = new FileEntry(path, FileKind.FILE, jar.length, 0644, 0, 0, null, 0);
        return cataloger.catalog(entry, new ByteArrayInputStream(jar), new CatalogContext(limits, problems::add, null));
    }

    private List<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(spoolDirectory)) {
            return files.toList();
        }
    }

    private static byte[] noise(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /**
     * A fat jar over the threshold: its own pom, a stored nested jar, a deflated one itself over the threshold, a
     * corrupt one, and noise.
     */
    private static byte[] fatJar() throws Exception {
        byte[] stored = jar("META-INF/maven/org.example/stored/pom.properties", pom("org.example", "stored", "1.0"));
        byte[] deflated = storedJar(
                new String[] {"META-INF/maven/org.example/deflated/pom.properties", "padding.bin"}, new byte[][] {
                    pom("org.example", "deflated", "2.0").getBytes(StandardCharsets.ISO_8859_1), noise(3 * THRESHOLD, 2)
                });
        byte[] outer = storedJar(
                new String[] {
                    "META-INF/maven/org.example/app/pom.properties",
                    "BOOT-INF/lib/stored-1.0.jar",
                    "BOOT-INF/lib/broken-1.0.jar",
                    "noise.bin"
                },
                new byte[][] {
                    pom("org.example", "app", "3.0").getBytes(StandardCharsets.ISO_8859_1),
                    stored,
                    noise(1000, 3),
                    noise(4 * THRESHOLD, 1)
                });
        // the same members, plus the deflated nested jar, which must be inflated (to the spool) to be read
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes);
                ZipFile source = ZipFile.builder().setByteArray(outer).get()) {
            for (ZipArchiveEntry entry : java.util.Collections.list(source.getEntries())) {
                zip.addRawArchiveEntry(entry, source.getRawInputStream(entry));
            }
            zip.putArchiveEntry(new ZipArchiveEntry("BOOT-INF/lib/deflated-2.0.jar"));
            zip.write(deflated);
            zip.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void shouldReadALargeJarFromTheSpoolWithTheResultOfTheInMemoryPath() throws Exception {
        byte[] app = fatJar();
        assertThat(app.length).isGreaterThan(4 * THRESHOLD);

        List<Package> inMemory = catalog(
                new ArchiveSpool(spoolDirectory, Long.MAX_VALUE), "opt/app-3.0.jar", app, ScanLimits.defaults());
        List<Problem> inMemoryProblems = List.copyOf(problems);
        problems.clear();
        List<Package> spooled =
                catalog(new ArchiveSpool(spoolDirectory, THRESHOLD), "opt/app-3.0.jar", app, ScanLimits.defaults());

        assertThat(spooled).isEqualTo(inMemory);
        assertThat(problems).isEqualTo(inMemoryProblems);
        assertThat(spooled)
                .extracting(Package::purl)
                .containsExactly(
                        "pkg:maven/org.example/app@3.0",
                        "pkg:maven/org.example/stored@1.0",
                        "pkg:maven/org.example/deflated@2.0");
        assertThat(spooled.get(0).metadata()).containsEntry("sha1", sha1(app));
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.path())
                .isEqualTo("opt/app-3.0.jar!/BOOT-INF/lib/broken-1.0.jar"));
        assertThat(spoolFiles()).as("spool files left").isEmpty();
    }

    @Test
    void shouldSpoolOnlyArchivesOverTheThreshold() throws Exception {
        byte[] app = fatJar();
        Path missing = spoolDirectory.resolve("missing");

        assertThatThrownBy(
                        () -> catalog(new ArchiveSpool(missing, THRESHOLD), "app-3.0.jar", app, ScanLimits.defaults()))
                .as("a large jar goes to the spool")
                .isInstanceOf(NoSuchFileException.class);
        byte[] small = jar("META-INF/maven/org.example/small/pom.properties", pom("org.example", "small", "1.0"));
        assertThat(catalog(new ArchiveSpool(missing, THRESHOLD), "small-1.0.jar", small, ScanLimits.defaults()))
                .as("a small one does not")
                .extracting(Package::purl)
                .containsExactly("pkg:maven/org.example/small@1.0");
    }

    @Test
    void shouldRemoveTheSpoolFileWhenTheArchiveCannotBeRead() throws Exception {
        ArchiveSpool spool = new ArchiveSpool(spoolDirectory, THRESHOLD);

        assertThatThrownBy(() -> catalog(spool, "junk-1.0.jar", noise(3 * THRESHOLD, 4), ScanLimits.defaults()))
                .hasMessageContaining("not a valid zip");
        assertThat(spoolFiles())
                .as("spool files left after an unreadable archive")
                .isEmpty();

        byte[] app = fatJar();
        assertThatThrownBy(() ->
                        catalog(spool, "app-3.0.jar", app, ScanLimits.defaults().withMaxFileBytes(app.length - 1)))
                .isInstanceOf(LimitExceededException.class)
                .hasMessage("app-3.0.jar is larger than the limit of " + (app.length - 1) + " bytes");
        assertThat(spoolFiles())
                .as("spool files left after a file over the limit")
                .isEmpty();
    }

    @Test
    void shouldFailOverTheLimitAsTheInMemoryReadDoes() throws Exception {
        byte[] content = noise(5 * THRESHOLD, 5);
        ArchiveSpool spool = new ArchiveSpool(spoolDirectory, THRESHOLD);
        for (long announced : new long[] {content.length, 10, -1}) {
            long limit = content.length - 1;
            String expected =
                    messageOf(() -> ContentBytes.read(new ByteArrayInputStream(content), announced, limit, "x"));

            assertThatThrownBy(() -> ArchiveBytes.read(
                            new ByteArrayInputStream(content), announced, limit, Long.MAX_VALUE, "x", spool))
                    .isInstanceOf(LimitExceededException.class)
                    .hasMessage(expected);
        }
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void shouldHoldEveryByteOfASpooledStreamWhateverItsAnnouncedSize() throws Exception {
        byte[] content = noise(3 * THRESHOLD + 17, 6);
        ArchiveSpool spool = new ArchiveSpool(spoolDirectory, THRESHOLD);
        for (long announced : new long[] {content.length, 10, -1, THRESHOLD}) {
            try (ArchiveBytes bytes = ArchiveBytes.read(
                    new ByteArrayInputStream(content), announced, Long.MAX_VALUE, Long.MAX_VALUE, "x", spool)) {
                assertThat(bytes.spooled()).isTrue();
                assertThat(bytes.length()).isEqualTo(content.length);
                assertThat(bytes.stream(0, content.length).readAllBytes()).isEqualTo(content);
                assertThat(bytes.sha1()).isEqualTo(sha1(content));
                assertThat(bytes.slice(100, 1000).stream(0, 1000).readAllBytes())
                        .isEqualTo(java.util.Arrays.copyOfRange(content, 100, 1100));
                assertThat(bytes.slice(100, 1000).stream(990, 50).readAllBytes())
                        .as("a range past the slice's end reads short")
                        .isEqualTo(java.util.Arrays.copyOfRange(content, 1090, 1100));
                assertThat(spoolFiles())
                        .as("unlinked while it is read: a killed run leaves nothing")
                        .isEmpty();
            }
            assertThat(spoolFiles()).isEmpty();
        }
        try (ArchiveBytes bytes = ArchiveBytes.read(
                new ByteArrayInputStream(content, 0, THRESHOLD),
                THRESHOLD,
                Long.MAX_VALUE,
                Long.MAX_VALUE,
                "x",
                spool)) {
            assertThat(bytes.spooled())
                    .as("exactly the threshold stays in memory")
                    .isFalse();
            assertThat(bytes.length()).isEqualTo(THRESHOLD);
        }
    }

    @Test
    void shouldMakeSpoolFilesOnlyTheirOwnerCanRead() throws Exception {
        Path made = new ArchiveSpool(spoolDirectory, THRESHOLD).create();
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made)))
                    .isEqualTo("rw-------");
            assertThat(made.getFileName().toString())
                    .startsWith("palisade-archive-")
                    .endsWith(".zip");
        } finally {
            Files.delete(made);
        }
    }

    private interface Read {
        byte[] read() throws IOException;
    }

    private static String messageOf(Read read) {
        try {
            read.read();
        } catch (IOException e) {
            return e.getMessage();
        }
        throw new AssertionError("no failure");
    }
}
