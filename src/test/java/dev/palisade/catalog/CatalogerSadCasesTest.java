package dev.palisade.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.apk.ApkInstalledCataloger;
import dev.palisade.catalog.dotnet.DotnetCataloger;
import dev.palisade.catalog.dpkg.DpkgCopyrightCataloger;
import dev.palisade.catalog.dpkg.DpkgStatusCataloger;
import dev.palisade.catalog.golang.GoBinaryCataloger;
import dev.palisade.catalog.golang.GoModCataloger;
import dev.palisade.catalog.gradle.GradleDependenciesCataloger;
import dev.palisade.catalog.gradle.GradleLockfileCataloger;
import dev.palisade.catalog.gradle.GradleVerificationMetadataCataloger;
import dev.palisade.catalog.java.JavaArchiveCataloger;
import dev.palisade.catalog.java.KnownMavenGroups;
import dev.palisade.catalog.npm.NpmInstalledCataloger;
import dev.palisade.catalog.npm.PackageLockCataloger;
import dev.palisade.catalog.npm.PnpmLockCataloger;
import dev.palisade.catalog.npm.YarnLockCataloger;
import dev.palisade.catalog.php.ComposerLockCataloger;
import dev.palisade.catalog.python.PythonInstalledCataloger;
import dev.palisade.catalog.python.PythonLockCataloger;
import dev.palisade.catalog.rpm.RpmDbCataloger;
import dev.palisade.catalog.ruby.GemfileLockCataloger;
import dev.palisade.catalog.rust.CargoLockCataloger;
import dev.palisade.inventory.Inventory;
import dev.palisade.testing.CatalogerTester;
import dev.palisade.testing.Scans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every cataloger on an empty, a corrupt (garbage bytes) and a truncated copy of its file, from
 * {@code fixtures/sad/<ecosystem>/<case>/}: nothing escapes, no package is made up from the bad bytes,
 * and the bad file is reported as a problem on its path. A silent skip is a defect.
 */
class CatalogerSadCasesTest {
    private static final Path SAD = Paths.get("src/test/resources/fixtures/sad");

    /**
     * One sad fixture: the folder under {@code fixtures/sad}, the cataloger, the bad file's path, what
     * the problem says, and the packages that remain true (those a truncated file still holds whole).
     */
    record SadCase(
            String folder, Supplier<Cataloger> cataloger, String path, String reasonPart, List<String> stillTrue) {
        @Override
        public String toString() {
            return folder;
        }
    }

