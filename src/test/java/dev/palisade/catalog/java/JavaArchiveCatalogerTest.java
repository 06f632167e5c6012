package dev.palisade.catalog.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.Problem;
import dev.palisade.source.ScanLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;

class JavaArchiveCatalogerTest {
    private final List<Problem> problems = new ArrayList<>();
    private final JavaArchiveCataloger cataloger = new JavaArchiveCataloger(KnownMavenGroups.load());

    private List<Package> catalog(String path, byte[] jar, ScanLimits limits) throws Exception {
        FileEntry entry = new FileEntry(path, FileKind.FILE, jar.length, 0644, 0, 0, null, 0);
        return cataloger.catalog(entry, new ByteArrayInputStream(jar), new CatalogContext(limits, problems::add, null));
    }

    static byte[] jar(String... namesAndContents) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                zip.putArchiveEntry(new ZipArchiveEntry(namesAndContents[i]));
                zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.ISO_8859_1));
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static String pom(String g, String a, String v) {
        return "groupId=" + g + "\nartifactId=" + a + "\nversion=" + v + "\n";
    }

    @Test
    void shouldReportEveryPomOfAShadedJar() throws Exception {
        byte[] shaded = jar(
                "META-INF/maven/com.example/app/pom.properties", pom("com.example", "app", "1.0"),
                "META-INF/maven/com.google.guava/guava/pom.properties", pom("com.google.guava", "guava", "31.1-jre"));

        List<Package> packages = catalog("opt/app-1.0.jar", shaded, ScanLimits.defaults());

        assertThat(packages)
                .extracting(Package::purl)
                .containsExactly("pkg:maven/com.example/app@1.0", "pkg:maven/com.google.guava/guava@31.1-jre");
        assertThat(packages.get(0).metadata()).containsKey("sha1");
        assertThat(packages.get(1).metadata()).containsEntry("embeddedIn", "opt/app-1.0.jar");
    }

    @Test
    void shouldIdentifyAJarWithoutPomByManifestAndKnownGroup() throws Exception {
        byte[] spring = jar(
                "META-INF/MANIFEST.MF",
                "Manifest-Version: 1.0\r\nImplementation-Title: spring-webmvc\r\nImplementation-Version: 5.3.17\r\n\r\n");

        List<Package> packages = catalog("lib/spring-webmvc-5.3.17.jar", spring, ScanLimits.defaults());

        assertThat(packages).singleElement().satisfies(p -> {
            assertThat(p.purl()).isEqualTo("pkg:maven/org.springframework/spring-webmvc@5.3.17");
            assertThat(p.metadata()).containsEntry("identifiedBy", "file-name+manifest+known-group");
        });
    }

    @Test
    void shouldTakeTheGroupFromAMavenRepositoryLayout() throws Exception {
        List<Package> packages = catalog(
                "root/.m2/repository/aopalliance/aopalliance/1.0/aopalliance-1.0.jar",
                jar("org/aopalliance/A.class", "x"),
                ScanLimits.defaults());

        assertThat(packages).extracting(Package::purl).containsExactly("pkg:maven/aopalliance/aopalliance@1.0");
    }

    @Test
    void shouldStopAtTheNestingLimitOfJarsInJars() throws Exception {
        byte[] inner = jar("META-INF/maven/g/deep/pom.properties", pom("g", "deep", "1"));
        for (int depth = 0; depth < 100; depth++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
                zip.putArchiveEntry(new ZipArchiveEntry("lib/nested.jar"));
                zip.write(inner);
                zip.closeArchiveEntry();
            }
            inner = bytes.toByteArray();
        }

        List<Package> packages = catalog("deep.jar", inner, ScanLimits.defaults());

        assertThat(packages).as("the pom five levels down is never reached").isEmpty();
        assertThat(problems).anySatisfy(p -> assertThat(p.reason()).contains("nested deeper than 5 levels"));
        assertThat(problems).hasSizeLessThan(10);
    }

    @Test
    void shouldNotInflateANestedBombPastTheLimit() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.putArchiveEntry(new ZipArchiveEntry("BOOT-INF/lib/bomb.jar"));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 64; i++) {
                zip.write(zeros);
            }
            zip.closeArchiveEntry();
        }
        assertThat(bytes.size()).isLessThan(1024 * 1024);

        List<Package> packages = catalog(
                "bomb-1.0.jar", bytes.toByteArray(), ScanLimits.defaults().withMaxFileBytes(4 * 1024 * 1024));

        assertThat(packages).extracting(Package::purl).containsExactly("pkg:maven/bomb/bomb@1.0");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("bomb-1.0.jar!/BOOT-INF/lib/bomb.jar");
            assertThat(p.reason()).contains("larger than the limit");
        });
    }

    /** One member of {@code size} zeros, then a central directory that points {@code copies} entries at it. */
    static byte[] overlappingEntries(int size, int copies) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.putArchiveEntry(new ZipArchiveEntry("lib/x0000.jar"));
            zip.write(new byte[size]);
            zip.closeArchiveEntry();
        }
        byte[] single = bytes.toByteArray();
        ByteBuffer end = ByteBuffer.wrap(single, single.length - 22, 22).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(end.getInt(0)).as("end of central directory record").isEqualTo(0x06054b50);
        int directorySize = end.getInt(12);
        int directoryOffset = end.getInt(16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(single, 0, directoryOffset);
        for (int i = 0; i < copies; i++) {
            byte[] record = Arrays.copyOfRange(single, directoryOffset, directoryOffset + directorySize);
            byte[] name = String.format("lib/x%04d.jar", i).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, record, 46, name.length);
            out.write(record);
        }
        ByteBuffer newEnd = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        newEnd.putInt(0x06054b50)
                .putShort((short) 0)
                .putShort((short) 0)
                .putShort((short) copies)
                .putShort((short) copies)
                .putInt(directorySize * copies)
                .putInt(directoryOffset)
                .putShort((short) 0);
        out.write(newEnd.array());
        return out.toByteArray();
    }

    @Test
    void shouldRefuseCentralDirectoryEntriesThatPointAtTheSameMember() throws Exception {
        byte[] bomb = overlappingEntries(5 * 1024 * 1024, 200);
        assertThat(bomb.length).isLessThan(64 * 1024);

        List<Package> packages =
                catalog("app-1.0.jar", bomb, ScanLimits.defaults().withMaxFileBytes(4 * 1024 * 1024));

        assertThat(packages).extracting(Package::purl).containsExactly("pkg:maven/app/app@1.0");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("app-1.0.jar");
            assertThat(p.reason())
                    .isEqualTo(
                            "200 entries share or overlap their data with another entry (the trick of a zip bomb), the first lib/x0000.jar; those entries were not read");
        });
    }

    @Test
    void shouldCountTheBytesOfRefusedMembersAgainstTheNestedBudget() throws Exception {
        int memberSize = 1024 * 1024 + 1;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            byte[] zeros = new byte[memberSize];
            for (int i = 0; i < 200; i++) {
                zip.putArchiveEntry(new ZipArchiveEntry(String.format("BOOT-INF/lib/big%03d.jar", i)));
                zip.write(zeros);
                zip.closeArchiveEntry();
            }
        }

        catalog("app-1.0.jar", bytes.toByteArray(), ScanLimits.defaults().withMaxFileBytes(1024 * 1024));

        assertThat(problems)
                .as("4 members use up 4 x maxFileBytes; the rest are not inflated")
                .hasSize(5);
        assertThat(problems.subList(0, 4))
                .allSatisfy(p -> assertThat(p.reason()).contains("larger than the limit"));
        assertThat(problems.get(4)).satisfies(p -> {
            assertThat(p.path()).isEqualTo("app-1.0.jar!/BOOT-INF/lib/big004.jar");
            assertThat(p.reason())
                    .contains("nested-archive budget of 4194304 bytes per archive is used up")
                    .contains("195 more nested archives");
        });
    }

    @Test
    void shouldBoundTheNestedBudgetByMaxTotalBytes() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            byte[] zeros = new byte[512 * 1024];
            for (int i = 0; i < 20; i++) {
                zip.putArchiveEntry(new ZipArchiveEntry(String.format("WEB-INF/lib/dep%02d.jar", i)));
                zip.write(zeros);
                zip.closeArchiveEntry();
            }
        }

        catalog(
                "app-1.0.war",
                bytes.toByteArray(),
                ScanLimits.defaults().withMaxFileBytes(1024 * 1024).withMaxTotalBytes(1024 * 1024));

        assertThat(problems).last().satisfies(p -> assertThat(p.reason())
                .contains("nested-archive budget of 1048576 bytes per archive is used up"));
        assertThat(problems).hasSizeLessThan(5);
    }

    /** An archive whose members are stored as they are (no compression), as Spring Boot stores its jars. */
    static byte[] storedJar(String[] names, byte[][] contents) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (int i = 0; i < names.length; i++) {
                ZipArchiveEntry entry = new ZipArchiveEntry(names[i]);
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(contents[i].length);
                CRC32 crc = new CRC32();
                crc.update(contents[i]);
                entry.setCrc(crc.getValue());
                zip.putArchiveEntry(entry);
                zip.write(contents[i]);
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static String sha1(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    }

    @Test
    void shouldReadAStoredNestedJarWhereItLiesWithItsOwnDigest() throws Exception {
        byte[] inner = jar("META-INF/maven/org.example/inner/pom.properties", pom("org.example", "inner", "2.0"));
        byte[] deeper = jar("META-INF/maven/org.example/deeper/pom.properties", pom("org.example", "deeper", "3.0"));
        byte[] middle = storedJar(
                new String[] {"META-INF/maven/org.example/middle/pom.properties", "lib/deeper-3.0.jar"},
                new byte[][] {pom("org.example", "middle", "1.5").getBytes(StandardCharsets.ISO_8859_1), deeper});
        byte[] app = storedJar(
                new String[] {"BOOT-INF/lib/inner-2.0.jar", "BOOT-INF/lib/middle-1.5.jar"},
                new byte[][] {inner, middle});

        List<Package> packages = catalog("app/app-1.0.jar", app, ScanLimits.defaults());

        assertThat(packages)
                .extracting(Package::purl, p -> p.metadata().get("sha1"), p -> p.locations()
                        .get(0)
                        .path())
                .containsExactly(
                        tuple("pkg:maven/app/app@1.0", sha1(app), "app/app-1.0.jar"),
                        tuple(
                                "pkg:maven/org.example/inner@2.0",
                                sha1(inner),
                                "app/app-1.0.jar!/BOOT-INF/lib/inner-2.0.jar"),
                        tuple(
                                "pkg:maven/org.example/middle@1.5",
                                sha1(middle),
                                "app/app-1.0.jar!/BOOT-INF/lib/middle-1.5.jar"),
                        tuple(
                                "pkg:maven/org.example/deeper@3.0",
                                sha1(deeper),
                                "app/app-1.0.jar!/BOOT-INF/lib/middle-1.5.jar!/lib/deeper-3.0.jar"));
        assertThat(problems).isEmpty();
        ZipCentralDirectory directory = ZipCentralDirectory.read(ArchiveBytes.of(app));
        long at = directory.storedAt(directory.wanted().get(0));
        assertThat(at).as("found where it lies, not inflated into a copy").isPositive();
        assertThat(Arrays.copyOfRange(app, (int) at, (int) at + inner.length)).isEqualTo(inner);
    }

    @Test
    void shouldCountStoredNestedJarsAgainstTheNestedBudget() throws Exception {
        byte[] member = new byte[700 * 1024];
        String[] names = new String[8];
        byte[][] contents = new byte[8][];
        for (int i = 0; i < names.length; i++) {
            names[i] = String.format("BOOT-INF/lib/dep%d-1.0.jar", i);
            contents[i] = member;
        }

        catalog(
                "app-1.0.jar",
                storedJar(names, contents),
                ScanLimits.defaults().withMaxFileBytes(8 * 1024 * 1024).withMaxTotalBytes(4 * 1024 * 1024));

        assertThat(problems)
                .as("5 members of 700 KiB fit in a budget of 4 MiB, the sixth does not; the budget is then used up")
                .extracting(Problem::path)
                .containsExactly(
                        "app-1.0.jar!/BOOT-INF/lib/dep0-1.0.jar",
                        "app-1.0.jar!/BOOT-INF/lib/dep1-1.0.jar",
                        "app-1.0.jar!/BOOT-INF/lib/dep2-1.0.jar",
                        "app-1.0.jar!/BOOT-INF/lib/dep3-1.0.jar",
                        "app-1.0.jar!/BOOT-INF/lib/dep4-1.0.jar",
                        "app-1.0.jar!/BOOT-INF/lib/dep5-1.0.jar",
                        "app-1.0.jar!/BOOT-INF/lib/dep6-1.0.jar");
        assertThat(problems.subList(0, 5))
                .allSatisfy(p -> assertThat(p.reason()).startsWith("not a readable archive"));
        assertThat(problems.get(5).reason()).contains("larger than the limit").contains("nested-archive budget");
        assertThat(problems.get(6).reason())
                .contains("nested-archive budget of 4194304 bytes per archive is used up")
                .contains("1 more nested archives");
    }

    @Test
    void shouldReadAStoredNestedJarWhoseLocalHeaderDisagreesTheOrdinaryWay() throws Exception {
        byte[] inner = jar("META-INF/maven/org.example/inner/pom.properties", pom("org.example", "inner", "2.0"));
        byte[] app = storedJar(new String[] {"BOOT-INF/lib/inner-2.0.jar"}, new byte[][] {inner});
        ByteBuffer local = ByteBuffer.wrap(app).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(local.getInt(0)).as("local file header").isEqualTo(0x04034b50);
        local.putShort(8, (short) ZipEntry.DEFLATED); // the central directory still says stored

        List<Package> packages = catalog("app-1.0.jar", app, ScanLimits.defaults());

        ZipCentralDirectory directory = ZipCentralDirectory.read(ArchiveBytes.of(app));
        assertThat(directory.storedAt(directory.wanted().get(0))).isEqualTo(-1);
        assertThat(packages)
                .extracting(Package::purl, p -> p.metadata().get("sha1"))
                .containsExactly(
                        tuple("pkg:maven/app/app@1.0", sha1(app)),
                        tuple("pkg:maven/org.example/inner@2.0", sha1(inner)));
    }

    @Test
    void shouldRefuseADoctypeInEveryPomOfAnArchiveNotOnlyTheFirst() throws Exception {
        String licensed = "<project><licenses><license><name>MIT</name></license></licenses></project>";
        String hostile = "<?xml version=\"1.0\"?><!DOCTYPE project [<!ENTITY e \"Evil\">]>"
                + "<project><licenses><license><name>&e;</name></license></licenses></project>";
        byte[] first = jar(
                "META-INF/maven/org.example/first/pom.properties",
                pom("org.example", "first", "1"),
                "META-INF/maven/org.example/first/pom.xml",
                licensed);
        byte[] second = jar(
                "META-INF/maven/org.example/second/pom.properties",
                pom("org.example", "second", "1"),
                "META-INF/maven/org.example/second/pom.xml",
                hostile);
        byte[] app = storedJar(new String[] {"lib/first-1.jar", "lib/second-1.jar"}, new byte[][] {first, second});

        List<Package> packages = catalog("app-1.0.jar", app, ScanLimits.defaults());

        assertThat(packages)
                .extracting(Package::name, Package::licenses)
                .contains(tuple("org.example:first", List.of("MIT")), tuple("org.example:second", List.of()));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("app-1.0.jar!/lib/second-1.jar!/META-INF/maven/org.example/second/pom.xml");
            assertThat(p.reason()).startsWith("licences not read");
        });
    }

    @Test
    void shouldReadThePomsOfOneArchiveAfterAnotherWithOneParserAsIfEachHadItsOwn() throws Exception {
        String hostile = "<?xml version=\"1.0\"?><!DOCTYPE project [<!ENTITY e \"Evil\">]>"
                + "<project><licenses><license><name>&e;</name></license></licenses></project>";
        String broken = "<project><licenses><license><name>MIT</name></license>";
        String licensed = "<project><licenses><license><name>Apache-2.0</name></license></licenses></project>";
        List<List<String>> found = new ArrayList<>();
        for (String pomXml : List.of(hostile, licensed, broken, licensed, hostile)) {
            byte[] jar = jar(
                    "META-INF/maven/org.example/lib/pom.properties",
                    pom("org.example", "lib", "1"),
                    "META-INF/maven/org.example/lib/pom.xml",
                    pomXml);
            found.add(catalog("lib-1.jar", jar, ScanLimits.defaults()).get(0).licenses());
        }

        assertThat(found)
                .containsExactly(List.of(), List.of("Apache-2.0"), List.of(), List.of("Apache-2.0"), List.of());
        assertThat(problems).extracting(Problem::reason).hasSize(3).allMatch(r -> r.startsWith("licences not read"));
    }

    @Test
    void shouldTellPomPropertiesByTheirPlace() {
        assertThat(JavaArchiveCataloger.isPomProperties("META-INF/maven/g/a/pom.properties"))
                .isTrue();
        assertThat(JavaArchiveCataloger.isPomProperties("META-INF/maven/org.x/a-b/pom.properties"))
                .isTrue();
        assertThat(JavaArchiveCataloger.isPomProperties("META-INF/maven/g/pom.properties"))
                .isFalse();
        assertThat(JavaArchiveCataloger.isPomProperties("META-INF/maven//a/pom.properties"))
                .isFalse();
        assertThat(JavaArchiveCataloger.isPomProperties("META-INF/maven/g//pom.properties"))
                .isFalse();
        assertThat(JavaArchiveCataloger.isPomProperties("META-INF/maven/g/a/b/pom.properties"))
                .isFalse();
        assertThat(JavaArchiveCataloger.isPomProperties("META-INF/maven/g/a/xpom.properties"))
                .isFalse();
        assertThat(JavaArchiveCataloger.isPomProperties("x/META-INF/maven/g/a/pom.properties"))
                .isFalse();
        assertThat(JavaArchiveCataloger.isPomProperties("META-INF/maven/pom.properties"))
                .isFalse();
    }

    @Test
    void shouldTellJavaArchivesByTheirExtensionInAnyCase() {
        assertThat(JarFileName.isJavaArchive("a-1.0.jar")).isTrue();
        assertThat(JarFileName.isJavaArchive("A.WAR")).isTrue();
        assertThat(JarFileName.isJavaArchive("plugin.Hpi")).isTrue();
        assertThat(JarFileName.isJavaArchive(".nar")).isTrue();
        assertThat(JarFileName.isJavaArchive("x.\u212Aar"))
                .as("Kelvin sign, lower-cased to k")
                .isTrue();
        assertThat(JarFileName.isJavaArchive("x.jar\n"))
                .as("as the regular expression's $")
                .isTrue();
        assertThat(JarFileName.isJavaArchive("jar")).isFalse();
        assertThat(JarFileName.isJavaArchive("a.jar.sha1")).isFalse();
        assertThat(JarFileName.isJavaArchive("a.tar")).isFalse();
        assertThat(JarFileName.isJavaArchive("a.jars")).isFalse();
        assertThat(JarFileName.isJavaArchive("ajar")).isFalse();
    }
}
