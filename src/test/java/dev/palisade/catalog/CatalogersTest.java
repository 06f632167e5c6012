package dev.palisade.catalog;

import static dev.palisade.testing.CatalogerTester.pkg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.apk.ApkInstalledCataloger;
import dev.palisade.catalog.dpkg.DpkgStatusCataloger;
import dev.palisade.catalog.golang.GoModCataloger;
import dev.palisade.catalog.npm.YarnLockCataloger;
import dev.palisade.catalog.python.PythonLockCataloger;
import dev.palisade.catalog.ruby.GemfileLockCataloger;
import dev.palisade.catalog.rust.CargoLockCataloger;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Package;
import dev.palisade.source.ArtifactKind;
import dev.palisade.testing.CatalogerTester;
import dev.palisade.testing.Scans;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every cataloger on its fixture directory, through the real pipeline. */
class CatalogersTest {
    static Inventory scan(String fixture, ArtifactKind kind) throws Exception {
        Path path = Paths.get("src/test/resources/fixtures", fixture);
        Inventory inventory = Scans.directory(path, kind);
        return inventory;
    }

    static List<String> purls(Inventory inventory) {
        return inventory.packages().stream().map(Package::purl).collect(Collectors.toList());
    }

    @Nested
    class JavaScript {
        @Test
        void shouldReadPackageLockV3() throws Exception {
            assertThat(purls(scan("npm/lock", ArtifactKind.DIRECTORY)))
                    .containsExactly(
                            "pkg:npm/%40babel/helper-validator-identifier@7.22.20",
                            "pkg:npm/lodash@4.17.20", "pkg:npm/minimist@1.2.5");
        }

        @Test
        void shouldReadYarnV1Lock() throws Exception {
            CatalogerTester.fromDirectory("fixtures/npm/yarn")
                    .expectsNoProblems()
                    .expectsPackages(
                            pkg(
                                    "@babel/helper-validator-identifier",
                                    "7.29.7",
                                    "pkg:npm/%40babel/helper-validator-identifier@7.29.7",
                                    "yarn.lock"),
                            pkg("lodash", "4.18.1", "pkg:npm/lodash@4.18.1", "yarn.lock"),
                            pkg("minimist", "1.2.8", "pkg:npm/minimist@1.2.8", "yarn.lock"))
                    .test(new YarnLockCataloger());
        }

        @Test
        void shouldReadPnpmLockV9() throws Exception {
            assertThat(purls(scan("npm/pnpm", ArtifactKind.DIRECTORY)))
                    .containsExactly(
                            "pkg:npm/%40babel/helper-validator-identifier@7.29.7",
                            "pkg:npm/lodash@4.18.1", "pkg:npm/minimist@1.2.8");
        }

        @Test
        void shouldReadInstalledPackagesInImagesToo() throws Exception {
            assertThat(purls(scan("npm/installed", ArtifactKind.ROOTFS)))
                    .containsExactly("pkg:npm/%40babel/helper-validator-identifier@7.29.7", "pkg:npm/lodash@4.18.1");
        }

        @Test
        void shouldLeaveLockFilesOutOfRootFilesystems() throws Exception {
            assertThat(scan("npm/lock", ArtifactKind.ROOTFS).packages()).isEmpty();
        }
    }

    @Test
    void shouldReadPythonMetadataAndLockFiles() throws Exception {
        assertThat(purls(scan("python", ArtifactKind.DIRECTORY)))
                .containsExactlyInAnyOrder(
                        "pkg:pypi/black@23.11.0",
                        "pkg:pypi/certifi@2023.7.22",
                        "pkg:pypi/django@4.2.7",
                        "pkg:pypi/pytest@7.4.3",
                        "pkg:pypi/pyyaml@6.0.1",
                        "pkg:pypi/requests@2.31.0",
                        "pkg:pypi/requests@2.31.0",
                        "pkg:pypi/urllib3@2.0.7");
    }