    private static final List<SadCase> CASES = List.of(
            empty("dpkg", DpkgStatusCataloger::new, "var/lib/dpkg/status"),
            sad("dpkg/corrupt", DpkgStatusCataloger::new, "var/lib/dpkg/status", "invalid UTF-8"),
            sad(
                    "dpkg/truncated",
                    DpkgStatusCataloger::new,
                    "var/lib/dpkg/status",
                    "cut short",
                    "libssl1.1@1.1.1n-0+deb11u3"),
            empty("dpkg-copyright", DpkgCopyrightCataloger::new, "usr/share/doc/zlib1g/copyright"),
            sad(
                    "dpkg-copyright/corrupt",
                    DpkgCopyrightCataloger::new,
                    "usr/share/doc/zlib1g/copyright",
                    "is not UTF-8 text"),
            sad("dpkg-copyright/truncated", DpkgCopyrightCataloger::new, "usr/share/doc/zlib1g/copyright", "cut short"),
            empty("apk", ApkInstalledCataloger::new, "lib/apk/db/installed"),
            sad("apk/corrupt", ApkInstalledCataloger::new, "lib/apk/db/installed", "is not a 'K:value' line"),
            sad("apk/truncated", ApkInstalledCataloger::new, "lib/apk/db/installed", "cut short"),
            sad("rpm/empty", RpmDbCataloger::new, "var/lib/rpm/rpmdb.sqlite", "not a readable rpmdb.sqlite"),
            sad("rpm/corrupt", RpmDbCataloger::new, "var/lib/rpm/rpmdb.sqlite", "not a readable rpmdb.sqlite"),
            sad("rpm/truncated", RpmDbCataloger::new, "var/lib/rpm/rpmdb.sqlite", "not a readable rpmdb.sqlite"),
            sad("java/empty", CatalogerSadCasesTest::java, "app/lib/app-1.0.jar", "java-archive could not read it"),
            sad("java/corrupt", CatalogerSadCasesTest::java, "app/lib/app-1.0.jar", "java-archive could not read it"),
            sad("java/truncated", CatalogerSadCasesTest::java, "app/lib/app-1.0.jar", "java-archive could not read it"),
            empty("npm-installed", NpmInstalledCataloger::new, "node_modules/lodash/package.json"),
            unparsable("npm-installed" + "/corrupt", NpmInstalledCataloger::new, "node_modules/lodash/package.json"),
            unparsable("npm-installed" + "/truncated", NpmInstalledCataloger::new, "node_modules/lodash/package.json"),
            empty(
                    "python-installed",
                    PythonInstalledCataloger::new,
                    "site-packages/requests-2.31.0.dist-info/METADATA"),
            sad(
                    "python-installed/corrupt",
                    PythonInstalledCataloger::new,
                    "site-packages/requests-2.31.0.dist-info/METADATA",
                    "no Name or no Version"),
            sad(
                    "python-installed/truncated",
                    PythonInstalledCataloger::new,
                    "site-packages/requests-2.31.0.dist-info/METADATA",
                    "cut short"),
            sad("go-binary/corrupt", GoBinaryCataloger::new, "usr/bin/app", "Go build information"),
            sad("go-binary/truncated", GoBinaryCataloger::new, "usr/bin/app", "Go build information"),
            empty("dotnet-deps", () -> new DotnetCataloger(false), "app/app.deps.json"),
            unparsable("dotnet-deps" + "/corrupt", () -> new DotnetCataloger(false), "app/app.deps.json"),
            unparsable("dotnet-deps" + "/truncated", () -> new DotnetCataloger(false), "app/app.deps.json"),
            empty("npm-package-lock", PackageLockCataloger::new, "package-lock.json"),
            unparsable("npm-package-lock" + "/corrupt", PackageLockCataloger::new, "package-lock.json"),
            unparsable("npm-package-lock" + "/truncated", PackageLockCataloger::new, "package-lock.json"),
            empty("yarn", YarnLockCataloger::new, "yarn.lock"),
            sad("yarn/corrupt", YarnLockCataloger::new, "yarn.lock", "neither an entry header nor a field"),
            sad(
                    "yarn/truncated",
                    YarnLockCataloger::new,
                    "yarn.lock",
                    "cut short",
                    "@babel/helper-validator-identifier@7.29.7",
                    "lodash@4.18.1"),
            empty("pnpm", PnpmLockCataloger::new, "pnpm-lock.yaml"),
            unparsable("pnpm" + "/corrupt", PnpmLockCataloger::new, "pnpm-lock.yaml"),
            unparsable("pnpm" + "/truncated", PnpmLockCataloger::new, "pnpm-lock.yaml"),
            empty("python-requirements", PythonLockCataloger::new, "requirements.txt"),
            sad("python-requirements/corrupt", PythonLockCataloger::new, "requirements.txt", "not text"),
            sad(
                    "python-requirements/truncated",
                    PythonLockCataloger::new,
                    "requirements.txt",
                    "cut short",
                    "django@4.2.7"),
            empty("python-poetry", PythonLockCataloger::new, "poetry.lock"),
            unparsable("python-poetry" + "/corrupt", PythonLockCataloger::new, "poetry.lock"),
            unparsable("python-poetry" + "/truncated", PythonLockCataloger::new, "poetry.lock"),
            empty("python-pipfile", PythonLockCataloger::new, "Pipfile.lock"),
            unparsable("python-pipfile" + "/corrupt", PythonLockCataloger::new, "Pipfile.lock"),
            unparsable("python-pipfile" + "/truncated", PythonLockCataloger::new, "Pipfile.lock"),
            empty("go-mod", GoModCataloger::new, "go.mod"),
            sad("go-mod/corrupt", GoModCataloger::new, "go.mod", "unknown directive"),
            sad("go-mod/truncated", GoModCataloger::new, "go.mod", "cut short", "golang.org/x/net@v0.17.0"),
            empty("cargo", CargoLockCataloger::new, "Cargo.lock"),
            unparsable("cargo" + "/corrupt", CargoLockCataloger::new, "Cargo.lock"),
            unparsable("cargo" + "/truncated", CargoLockCataloger::new, "Cargo.lock"),
            empty("gem", GemfileLockCataloger::new, "Gemfile.lock"),
            sad("gem/corrupt", GemfileLockCataloger::new, "Gemfile.lock", "not a Gemfile.lock"),
            sad("gem/truncated", GemfileLockCataloger::new, "Gemfile.lock", "cut short", "nokogiri@1.10.3"),
            empty("composer", ComposerLockCataloger::new, "composer.lock"),
            unparsable("composer" + "/corrupt", ComposerLockCataloger::new, "composer.lock"),
            unparsable("composer" + "/truncated", ComposerLockCataloger::new, "composer.lock"),
            empty("nuget-lock", () -> new DotnetCataloger(true), "packages.lock.json"),
            unparsable("nuget-lock" + "/corrupt", () -> new DotnetCataloger(true), "packages.lock.json"),
            unparsable("nuget-lock" + "/truncated", () -> new DotnetCataloger(true), "packages.lock.json"),
            empty("gradle-lockfile", GradleLockfileCataloger::new, "gradle.lockfile"),
            sad(
                    "gradle-lockfile/corrupt",
                    GradleLockfileCataloger::new,
                    "gradle.lockfile",
                    "not a lock file as Gradle writes it"),
            sad(
                    "gradle-lockfile/truncated",
                    GradleLockfileCataloger::new,
                    "gradle.lockfile",
                    "cut short",
                    "com.fasterxml.jackson.core:jackson-core@2.15.2"),
            empty("gradle-verification", GradleVerificationMetadataCataloger::new, "gradle/verification-metadata.xml"),
            unparsable(
                    "gradle-verification/corrupt",
                    GradleVerificationMetadataCataloger::new,
                    "gradle/verification-metadata.xml"),
            unparsable(
                    "gradle-verification/truncated",
                    GradleVerificationMetadataCataloger::new,
                    "gradle/verification-metadata.xml"),
            empty("gradle-dependencies", GradleDependenciesCataloger::new, "gradle-dependencies.txt"),
            sad(
                    "gradle-dependencies/corrupt",
                    GradleDependenciesCataloger::new,
                    "gradle-dependencies.txt",
                    "holds no dependency tree"),
            sad(
                    "gradle-dependencies/truncated",
                    GradleDependenciesCataloger::new,
                    "gradle-dependencies.txt",
                    "cut short",
                    "org.apache.commons:commons-text@1.10.0",
                    "org.apache.commons:commons-lang3@3.12.0",
                    "org.springframework.boot:spring-boot-dependencies@3.1.0"));

