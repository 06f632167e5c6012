package dev.palisade.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.inventory.Inventory;
import dev.palisade.testing.Scans;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile files in a directory scan: each is reported with its path and reason, and the scan goes on. */
class HostileFilesTest {
    @TempDir
    Path tmp;

    @Test
    void shouldSkipA2GibPackageJsonWithoutReadingIt() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("node_modules/huge"));
        try (RandomAccessFile sparse =
                new RandomAccessFile(dir.resolve("package.json").toFile(), "rw")) {
            sparse.setLength(2L * 1024 * 1024 * 1024);
        }
        Files.createDirectories(tmp.resolve("node_modules/ok"));
        Files.writeString(tmp.resolve("node_modules/ok/package.json"), "{\"name\":\"ok\",\"version\":\"1.0.0\"}");

        Inventory inventory = Scans.directory(tmp, ArtifactKind.DIRECTORY);

        assertThat(Scans.coordinates(inventory)).containsExactly("ok@1.0.0");
        assertThat(inventory.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("node_modules/huge/package.json");
            assertThat(p.reason()).contains("2147483648 bytes").contains("maxFileBytes");
        });
    }

    @Test
    void shouldReportMalformedAndInvalidUtf8StatusFiles() throws Exception {
        Path dpkg = Files.createDirectories(tmp.resolve("var/lib/dpkg"));
        byte[] status = ("Package: caf\u00e9\nStatus: install ok installed\nVersion: 1.0\n\n"
                        + " orphan continuation\nPackage: nover\nStatus: install ok installed\n\n"
                        + "Package: gone\nStatus: deinstall ok config-files\nVersion: 2.0\n\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(dpkg.resolve("status"), status);

        Inventory inventory = Scans.directory(tmp, ArtifactKind.ROOTFS);

        assertThat(Scans.coordinates(inventory)).containsExactly("caf\uFFFD@1.0");
        assertThat(inventory.problems())
                .extracting(Problem::reason)
                .containsExactlyInAnyOrder(
                        "holds invalid UTF-8; invalid bytes were replaced",
                        "malformed: line 5: continuation line outside a field",
                        "stanza at line 5 has no Package or no Version; skipped");
    }

    @Test
    void shouldReportMalformedJsonAndKeepGoing() throws Exception {
        Files.createDirectories(tmp.resolve("a"));
        Files.writeString(tmp.resolve("a/package-lock.json"), "{\"packages\": {\"node_modules/x\": {\"version\": ");
        Files.writeString(tmp.resolve("Cargo.lock"), "[[package]]\nname = \"h2\"\nversion = \"0.3.21\"\n");
        Files.writeString(tmp.resolve("a/composer.lock"), "[".repeat(5000));

        Inventory inventory = Scans.directory(tmp, ArtifactKind.DIRECTORY);

        assertThat(Scans.coordinates(inventory)).containsExactly("h2@0.3.21");
        assertThat(inventory.problems())
                .extracting(Problem::path)
                .containsExactlyInAnyOrder("a/composer.lock", "a/package-lock.json");
        assertThat(inventory.problems())
                .filteredOn(p -> p.path().equals("a/composer.lock"))
                .extracting(Problem::reason)
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .isEqualTo(
                        "composer-lock could not read it: JSON beyond the parser's limits: document nesting depth (201)"
                                + " exceeds the maximum allowed (200)")
                .doesNotContain("not valid", "StreamReadConstraints", "`");
    }

    @Test
    void shouldNotFollowSymbolicLinksOutOfTheDirectory() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside/node_modules/secret"));
        Files.writeString(outside.resolve("package.json"), "{\"name\":\"secret\",\"version\":\"1.0.0\"}");
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createSymbolicLink(root.resolve("node_modules"), tmp.resolve("outside/node_modules"));

        Inventory inventory = Scans.directory(root, ArtifactKind.DIRECTORY);

        assertThat(inventory.packages()).isEmpty();
    }
}
