package dev.palisade.catalog.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.Problem;
import dev.palisade.source.ScanLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

        assertThat(packages).extracting(Package::purl).containsExactly(
                "pkg:maven/com.example/app@1.0", "pkg:maven/com.google.guava/guava@31.1-jre");
        assertThat(packages.get(0).metadata()).containsKey("sha1");
        assertThat(packages.get(1).metadata()).containsEntry("embeddedIn", "opt/app-1.0.jar");
    }

    @Test
    void shouldIdentifyAJarWithoutPomByManifestAndKnownGroup() throws Exception {
        byte[] spring = jar("META-INF/MANIFEST.MF",
                "Manifest-Version: 1.0\r\nImplementation-Title: spring-webmvc\r\nImplementation-Version: 5.3.17\r\n\r\n");

        List<Package> packages = catalog("lib/spring-webmvc-5.3.17.jar", spring, ScanLimits.defaults());

        assertThat(packages).singleElement().satisfies(p -> {
            assertThat(p.purl()).isEqualTo("pkg:maven/org.springframework/spring-webmvc@5.3.17");
            assertThat(p.metadata()).containsEntry("identifiedBy", "file-name+manifest+known-group");
        });
    }

    @Test
    void shouldTakeTheGroupFromAMavenRepositoryLayout() throws Exception {
        List<Package> packages = catalog("root/.m2/repository/aopalliance/aopalliance/1.0/aopalliance-1.0.jar",
                jar("org/aopalliance/A.class", "x"), ScanLimits.defaults());

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

        List<Package> packages = catalog("bomb-1.0.jar", bytes.toByteArray(), ScanLimits.defaults().withMaxFileBytes(4 * 1024 * 1024));

        assertThat(packages).extracting(Package::purl).containsExactly("pkg:maven/bomb/bomb@1.0");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("bomb-1.0.jar!/BOOT-INF/lib/bomb.jar");
            assertThat(p.reason()).contains("larger than the limit");
        });
    }
}
