package dev.palisade.catalog.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The central directory reader against Commons Compress's {@code ZipFile}, which read Java archives before it: the
 * same members, offsets, sizes and content on every jar of the test class path and on archives built to be odd.
 */
class ZipCentralDirectoryTest {

    /** What both readers say of a member, in the directory's order. */
    private record Seen(String name, long localHeaderOffset, long compressedSize, long size, int method, String data) {}

    @Test
    void shouldReadEveryJarOfTheClassPathAsCommonsCompressDoes() throws Exception {
        List<Path> jars = new ArrayList<>();
        for (String element : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (element.endsWith(".jar")) {
                jars.add(Path.of(element));
            }
        }
        assertThat(jars).as("the test class path's jars").hasSizeGreaterThan(50);
        long members = 0;
        for (Path jar : jars) {
            byte[] bytes = Files.readAllBytes(jar);
            List<Seen> ours = ours(bytes);
            assertThat(ours).as(jar.toString()).isEqualTo(commonsCompress(bytes));
            members += ours.size();
        }
        assertThat(members).as("members compared").isGreaterThan(200);
    }

    @Test
    void shouldReadAZip64ArchiveAsCommonsCompressDoes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            zip.setUseZip64(Zip64Mode.Always);
            put(zip, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n", ZipEntry.DEFLATED);
            put(zip, "META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1\n", ZipEntry.STORED);
            put(zip, "lib/inner-1.0.jar", "not really a jar", ZipEntry.DEFLATED);
        }
        byte[] bytes = out.toByteArray();

