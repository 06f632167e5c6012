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

        Inventory inventory = scanFunction(zip);

        assertThat(Scans.coordinates(inventory)).containsExactly("left-pad@1.3.0");
        assertThat(inventory.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("a-link");
            assertThat(p.reason()).contains("symbolic link").contains("4096");
        });
    }

    /**
     * Commons Compress takes XZ (95) and LZMA (14) members as readable and then needs the XZ library, which Palisade
     * does not ship: found by the functionZip fuzz target as a NoClassDefFoundError that ended the scan.
     */
    @Test
    void shouldReportMembersCompressedWithXzOrLzmaAndReadTheRest() throws Exception {
        java.io.ByteArrayOutputStream jar = new java.io.ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(jar)) {
            putStored(
                    out,
                    "META-INF/maven/org.example/lib/pom.properties",
                    "groupId=org.example\nartifactId=lib\n" + "version=1.0\n");
            putStored(out, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n");
        }
        byte[] lib = withMethod(
                withMethod(jar.toByteArray(), "META-INF/maven/org.example/lib/pom.properties", 95),
                "META-INF/MANIFEST.MF",
                14);
        java.io.ByteArrayOutputStream function = new java.io.ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(function)) {
            putStored(out, "app.py", "import boto3\n");
            putStored(out, "old.py", "import os\n");
            putStored(out, "node_modules/left-pad/package.json", "{\"name\":\"left-pad\",\"version\":\"1.3.0\"}");
            putStored(out, "lib/lib.jar", lib);
        }
        Path zip = Files.write(
                tmp.resolve("function.zip"),
                withMethod(withMethod(function.toByteArray(), "app.py", 95), "old.py", 14));

        Inventory inventory = scanFunction(zip);

        assertThat(Scans.coordinates(inventory)).contains("left-pad@1.3.0");
        assertThat(inventory.problems())
                .anySatisfy(p -> {
                    assertThat(p.path()).isEqualTo("app.py");
                    assertThat(p.reason()).contains("is compressed with method 95");
                })
                .anySatisfy(p -> {
                    assertThat(p.path()).isEqualTo("old.py");
                    assertThat(p.reason()).contains("is compressed with method 14");
                })
                .anySatisfy(p -> assertThat(p.path() + ": " + p.reason())
                        .contains("lib/lib.jar!/META-INF/maven/org.example/lib/pom.properties")
                        .contains("is compressed with method 95"));
    }

    @Test
    void shouldReportAnEncryptedMemberAndReadTheRest() throws Exception {
        java.io.ByteArrayOutputStream function = new java.io.ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(function)) {
            putStored(out, "secret.py", "import sys\n");
            putStored(out, "node_modules/left-pad/package.json", "{\"name\":\"left-pad\",\"version\":\"1.3.0\"}");
        }
        Path zip = Files.write(tmp.resolve("function.zip"), encrypted(function.toByteArray(), "secret.py"));

        Inventory inventory = scanFunction(zip);

        assertThat(Scans.coordinates(inventory)).containsExactly("left-pad@1.3.0");
        assertThat(inventory.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("secret.py");
            assertThat(p.reason()).isEqualTo("is encrypted; not read");
        });
    }

    /** The function zip's inventory, as a function scan builds it. */
    private static Inventory scanFunction(Path zip) throws Exception {
        ScanLimits limits = ScanLimits.defaults();
        try (ZipArtifact artifact = ZipArtifact.open(zip, ArtifactKind.FUNCTION, DeploymentModel.FUNCTION, limits)) {
            return new InventoryScanner(limits, m -> {}).scan(artifact, Catalogers.forKind(ArtifactKind.FUNCTION));
        }
    }

    private static void putStored(ZipArchiveOutputStream out, String name, String content) throws Exception {
        putStored(out, name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static void putStored(ZipArchiveOutputStream out, String name, byte[] content) throws Exception {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setMethod(java.util.zip.ZipEntry.STORED);
        entry.setSize(content.length);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        out.putArchiveEntry(entry);
        out.write(content);
        out.closeArchiveEntry();
    }

    /** The zip with the named member's compression method changed in its local and its central header. */
    private static byte[] withMethod(byte[] zip, String name, int method) {
        return withHeaderField(zip, name, 8, 10, method);
    }

    /** The zip with the named member's general purpose flags set to encrypted (bit 0) in both headers. */
    private static byte[] encrypted(byte[] zip, String name) {
        return withHeaderField(zip, name, 6, 8, 1);
    }

    /** The zip with a two-byte field of the named member's local and central headers (at these offsets) set. */
    private static byte[] withHeaderField(byte[] zip, String name, int localOffset, int centralOffset, int value) {
        byte[] bytes = zip.clone();
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int changed = 0;
        for (int i = 0; i + 46 < bytes.length; i++) {
            int signature = b.getInt(i);
            int nameAt = signature == 0x04034b50 ? i + 30 : signature == 0x02014b50 ? i + 46 : -1;
            int nameLength = signature == 0x04034b50 ? b.getShort(i + 26) : b.getShort(i + 28);
            if (nameAt > 0
                    && nameLength == wanted.length
                    && java.util.Arrays.equals(bytes, nameAt, nameAt + nameLength, wanted, 0, wanted.length)) {
                b.putShort(signature == 0x04034b50 ? i + localOffset : i + centralOffset, (short) value);
                changed++;
            }
        }
        assertThat(changed).as(name + "'s local and central headers").isEqualTo(2);
        return bytes;
    }

    private static void put(ZipArchiveOutputStream out, ZipArchiveEntry entry, String content) throws Exception {
        out.putArchiveEntry(entry);
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeArchiveEntry();
    }
}
