package dev.palisade.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.Cataloger;
import dev.palisade.catalog.dotnet.DotnetCataloger;
import dev.palisade.catalog.golang.GoBinaryCataloger;
import dev.palisade.catalog.golang.GoModCataloger;
import dev.palisade.catalog.gradle.GradleDependenciesCataloger;
import dev.palisade.catalog.gradle.GradleLockfileCataloger;
import dev.palisade.catalog.gradle.GradleVerificationMetadataCataloger;
import dev.palisade.catalog.java.JavaArchiveCataloger;
import dev.palisade.catalog.java.KnownMavenGroups;
import dev.palisade.catalog.npm.PackageLockCataloger;
import dev.palisade.catalog.npm.PnpmLockCataloger;
import dev.palisade.catalog.npm.YarnLockCataloger;
import dev.palisade.catalog.php.ComposerLockCataloger;
import dev.palisade.catalog.python.PythonLockCataloger;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.Problem;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Found by fuzzing: an entry whose name makes no Package URL (empty, or a scope with nothing after its
 * slash) threw from the purl builder, and the whole file was lost with it. One such entry must cost
 * only itself: the other packages of the file are kept.
 */
class NamelessPackagesTest {
    private final List<Problem> problems = new ArrayList<>();

    @Test
    void shouldKeepTheOtherPackagesOfAPackageLock() throws Exception {
        List<Package> found = catalog(
                new PackageLockCataloger(),
                "app/package-lock.json",
                text("{\"lockfileVersion\": 3, \"packages\": {\"node_modules/lodash\": {\"version\": \"4.17.20\"},"
                        + " \"node_modules/\": {\"version\": \"1.0.0\"}}}"));

        assertThat(found)
                .extracting(Package::name, Package::version, Package::purl)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("lodash", "4.17.20", "pkg:npm/lodash@4.17.20"));
        assertThat(problems).extracting(Problem::reason).containsExactly("entry '' has no package name; skipped");
    }

    @Test
    void shouldKeepTheOtherPackagesOfAYarnLock() throws Exception {
        List<Package> found = catalog(
                new YarnLockCataloger(),
                "app/yarn.lock",
                text("\"lodash@^4.17.20\":\n  version \"4.17.20\"\n\n\"@babel/@^7.22.20\":\n  version \"7.22.20\"\n"));

        assertThat(found).extracting(Package::purl).containsExactly("pkg:npm/lodash@4.17.20");
        assertThat(problems).hasSize(1);
    }

    @Test
    void shouldKeepTheOtherPackagesOfAPnpmLock() throws Exception {
        List<Package> found = catalog(
                new PnpmLockCataloger(),
                "app/pnpm-lock.yaml",
                text(
                        "lockfileVersion: '6.0'\npackages:\n  /lodash@4.17.20:\n    dev: false\n  /@babel/@7.22.20:\n    dev: false\n"));

        assertThat(found).extracting(Package::purl).containsExactly("pkg:npm/lodash@4.17.20");
        assertThat(problems).hasSize(1);
    }

    @Test
    void shouldKeepTheOtherModulesOfAGoMod() throws Exception {
        List<Package> found = catalog(
                new GoModCataloger(),
                "app/go.mod",
                text("module example.com/app\n\nrequire (\n\tgithub.com/lib/pq v1.10.9\n\tgolang.org/x/ v0.7.0\n)\n"));

        assertThat(found).extracting(Package::purl).containsExactly("pkg:golang/github.com/lib/pq@v1.10.9");
        assertThat(problems)
                .extracting(Problem::reason)
                .containsExactly("module 'golang.org/x/' has no module path; skipped");
    }

    @Test
    void shouldKeepTheOtherModulesOfAGoBinary() throws Exception {
        byte[] binary = Files.readAllBytes(Path.of(getClass()
                .getResource("OsPackagesFuzzTestInputs/goBuildInfo/crash-module-path-without-name")
                .toURI()));

        List<Package> found = catalog(new GoBinaryCataloger(), "usr/local/bin/tool", binary);

        assertThat(found)
                .extracting(Package::purl)
                .containsExactlyInAnyOrder(
                        "pkg:golang/example.com@v1.4.0",
                        "pkg:golang/github.com/lib/pq@v1.10.9",
                        "pkg:golang/stdlib@v1.22.5");
    }

    @Test
    void shouldKeepTheOtherPackagesOfAComposerLock() throws Exception {
        List<Package> found = catalog(
                new ComposerLockCataloger(),
                "app/composer.lock",
                text("{\"packages\": [{\"name\": \"guzzlehttp/guzzle\", \"version\": \"7.4.2\"},"
                        + " {\"name\": \"/symfony/http-kernel\", \"version\": \"5.4.0\"}]}"));

        assertThat(found).extracting(Package::purl).containsExactly("pkg:composer/guzzlehttp/guzzle@7.4.2");
    }

    @Test
    void shouldKeepTheOtherPackagesOfAPipfileLock() throws Exception {
        List<Package> found = catalog(
                new PythonLockCataloger(),
                "app/Pipfile.lock",
                text("{\"default\": {\"\": {\"version\": \"==2.0.7\"}, \"requests\": {\"version\": \"==2.31.0\"}},"
                        + " \"develop\": {\"c_\": {\"version\": \"==11.0\"}}}"));

        assertThat(found).extracting(Package::purl).containsExactly("pkg:pypi/requests@2.31.0", "pkg:pypi/c-@11.0");
        assertThat(problems).extracting(Problem::reason).containsExactly("package '' has no package name; skipped");
    }

    @Test
    void shouldKeepTheOtherPackagesOfADotnetDepsFile() throws Exception {
        List<Package> found = catalog(
                new DotnetCataloger(false),
                "app/app.deps.json",
                text(
                        "{\"libraries\": {\"Newtonsoft.Json/13.0.1\": {\"type\": \"package\"}, \"Serilog/\": {\"type\": \"package\"}}}"));

        assertThat(found).extracting(Package::purl).containsExactly("pkg:nuget/Newtonsoft.Json@13.0.1");
        assertThat(problems)
                .extracting(Problem::reason)
                .containsExactly("package 'Serilog' has no valid name or no version; skipped");
    }

    @Test
    void shouldKeepTheOtherPackagesOfADotnetPackagesLock() throws Exception {
        List<Package> found = catalog(
                new DotnetCataloger(true),
                "app/packages.lock.json",
                text("{\"dependencies\": {\"net8.0\": {\"Serilog\": {\"type\": \"Direct\", \"resolved\": \"3.1.1\"},"
                        + " \"\": {\"type\": \"Transitive\", \"resolved\": \"1.0.0\"}}}}"));

        assertThat(found).extracting(Package::purl).containsExactly("pkg:nuget/Serilog@3.1.1");
        assertThat(problems).hasSize(1);
    }

    @Test
    void shouldKeepTheOtherPackagesOfAYarnLockWithAVersionOfNuls() throws Exception {
        List<Package> found = catalog(
                new YarnLockCataloger(),
                "app/yarn.lock",
                text("\"lodash@^4.17.20\":\n  version \"4.17.20\"\n\n\"left-pad@^1.3.0\":\n  version \"\u0000\"\n"));

        assertThat(found).extracting(Package::name).containsExactlyInAnyOrder("lodash", "left-pad");
        assertThat(found)
                .filteredOn(p -> p.name().equals("lodash"))
                .extracting(Package::purl)
                .containsExactly("pkg:npm/lodash@4.17.20");
    }

    @Test
    void shouldKeepTheOtherPackagesOfAYarnLockWithAHeaderOfCommas() throws Exception {
        List<Package> found = catalog(
                new YarnLockCataloger(),
                "app/yarn.lock",
                text(",:\n  version \"1.0.0\"\n\n\"lodash@^4.17.20\":\n  version \"4.17.20\"\n"));

        assertThat(found).extracting(Package::purl).containsExactly("pkg:npm/lodash@4.17.20");
    }

    /** The same in the Berry (YAML) form of yarn.lock: a key of commas threw, and the file was lost. */
    @Test
    void shouldKeepTheOtherPackagesOfABerryYarnLockWithAKeyOfCommas() throws Exception {
        List<Package> found = catalog(
                new YarnLockCataloger(),
                "app/yarn.lock",
                text("__metadata:\n  version: 6\n\n\",\":\n  version: 1.0.0\n\n"
                        + "\"lodash@npm:^4.17.20\":\n  version: 4.17.20\n  resolution: \"lodash@npm:4.17.20\"\n"));

        assertThat(found).extracting(Package::purl).containsExactly("pkg:npm/lodash@4.17.20");
    }

    @Test
    void shouldReadAGoBinaryWithALineOfTabs() throws Exception {
        byte[] binary = Files.readAllBytes(Path.of(getClass()
                .getResource("OsPackagesFuzzTestInputs/goBuildInfo/crash-line-of-tabs")
                .toURI()));

        List<Package> found = catalog(new GoBinaryCataloger(), "usr/local/bin/tool", binary);

        assertThat(found)
                .extracting(Package::purl)
                .containsExactlyInAnyOrder("pkg:golang/github.com/lib/pq@v1.10.9", "pkg:golang/stdlib@v1.22.5");
    }

    // Maven coordinates: a group id with an empty segment between slashes made the purl builder throw

    @Test
    void shouldKeepTheOtherModulesOfAGradleLockfile() throws Exception {
        List<Package> found = catalog(
                new GradleLockfileCataloger(),
                "app/gradle.lockfile",
                text("com.google.guava:guava:32.1.2-jre=compileClasspath\n"
                        + "com.fasterx//ml.jackson.core:jackson-core:2.15.2=compileClasspath\nempty=\n"));

        assertThat(found).extracting(Package::purl).containsExactly("pkg:maven/com.google.guava/guava@32.1.2-jre");
        assertThat(problems)
                .extracting(Problem::reason)
                .containsExactly("line 2: com.fasterx//ml.jackson.core:jackson-core makes no Package URL (an empty "
                        + "segment between slashes); left out");
    }

    @Test
    void shouldKeepTheOtherModulesOfAGradleDependencyTree() throws Exception {
        List<Package> found = catalog(
                new GradleDependenciesCataloger(),
                "app/" + GradleDependenciesCataloger.FILE_NAME,
                text("compileClasspath - Compile classpath for source set 'main'.\n"
                        + "+--- com.google.guava:guava:32.1.2-jre\n"
                        + "\\--- /com.example:thing:1.0\n\n"));

        assertThat(found).extracting(Package::purl).containsExactly("pkg:maven/com.google.guava/guava@32.1.2-jre");
        assertThat(problems).extracting(Problem::reason).anyMatch(r -> r.contains("makes no Package URL"));
    }

    @Test
    void shouldKeepTheOtherComponentsOfGradleVerificationMetadata() throws Exception {
        List<Package> found = catalog(
                new GradleVerificationMetadataCataloger(),
                "app/gradle/verification-metadata.xml",
                text("<verification-metadata xmlns=\"https://schema.gradle.org/dependency-verification\">"
                        + "<components><component group=\"com//example\" name=\"thing\" version=\"1.0\"/>"
                        + "<component group=\"com.google.guava\" name=\"guava\" version=\"32.1.2-jre\"/>"
                        + "</components></verification-metadata>"));

        assertThat(found).extracting(Package::purl).containsExactly("pkg:maven/com.google.guava/guava@32.1.2-jre");
        assertThat(problems)
                .extracting(Problem::reason)
                .containsExactly("component com//example:thing makes no Package URL (an empty segment between "
                        + "slashes); left out");
    }

    @Test
    void shouldKeepTheOtherPomPropertiesOfAJar() throws Exception {
        byte[] jar = zip(
                "META-INF/maven/bad/thing/pom.properties", "groupId=com//example\nartifactId=thing\nversion=1.0\n",
                "META-INF/maven/com.google.guava/guava/pom.properties",
                        "groupId=com.google.guava\nartifactId=guava\nversion=32.1.2-jre\n");

        List<Package> found = catalog(new JavaArchiveCataloger(KnownMavenGroups.load()), "app/lib/app.jar", jar);

        assertThat(found).extracting(Package::purl).containsExactly("pkg:maven/com.google.guava/guava@32.1.2-jre");
        assertThat(problems).extracting(Problem::reason).anyMatch(r -> r.contains("makes no Package URL"));
    }

    @Test
    void shouldIgnoreAGroupGuessThatMakesNoPurl() throws Exception {
        byte[] jar = zip(
                "META-INF/MANIFEST.MF",
                "Manifest-Version: 1.0\r\nImplementation-Vendor-Id: org.example//vendor\r\n"
                        + "Implementation-Version: 1.0\r\n\r\n");

        List<Package> found = catalog(new JavaArchiveCataloger(KnownMavenGroups.load()), "app/lib/thing-1.0.jar", jar);

        assertThat(found).extracting(Package::purl).containsExactly("pkg:maven/thing/thing@1.0");
    }

    private static byte[] zip(String... namesAndContents) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                zip.putNextEntry(new java.util.zip.ZipEntry(namesAndContents[i]));
                zip.write(text(namesAndContents[i + 1]));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private List<Package> catalog(Cataloger cataloger, String path, byte[] bytes) throws Exception {
        FileEntry file = new FileEntry(path, FileKind.FILE, bytes.length, 0755, 0, 0, null, 0);
        return cataloger.catalog(
                file, new ByteArrayInputStream(bytes), new CatalogContext(Fuzzing.LIMITS, problems::add, null));
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