    private static Cataloger java() {
        return new JavaArchiveCataloger(KnownMavenGroups.load());
    }

    private static SadCase sad(
            String folder, Supplier<Cataloger> cataloger, String path, String reasonPart, String... stillTrue) {
        return new SadCase(folder, cataloger, path, reasonPart, List.of(stillTrue));
    }

    private static SadCase empty(String ecosystem, Supplier<Cataloger> cataloger, String path) {
        return sad(ecosystem + "/empty", cataloger, path, "is empty");
    }

    /** A corrupt or truncated structured (JSON, YAML, TOML) file, which the parser refuses. */
    private static SadCase unparsable(String folder, Supplier<Cataloger> cataloger, String path) {
        return sad(folder, cataloger, path, cataloger.get().name() + " could not read it");
    }

    static Stream<SadCase> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldReportTheBadFileAndMakeUpNoPackage(SadCase sad) throws Exception {
        Inventory inventory = CatalogerTester.fromDirectory(SAD.resolve(sad.folder()))
                .expectsReads(sad.path())
                .expectsProblem(sad.path(), sad.reasonPart())
                .test(sad.cataloger().get());

        assertThat(Scans.coordinates(inventory))
                .as("packages still true in %s", sad.folder())
                .containsExactlyInAnyOrderElementsOf(sad.stillTrue());
    }

    /**
     * An empty executable is not a Go binary, nor is one that is not ELF (a shell script): nothing to
     * read and nothing to report, or every script of an image would be a problem.
     */
    @Test
    void shouldNotReadAnEmptyExecutableAsAGoBinary() throws Exception {
        CatalogerTester.fromDirectory(SAD.resolve("go-binary/empty"))
                .expectsReads()
                .expectsNoPackages()
                .expectsNoProblems()
                .test(new GoBinaryCataloger());
    }

    @Test
    void shouldHaveASadFolderForEveryCatalogerWithAReadme() throws Exception {
        Set<String> tested = new TreeSet<>();
        for (SadCase sad : CASES) {
            tested.add(sad.cataloger().get().name());
        }
        Set<String> installedAndLocks = new TreeSet<>();
        Stream.concat(Catalogers.installed().stream(), Catalogers.lockFiles().stream())
                .forEach(c -> installedAndLocks.add(c.name()));
        assertThat(tested).as("catalogers with sad cases").isEqualTo(installedAndLocks);

        List<String> folders = new ArrayList<>();
        try (Stream<Path> ecosystems = Files.list(SAD)) {
            for (Path ecosystem : ecosystems.filter(Files::isDirectory).sorted().collect(Collectors.toList())) {
                for (String kind : List.of("empty", "corrupt", "truncated")) {
                    Path folder = ecosystem.resolve(kind);
                    assertThat(folder.resolve("README.md"))
                            .as("what %s holds", folder)
                            .isRegularFile();
                    folders.add(SAD.relativize(folder).toString());
                }
            }
        }
        List<String> covered =
                new ArrayList<>(CASES.stream().map(SadCase::folder).collect(Collectors.toList()));
        covered.add("go-binary/empty");
        assertThat(covered).as("every sad folder is tested").containsExactlyInAnyOrderElementsOf(folders);
    }
}
