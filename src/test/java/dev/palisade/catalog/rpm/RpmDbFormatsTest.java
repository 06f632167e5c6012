package dev.palisade.catalog.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Package;
import dev.palisade.source.ArtifactKind;
import dev.palisade.testing.Scans;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Berkeley DB {@code Packages} and NDB {@code Packages.db} rpm databases. The package headers are
 * written by rpm itself (rpmbuild, then rpm into an rpmdb.sqlite); the Berkeley DB hash file is written
 * from them by Berkeley DB's own {@code db5.3_load} (Debian's db5.3-util) and checked by rpm's read-only
 * Berkeley DB backend ({@code _db_backend bdb_ro}) before Palisade reads it. Debian's rpm has no NDB
 * backend, so the NDB file is written here from the layout of rpm's lib/backend/ndb/rpmpkg.c.
 */
class RpmDbFormatsTest {
    @TempDir
    static Path tmp;

    /** Header blobs by instance number, as rpm wrote them. */
    static Map<Integer, byte[]> headers;

    @BeforeAll
    static void buildHeadersWithRpm() throws Exception {
        Path specs = Files.createDirectories(tmp.resolve("build/SPECS"));
        StringBuilder provides = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            provides.append("Provides: palisade-capability-").append(i).append(" = 1.0\n");
        }
        writeSpec(specs, "palisade-epoch", "Epoch: 3\n");
        writeSpec(specs, "palisade-large", provides.toString()); // a header of many pages
        writeSpec(specs, "palisade-plain", "");
        List<String> rpms = new ArrayList<>();
        for (String name : List.of("palisade-epoch", "palisade-large", "palisade-plain")) {
            run(
                    "rpmbuild",
                    "-bb",
                    "--define",
                    "_topdir " + tmp.resolve("build"),
                    specs.resolve(name + ".spec").toString());
        }
        try (var found = Files.walk(tmp.resolve("build/RPMS"))) {
            found.filter(p -> p.toString().endsWith(".rpm"))
                    .map(Path::toString)
                    .sorted()
                    .forEach(rpms::add);
        }
        Path sqliteRoot = Files.createDirectories(tmp.resolve("sqlite-root"));
        run("rpm", "--root", sqliteRoot.toString(), "--dbpath", "/var/lib/rpm", "--initdb");
        List<String> install = new ArrayList<>(List.of(
                "rpm", "--root", sqliteRoot.toString(), "--dbpath", "/var/lib/rpm", "-i", "--nodeps", "--justdb"));
        install.addAll(rpms);
        run(install.toArray(String[]::new));
        headers = new LinkedHashMap<>();
        try (Connection db =
                        DriverManager.getConnection("jdbc:sqlite:" + sqliteRoot.resolve("var/lib/rpm/rpmdb.sqlite"));
                Statement s = db.createStatement();
                ResultSet rows = s.executeQuery("SELECT hnum, blob FROM Packages ORDER BY hnum")) {
            while (rows.next()) {
                headers.put(rows.getInt(1), rows.getBytes(2));
            }
        }
        assertThat(headers).hasSize(3);
    }

    private static void writeSpec(Path specs, String name, String extra) throws IOException {
        Files.writeString(
                specs.resolve(name + ".spec"),
                "Name: " + name + "\nVersion: 1.2.3\nRelease: 4.el8\n" + extra
                        + "Summary: fixture\nLicense: MIT\nBuildArch: noarch\n%description\nfixture\n%files\n");
    }

    /** A Berkeley DB hash {@code Packages} written by db5.3_load, in rpm's layout: native-endian instance keys. */
    static Path berkeleyDb(Path directory, int pageSize) throws Exception {
        Files.createDirectories(directory);
        StringBuilder dump =
                new StringBuilder("VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=" + pageSize + "\nHEADER=END\n");
        HexFormat hex = HexFormat.of();
        // rpm's own record under instance 0: the next instance number
        dump.append(' ').append(hex.formatHex(littleEndian(0))).append('\n');
        dump.append(' ').append(hex.formatHex(littleEndian(headers.size() + 1))).append('\n');
        for (Map.Entry<Integer, byte[]> e : headers.entrySet()) {
            dump.append(' ').append(hex.formatHex(littleEndian(e.getKey()))).append('\n');
            dump.append(' ').append(hex.formatHex(e.getValue())).append('\n');
        }
        dump.append("DATA=END\n");
        Path load = directory.resolveSibling(directory.getFileName() + ".dump");
        Files.writeString(load, dump.toString());
        run(
                tool("db5.3_load"),
                "-f",
                load.toString(),
                directory.resolve("Packages").toString());
        String listed = run(
                "rpm",
                "--dbpath",
                directory.toString(),
                "--define",
                "_db_backend bdb_ro",
                "-qa",
                "--qf",
                "%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n");
        assertThat(listed.lines().filter(l -> l.startsWith("palisade-")).sorted())
                .as("rpm itself reads the Berkeley DB file")
                .containsExactly(
                        "palisade-epoch 3:1.2.3-4.el8", "palisade-large 0:1.2.3-4.el8", "palisade-plain 0:1.2.3-4.el8");
        return directory.resolve("Packages");
    }

    private static byte[] littleEndian(int value) {
        return ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(value)
                .array();
    }

    private static String tool(String name) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        throw new AssertionError(name + " is not installed: install Debian's db5.3-util (Berkeley DB's tools)");
    }

    /** An NDB {@code Packages.db}: header and slot page, then each blob at 16-byte block offsets. */
    static byte[] ndb(Map<Integer, byte[]> blobs) {
        int slotPages = 1;
        List<byte[]> blocks = new ArrayList<>();
        ByteBuffer slots = ByteBuffer.allocate(4096 * slotPages).order(ByteOrder.LITTLE_ENDIAN);
        slots.putInt(0, 'R' | 'p' << 8 | 'm' << 16 | 'P' << 24);
        slots.putInt(4, 0);
        slots.putInt(8, 1);
        slots.putInt(12, slotPages);
        slots.putInt(16, headers.size() + 1); // next package index
        int block = 4096 * slotPages / 16;
        int slot = 2;
        for (Map.Entry<Integer, byte[]> e : blobs.entrySet()) {
            int length = e.getValue().length;
            int count = (16 + length + 12 + 15) / 16;
            ByteBuffer blob = ByteBuffer.allocate(count * 16).order(ByteOrder.LITTLE_ENDIAN);
            blob.putInt('B' | 'l' << 8 | 'b' << 16 | 'S' << 24)
                    .putInt(e.getKey())
                    .putInt(1)
                    .putInt(length);
            blob.put(e.getValue());
            blob.position(count * 16 - 12);
            blob.putInt('B' | 'l' << 8 | 'b' << 16 | 'E' << 24).putInt(0).putInt(length);
            blocks.add(blob.array());
            slots.putInt(slot * 16, 'S' | 'l' << 8 | 'o' << 16 | 't' << 24);
            slots.putInt(slot * 16 + 4, e.getKey());
            slots.putInt(slot * 16 + 8, block);
            slots.putInt(slot * 16 + 12, count);
            block += count;
            slot++;
        }
        for (; slot < 4096 * slotPages / 16; slot++) {
            slots.putInt(slot * 16, 'S' | 'l' << 8 | 'o' << 16 | 't' << 24); // free slots
        }
        ByteBuffer file = ByteBuffer.allocate(block * 16);
        file.put(slots.array());
        blocks.forEach(file::put);
        return file.array();
    }

    static Inventory scan(Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=\"rhel\"\nVERSION_ID=\"8.9\"\n");
        return Scans.directory(root, ArtifactKind.ROOTFS);
    }

    static void assertThreePackages(Inventory inventory) {
        assertThat(inventory.packages())
                .extracting(Package::name)
                .containsExactlyInAnyOrder("palisade-epoch", "palisade-large", "palisade-plain");
        Package epoch = inventory.packages().stream()
                .filter(p -> p.name().equals("palisade-epoch"))
                .findFirst()
                .orElseThrow();
        assertThat(epoch.version()).isEqualTo("1.2.3-4.el8");
        assertThat(epoch.metadata()).containsEntry("epoch", "3");
        assertThat(epoch.purl())
                .isEqualTo("pkg:rpm/redhat/palisade-epoch@1.2.3-4.el8?arch=noarch&distro=rhel-8.9&epoch=3");
    }

    @Test
    void shouldReadABerkeleyDbPackagesFileWrittenByBerkeleyDb() throws Exception {
        Path root = tmp.resolve("bdb-root");
        berkeleyDb(root.resolve("var/lib/rpm"), 4096);

        Inventory inventory = scan(root);

        assertThreePackages(inventory);
        assertThat(inventory.problems()).isEmpty();
    }

    @Test
    void shouldFollowOverflowChainsAcrossSmallPages() throws Exception {
        Path root = tmp.resolve("bdb-512-root");
        Path packages = berkeleyDb(root.resolve("usr/lib/sysimage/rpm"), 512);

        Inventory inventory = scan(root);

        assertThreePackages(inventory);
        assertThat(headers.values().stream().mapToInt(h -> h.length).max().orElseThrow())
                .as("the large header needs a chain of more than 8 overflow pages")
                .isGreaterThan(8 * 512);
        assertThat(Files.size(packages) / 512).as("pages").isGreaterThan(16);
    }

    @Test
    void shouldReadAnNdbPackagesDb() throws Exception {
        Path root = tmp.resolve("ndb-root");
        Files.createDirectories(root.resolve("usr/lib/sysimage/rpm"));
        Files.write(root.resolve("usr/lib/sysimage/rpm/Packages.db"), ndb(headers));

        Inventory inventory = scan(root);

        assertThreePackages(inventory);
        assertThat(inventory.problems()).isEmpty();
    }

    // hostile files, built page by page

    static ByteBuffer page(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static ByteBuffer meta(int pageSize, int lastPage) {
        ByteBuffer meta = page(pageSize);
        meta.putInt(12, BerkeleyDbHash.HASH_MAGIC);
        meta.putInt(16, 9);
        meta.putInt(20, pageSize);
        meta.put(25, (byte) 8);
        meta.putInt(32, lastPage);
        return meta;
    }

    /** A hash page with one pair: an inline 4-byte key and a value on overflow page {@code first}, of {@code length}. */
    static ByteBuffer hashPageWithOverflow(int pageSize, int first, int length) {
        ByteBuffer p = page(pageSize);
        p.put(25, (byte) 13);
        p.putShort(20, (short) 2);
        int keyAt = pageSize - 5;
        int dataAt = keyAt - 12;
        p.putShort(26, (short) keyAt);
        p.putShort(28, (short) dataAt);
        p.put(keyAt, (byte) 1).putInt(keyAt + 1, 1);
        p.put(dataAt, (byte) 3).putInt(dataAt + 4, first).putInt(dataAt + 8, length);
        return p;
    }

    static ByteBuffer overflowPage(int pageSize, int next, int used) {
        ByteBuffer p = page(pageSize);
        p.put(25, (byte) 7);
        p.putInt(16, next);
        p.putShort(22, (short) used);
        return p;
    }

    static List<String> readHostile(Path tmpDir, ByteBuffer... pages) throws IOException {
        Path file = Files.createTempFile(tmpDir, "hostile", ".db");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (ByteBuffer p : pages) {
                out.write(p.clear());
            }
        }
        List<String> problems = new ArrayList<>();
        List<BerkeleyDbHash.Entry> entries = new ArrayList<>();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            BerkeleyDbHash.read(in, entries::add, problems::add);
        }
        assertThat(entries).as("nothing read from a damaged chain").isEmpty();
        return problems;
    }

    @Test
    void shouldStopAtAnOverflowChainThatLoops(@TempDir Path dir) throws Exception {
        assertThat(readHostile(dir, meta(512, 2), hashPageWithOverflow(512, 2, 100_000), overflowPage(512, 2, 400)))
                .singleElement()
                .asString()
                .contains("loops back to page 2");
    }

    @Test
    void shouldStopAtAnOverflowChainLeavingTheFile(@TempDir Path dir) throws Exception {
        assertThat(readHostile(dir, meta(512, 2), hashPageWithOverflow(512, 2, 1000), overflowPage(512, 77, 400)))
                .singleElement()
                .asString()
                .contains("page 77, outside the database");
        assertThat(readHostile(
                        dir, meta(512, 2), hashPageWithOverflow(512, 2, Integer.MAX_VALUE), overflowPage(512, 0, 1)))
                .singleElement()
                .asString()
                .contains("larger than any rpm header");
        assertThat(readHostile(dir, meta(512, 2), hashPageWithOverflow(512, 2, 1000), overflowPage(512, 0, 4000)))
                .singleElement()
                .asString()
                .contains("do not fit");
    }

    @Test
    void shouldBoundThePageCountByTheFileSize(@TempDir Path dir) throws Exception {
        assertThat(readHostile(dir, meta(512, -1), page(512)))
                .singleElement()
                .asString()
                .contains("4294967296 pages but the file holds 2");
    }

    @Test
    void shouldRejectItemsOutsideTheirPage(@TempDir Path dir) throws Exception {
        ByteBuffer tooMany = page(512);
        tooMany.put(25, (byte) 13).putShort(20, (short) 4000);
        assertThat(readHostile(dir, meta(512, 1), tooMany))
                .singleElement()
                .asString()
                .contains("4000 items");
        ByteBuffer outside = page(512);
        outside.put(25, (byte) 13)
                .putShort(20, (short) 2)
                .putShort(26, (short) 600)
                .putShort(28, (short) 500);
        assertThat(readHostile(dir, meta(512, 1), outside))
                .singleElement()
                .asString()
                .contains("outside its page");
    }

    @Test
    void shouldRefuseWhatIsNoBerkeleyDbHashFile(@TempDir Path dir) throws Exception {
        ByteBuffer badPageSize = meta(512, 1).putInt(20, 3);
        assertThatThrownBy(() -> readHostile(dir, badPageSize, page(512))).hasMessageContaining("page size 3");
        assertThatThrownBy(() -> readHostile(dir, page(512))).hasMessageContaining("no hash magic");
    }

    @Test
    void shouldBoundNdbSlotsAndBlobs(@TempDir Path dir) throws Exception {
        byte[] valid = ndb(headers);
        ByteBuffer hugeSlots =
                ByteBuffer.wrap(valid.clone()).order(ByteOrder.LITTLE_ENDIAN).putInt(12, -1);
        assertThatThrownBy(() -> readNdb(dir, hugeSlots.array())).hasMessageContaining("slot pages");

        ByteBuffer farBlob =
                ByteBuffer.wrap(valid.clone()).order(ByteOrder.LITTLE_ENDIAN).putInt(2 * 16 + 8, 1 << 30);
        ByteBuffer longBlob = ByteBuffer.wrap(valid.clone()).order(ByteOrder.LITTLE_ENDIAN);
        int firstBlob = longBlob.getInt(2 * 16 + 8) * 16;
        longBlob.putInt(firstBlob + 12, Integer.MAX_VALUE);
        ByteBuffer damagedSlot =
                ByteBuffer.wrap(valid.clone()).order(ByteOrder.LITTLE_ENDIAN).putInt(3 * 16, 0);

        assertThat(readNdb(dir, farBlob.array())).contains("lies outside the database");
        assertThat(readNdb(dir, longBlob.array())).contains("does not fit");
        assertThat(readNdb(dir, damagedSlot.array())).contains("slot 3 is damaged");
    }

    private static String readNdb(Path dir, byte[] content) throws IOException {
        Path file = Files.createTempFile(dir, "Packages", ".db");
        Files.write(file, content);
        List<String> problems = new ArrayList<>();
        List<byte[]> blobs = new ArrayList<>();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            NdbPackages.read(in, blobs::add, problems::add);
        }
        assertThat(blobs.size()).isLessThan(headers.size());
        return String.join("\n", problems);
    }

    private static String run(String... command) throws Exception {
        Process process =
                new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor())
                .as(String.join(" ", command) + "\n" + output)
                .isZero();
        return output;
    }
}