        assertThat(ours(bytes)).hasSize(3).isEqualTo(commonsCompress(bytes));
    }

    @Test
    void shouldAllowForALaunchScriptBeforeTheFirstMember() throws Exception {
        byte[] jar = JavaArchiveCatalogerTest.jar(
                "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nImplementation-Version: 2.0\n",
                "BOOT-INF/lib/x-1.0.jar", "inner");
        byte[] script = "#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n".getBytes(StandardCharsets.US_ASCII);
        byte[] executable = new byte[script.length + jar.length];
        System.arraycopy(script, 0, executable, 0, script.length);
        System.arraycopy(jar, 0, executable, script.length, jar.length);

        List<Seen> read = ours(executable);

        assertThat(read).isEqualTo(commonsCompress(executable));
        assertThat(read.get(0).localHeaderOffset()).isEqualTo(script.length);
        assertThat(read.get(0).data()).contains("Implementation-Version: 2.0");
    }

    @Test
    void shouldDecodeMalformedNamesAsCommonsCompressDoes() throws Exception {
        byte[] jar = JavaArchiveCatalogerTest.jar("lib/\u00e9t\u00e9-1.0.jar", "x", "lib/plain-1.0.jar", "y");
        // turns the first name's UTF-8 é (C3 A9) into a lone continuation byte, in both headers
        byte[] malformed = replaceAll(jar, new byte[] {(byte) 0xC3, (byte) 0xA9}, new byte[] {'x', (byte) 0xA9});

        List<Seen> read = ours(malformed);

        assertThat(read).isEqualTo(commonsCompress(malformed));
        assertThat(read.get(0).name()).isEqualTo("lib/x?tx?-1.0.jar");
    }

    @Test
    void shouldSayWhyAMemberOfAnotherMethodOrEncryptedIsNotRead() throws Exception {
        byte[] jar = JavaArchiveCatalogerTest.jar("a/one-1.0.jar", "x", "a/two-1.0.jar", "y");
        ZipCentralDirectory directory = ZipCentralDirectory.read(ArchiveBytes.of(withCentral(jar, 0, 10, 12)));
        ZipCentralDirectory encrypted = ZipCentralDirectory.read(ArchiveBytes.of(withCentral(jar, 1, 8, 1)));

        ZipCentralDirectory.Member bzip2 = directory.wanted().get(0);
        assertThat(bzip2.readable()).isFalse();
        assertThat(bzip2.whyUnreadable()).isEqualTo("is compressed with method 12, which Palisade does not read");
        assertThatThrownBy(() -> directory.open(bzip2)).hasMessageContaining("method 12");
        ZipCentralDirectory.Member locked = encrypted.wanted().get(1);
        assertThat(locked.readable()).isFalse();
        assertThat(locked.whyUnreadable()).isEqualTo("is encrypted");
    }

    @Test
    void shouldRefuseArchivesWithNoDirectoryOrABrokenOne() throws Exception {
        byte[] jar = JavaArchiveCatalogerTest.jar("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n");
        int end = jar.length - 22;
        int central = ByteBuffer.wrap(jar).order(ByteOrder.LITTLE_ENDIAN).getInt(end + 16);

        assertThatThrownBy(() -> ZipCentralDirectory.read(ArchiveBytes.of(new byte[100])))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a ZIP archive");
        byte[] cut = Arrays.copyOf(jar, central + 30);
        assertThatThrownBy(() -> ZipCentralDirectory.read(ArchiveBytes.of(cut))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ZipCentralDirectory.read(ArchiveBytes.of(withCentral(jar, 0, 42, central + 1))))
                .hasMessageContaining("starts after central directory");
        byte[] noDirectory = jar.clone();
        ByteBuffer.wrap(noDirectory).order(ByteOrder.LITTLE_ENDIAN).putInt(central, 0);
        assertThatThrownBy(() -> ZipCentralDirectory.read(ArchiveBytes.of(noDirectory)))
                .hasMessageContaining("Central directory is empty");
        for (byte[] broken : List.of(cut, withCentral(jar, 0, 42, central + 1), noDirectory)) {
            assertThatThrownBy(() -> commonsCompress(broken))
                    .as("Commons Compress refuses it too")
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void shouldRefuseDataThatRunsIntoTheDirectory() throws Exception {
        byte[] jar = JavaArchiveCatalogerTest.jar("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n");
        byte[] grown = withCentral(jar, 0, 20, 1_000_000);
        ZipCentralDirectory directory = ZipCentralDirectory.read(ArchiveBytes.of(grown));

        assertThatThrownBy(() -> directory.open(directory.wanted().get(0)))
                .hasMessage("data for META-INF/MANIFEST.MF overlaps with central directory.");
    }

    @Test
    void shouldTurnTheBackslashesOfNamesMadeOnMsDosIntoSlashesAsCommonsCompressDoes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // the JDK's writer keeps names as given and says they were made on MS-DOS, as jar tools do
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            for (String name : List.of(
                    "META-INF\\MANIFEST.MF",
                    "META-INF\\maven\\g\\a\\pom.properties",
                    "WEB-INF/lib\\x-1.0.jar",
                    "lib\\y-1.0.jar")) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(name.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        // the last one made on Unix, where a backslash is part of a name
        byte[] bytes = withCentral(out.toByteArray(), 3, 4, 3 << 8 | 20);

        List<Seen> read = ours(bytes);

        assertThat(read).isEqualTo(commonsCompress(bytes));
        assertThat(read)
                .extracting(Seen::name)
                .containsExactly(
                        "META-INF/MANIFEST.MF",
                        "META-INF/maven/g/a/pom.properties",
                        "WEB-INF/lib\\x-1.0.jar",
                        "lib\\y-1.0.jar");
    }

    @Test
    void shouldTakeAZip64SizePastTheArchiveForOneThatOverlapsWhatFollowsAndNeverReadIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            zip.setUseZip64(Zip64Mode.Always);
            put(zip, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n", ZipEntry.DEFLATED);
            put(zip, "META-INF/maven/g/a/pom.properties", "groupId=g\n", ZipEntry.DEFLATED);
        }
        byte[] bytes = out.toByteArray();
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int record = centralStart(bytes);
        int extra = record + 46 + buffer.getShort(record + 28);
        assertThat(buffer.getShort(extra)).as("the Zip64 extra field first").isEqualTo((short) 1);
        assertThat(buffer.getInt(record + 20))
                .as("compressed size in the Zip64 field")
                .isEqualTo(-1);
        // the field holds the uncompressed size, then the compressed one; a sum with this one wraps around
        buffer.putLong(extra + 4 + 8, Long.MAX_VALUE - 8);

        ZipCentralDirectory directory = ZipCentralDirectory.read(ArchiveBytes.of(bytes));

        assertThat(directory.overlappingCount()).isEqualTo(2);
        assertThat(directory.firstOverlapping()).isEqualTo("META-INF/MANIFEST.MF");
        assertThatThrownBy(() -> directory.open(directory.wanted().get(0)))
                .hasMessage("data for META-INF/MANIFEST.MF overlaps with central directory.");
    }

    @Test
    void shouldFindOverlappingMembersListedOutOfTheirOrderInTheArchive() throws Exception {
        byte[] jar = JavaArchiveCatalogerTest.jar("a/one-1.0.jar", "1", "a/two-1.0.jar", "2", "a/three-1.0.jar", "3");
        ZipCentralDirectory genuine = ZipCentralDirectory.read(ArchiveBytes.of(jar));
        long third = genuine.wanted().get(2).localHeaderOffset();
        // the first record points at the third member: listed before the second, it lies after it
        byte[] crafted = withCentral(jar, 0, 42, third);

        ZipCentralDirectory directory = ZipCentralDirectory.read(ArchiveBytes.of(crafted));

        assertThat(genuine.overlappingCount()).isZero();
        assertThat(directory.overlappingCount()).isEqualTo(2);
        assertThat(directory.firstOverlapping()).isEqualTo("a/one-1.0.jar");
        assertThat(directory.wanted())
                .filteredOn(directory::overlaps)
                .extracting(ZipCentralDirectory.Member::name)
                .containsExactly("a/one-1.0.jar", "a/three-1.0.jar");
    }

    /** Where the (non-Zip64) end record says the central directory starts, or the Zip64 end record says it. */
    private static int centralStart(byte[] zip) {
        ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        int start = buffer.getInt(end + 16);
        if (start == -1) {
            long zip64End = buffer.getLong(end - 20 + 8);
            return (int) buffer.getLong((int) zip64End + 48);
        }
        return start;
    }

    private static List<Seen> ours(byte[] bytes) throws IOException {
        ZipCentralDirectory directory = ZipCentralDirectory.read(ArchiveBytes.of(bytes));
        List<Seen> seen = new ArrayList<>();
        for (ZipCentralDirectory.Member member : directory.wanted()) {
            String data;
            try (InputStream in = directory.open(member)) {
                data = new String(in.readNBytes(1 << 16), StandardCharsets.ISO_8859_1);
            }
            seen.add(new Seen(
                    member.name(),
                    member.localHeaderOffset(),
                    member.compressedSize(),
                    member.size(),
                    member.method(),
                    data));
        }
        return seen;
    }

    /** The same members as Commons Compress reads them: the wanted names, no directories, in order. */
    private static List<Seen> commonsCompress(byte[] bytes) throws IOException {
        List<Seen> seen = new ArrayList<>();
        try (ZipFile zip = ZipFile.builder()
                .setByteArray(bytes)
                .setIgnoreLocalFileHeader(true)
                .get()) {
            for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
                if (entry.isDirectory()
                        || !ZipCentralDirectory.isWanted(entry.getName())
                        || ZipCentralDirectory.isPom(entry.getName())) {
                    continue;
                }
                String data;
                try (InputStream in = zip.getInputStream(entry)) {
                    data = new String(in.readNBytes(1 << 16), StandardCharsets.ISO_8859_1);
                }
                seen.add(new Seen(
                        entry.getName(),
                        entry.getLocalHeaderOffset(),
                        entry.getCompressedSize(),
                        entry.getSize(),
                        entry.getMethod(),
                        data));
            }
        }
        return seen;
    }

    private static void put(ZipArchiveOutputStream zip, String name, String content, int method) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setMethod(method);
        if (method == ZipEntry.STORED) {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(data);
            entry.setSize(data.length);
            entry.setCompressedSize(data.length);
            entry.setCrc(crc.getValue());
        }
        zip.putArchiveEntry(entry);
        zip.write(data);
        zip.closeArchiveEntry();
    }

    /**
     * The archive with a field of its {@code index}-th central directory record overwritten: at {@code offset} in
     * the record, 2 bytes (version made by, flags, method) or 4 (sizes, offsets) by the field's place.
     */
    private static byte[] withCentral(byte[] zip, int index, int offset, long value) {
        byte[] copy = zip.clone();
        ByteBuffer buffer = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        int record = buffer.getInt(copy.length - 22 + 16);
        for (int i = 0; i < index; i++) {
            record += 46 + buffer.getShort(record + 28) + buffer.getShort(record + 30) + buffer.getShort(record + 32);
        }
        if (offset == 4 || offset == 8 || offset == 10) {
            buffer.putShort(record + offset, (short) value);
        } else {
            buffer.putInt(record + offset, (int) value);
        }
        return copy;
    }

    private static byte[] replaceAll(byte[] bytes, byte[] from, byte[] to) {
        byte[] copy = bytes.clone();
        for (int i = 0; i + from.length <= copy.length; i++) {
            if (Arrays.equals(copy, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, copy, i, to.length);
            }
        }
        return copy;
    }
}
