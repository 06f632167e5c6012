package dev.palisade.catalog.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.inventory.Inventory;
import dev.palisade.source.ArtifactKind;
import dev.palisade.testing.Scans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real rpmdb.sqlite, written by rpm itself (Debian's rpm package, which .ci/run installs). */
class RpmDbCatalogerTest {
    @TempDir
    Path tmp;

    @Test
    void shouldReadPackagesFromARealRpmdbSqlite() throws Exception {
        Path top = Files.createDirectories(tmp.resolve("build/SPECS"));
        Files.writeString(
                top.resolve("hello.spec"),
                String.join(
                        "\n",
                        "Name: palisade-hello",
                        "Version: 1.2.3",
                        "Release: 4.fc40",
                        "Epoch: 2",
                        "Summary: fixture",
                        "License: MIT",
                        "BuildArch: noarch",
                        "%description",
                        "fixture",
                        "%files",
                        ""));
        run(
                "rpmbuild",
                "-bb",
                "--define",
                "_topdir " + tmp.resolve("build"),
                top.resolve("hello.spec").toString());
        Path rpm;
        try (var found = Files.walk(tmp.resolve("build/RPMS"))) {
            rpm = found.filter(p -> p.toString().endsWith(".rpm")).findFirst().orElseThrow();
        }
        Path root = Files.createDirectories(tmp.resolve("root"));
        run("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm", "--initdb");
        run("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm", "-i", "--nodeps", "--justdb", rpm.toString());
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=fedora\nVERSION_ID=40\n");

        long copiesBefore = temporaryCopies();
        Inventory inventory = Scans.directory(root, ArtifactKind.ROOTFS);

        assertThat(inventory.packages()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("palisade-hello");
            assertThat(p.version()).isEqualTo("1.2.3-4.fc40");
            assertThat(p.purl())
                    .isEqualTo("pkg:rpm/fedora/palisade-hello@1.2.3-4.fc40?arch=noarch&distro=fedora-40&epoch=2");
            assertThat(p.sourceName()).isEqualTo("palisade-hello");
        });
        assertThat(temporaryCopies()).as("the temporary copy is gone").isEqualTo(copiesBefore);
    }

    private static long temporaryCopies() throws Exception {
        try (var left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return left.filter(p -> p.getFileName().toString().startsWith("palisade-rpmdb-"))
                    .count();
        }
    }

    private static void run(String... command) throws Exception {
        Process process =
                new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor())
                .as(String.join(" ", command) + "\n" + output)
                .isZero();
    }
}
