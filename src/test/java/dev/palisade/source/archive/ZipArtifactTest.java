package dev.palisade.source.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.Catalogers;
import dev.palisade.inventory.Inventory;
import dev.palisade.scan.InventoryScanner;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.ScanLimits;
import dev.palisade.testing.Scans;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipArtifactTest {
    @TempDir
    Path tmp;

    @Test
    void shouldSkipAnOversizedSymbolicLinkAndReadTheRestOfTheZip() throws Exception {
        Path zip = tmp.resolve("function.zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(Files.newOutputStream(zip))) {
            ZipArchiveEntry link = new ZipArchiveEntry("a-link");
            link.setUnixMode(0120777);
            put(out, link, "x".repeat(5000));
            put(
                    out,
                    new ZipArchiveEntry("node_modules/left-pad/package.json"),
                    "{\"name\":\"left-pad\",\"version\":\"1.3.0\"}");
        }

        Inventory inventory;
        ScanLimits limits = ScanLimits.defaults();
        try (ZipArtifact artifact = ZipArtifact.open(zip, ArtifactKind.FUNCTION, DeploymentModel.FUNCTION, limits)) {
            inventory = new InventoryScanner(limits, m -> {}).scan(artifact, Catalogers.forKind(ArtifactKind.FUNCTION));
        }

        assertThat(Scans.coordinates(inventory)).containsExactly("left-pad@1.3.0");
        assertThat(inventory.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("a-link");
            assertThat(p.reason()).contains("symbolic link").contains("4096");
        });
    }

    private static void put(ZipArchiveOutputStream out, ZipArchiveEntry entry, String content) throws Exception {
        out.putArchiveEntry(entry);
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeArchiveEntry();
    }
}