    @Test
    void shouldReadEveryPythonLockFormatWithoutAProblem() throws Exception {
        CatalogerTester.fromDirectory("fixtures/python/lock")
                .expectsReads("Pipfile.lock", "poetry.lock", "requirements.txt")
                .expectsNoProblems()
                .test(new PythonLockCataloger());
    }

    @Test
    void shouldReadTheDpkgStatusOfARealRootWithoutAProblem() throws Exception {
        CatalogerTester.fromDirectory("fixtures/debian-bullseye")
                .as(ArtifactKind.ROOTFS)
                .expectsReads("var/lib/dpkg/status")
                .expectsNoProblems()
                .test(new DpkgStatusCataloger());
    }

    @Test
    void shouldApplyGoModReplacements() throws Exception {
        Inventory inventory = CatalogerTester.fromDirectory("fixtures/golang")
                .expectsPackages(
                        pkg("github.com/gorilla/mux", "v1.8.0", "pkg:golang/github.com/gorilla/mux@v1.8.0", "go.mod"),
                        pkg("github.com/pkg/errors", "v0.9.0", "pkg:golang/github.com/pkg/errors@v0.9.0", "go.mod"),
                        pkg("golang.org/x/net", "v0.17.0", "pkg:golang/golang.org/x/net@v0.17.0", "go.mod"))
                .expectsNoProblems()
                .expectsReads("go.mod")
                .test(new GoModCataloger());
        assertThat(inventory.packages().get(1).metadata()).containsEntry("replaces", "github.com/pkg/errors@v0.9.1");
    }

    @Test
    void shouldReadCargoGemfileComposerAndDotnetFiles() throws Exception {
        CatalogerTester.fromDirectory("fixtures/rust")
                .expectsNoProblems()
                .expectsPackages(
                        pkg("h2", "0.3.21", "pkg:cargo/h2@0.3.21", "Cargo.lock"),
                        pkg("myapp", "0.1.0", "pkg:cargo/myapp@0.1.0", "Cargo.lock"))
                .test(new CargoLockCataloger());
        CatalogerTester.fromDirectory("fixtures/ruby")
                .expectsNoProblems()
                .expectsPackages(
                        pkg("nokogiri", "1.10.3", "pkg:gem/nokogiri@1.10.3", "Gemfile.lock"),
                        pkg("racc", "1.7.3", "pkg:gem/racc@1.7.3", "Gemfile.lock"),
                        pkg("rack", "2.2.3", "pkg:gem/rack@2.2.3", "Gemfile.lock"))
                .test(new GemfileLockCataloger());
        assertThat(purls(scan("php", ArtifactKind.DIRECTORY)))
                .containsExactly(
                        "pkg:composer/guzzlehttp/guzzle@7.4.2",
                        "pkg:composer/phpunit/phpunit@9.6.13",
                        "pkg:composer/symfony/http-kernel@5.4.20");
        assertThat(purls(scan("dotnet", ArtifactKind.ROOTFS))).containsExactly("pkg:nuget/Newtonsoft.Json@13.0.1");
        assertThat(purls(scan("dotnet", ArtifactKind.DIRECTORY)))
                .containsExactly("pkg:nuget/Newtonsoft.Json@13.0.1", "pkg:nuget/Serilog@3.0.1");
    }

    @Test
    void shouldReadAlpinePackagesWithTheirOrigin() throws Exception {
        Inventory inventory = CatalogerTester.fromDirectory("fixtures/apk")
                .as(ArtifactKind.ROOTFS)
                .expectsPackages(
                        pkg(
                                "busybox-binsh",
                                "1.36.1-r5",
                                "pkg:apk/alpine/busybox-binsh@1.36.1-r5?arch=x86_64&distro=alpine-3.18.4&upstream=busybox",
                                "lib/apk/db/installed"),
                        pkg(
                                "musl",
                                "1.2.4-r2",
                                "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4",
                                "lib/apk/db/installed"))
                .expectsNoProblems()
                .expectsReads("lib/apk/db/installed")
                .test(new ApkInstalledCataloger());
        assertThat(inventory.packages().get(0).sourceName()).isEqualTo("busybox");
    }
}
