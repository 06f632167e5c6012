package dev.palisade.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Package;
import dev.palisade.source.ArtifactKind;
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
            assertThat(purls(scan("npm/lock", ArtifactKind.DIRECTORY))).containsExactly(
                    "pkg:npm/%40babel/helper-validator-identifier@7.22.20", "pkg:npm/lodash@4.17.20", "pkg:npm/minimist@1.2.5");
        }

        @Test
        void shouldReadYarnV1Lock() throws Exception {
            assertThat(purls(scan("npm/yarn", ArtifactKind.DIRECTORY))).containsExactly(
                    "pkg:npm/%40babel/helper-validator-identifier@7.29.7", "pkg:npm/lodash@4.18.1", "pkg:npm/minimist@1.2.8");
        }

        @Test
        void shouldReadPnpmLockV9() throws Exception {
            assertThat(purls(scan("npm/pnpm", ArtifactKind.DIRECTORY))).containsExactly(
                    "pkg:npm/%40babel/helper-validator-identifier@7.29.7", "pkg:npm/lodash@4.18.1", "pkg:npm/minimist@1.2.8");
        }

        @Test
        void shouldReadInstalledPackagesInImagesToo() throws Exception {
            assertThat(purls(scan("npm/installed", ArtifactKind.ROOTFS))).containsExactly(
                    "pkg:npm/%40babel/helper-validator-identifier@7.29.7", "pkg:npm/lodash@4.18.1");
        }

        @Test
        void shouldLeaveLockFilesOutOfRootFilesystems() throws Exception {
            assertThat(scan("npm/lock", ArtifactKind.ROOTFS).packages()).isEmpty();
        }
    }

    @Test
    void shouldReadPythonMetadataAndLockFiles() throws Exception {
        assertThat(purls(scan("python", ArtifactKind.DIRECTORY))).containsExactlyInAnyOrder(
                "pkg:pypi/black@23.11.0", "pkg:pypi/certifi@2023.7.22", "pkg:pypi/django@4.2.7", "pkg:pypi/pytest@7.4.3",
                "pkg:pypi/pyyaml@6.0.1", "pkg:pypi/requests@2.31.0", "pkg:pypi/requests@2.31.0", "pkg:pypi/urllib3@2.0.7");
    }

    @Test
    void shouldApplyGoModReplacements() throws Exception {
        Inventory inventory = scan("golang", ArtifactKind.DIRECTORY);
        assertThat(purls(inventory)).containsExactly("pkg:golang/github.com/gorilla/mux@v1.8.0",
                "pkg:golang/github.com/pkg/errors@v0.9.0", "pkg:golang/golang.org/x/net@v0.17.0");
        assertThat(inventory.packages().get(1).metadata()).containsEntry("replaces", "github.com/pkg/errors@v0.9.1");
    }

    @Test
    void shouldReadCargoGemfileComposerAndDotnetFiles() throws Exception {
        assertThat(purls(scan("rust", ArtifactKind.DIRECTORY))).containsExactly("pkg:cargo/h2@0.3.21", "pkg:cargo/myapp@0.1.0");
        assertThat(purls(scan("ruby", ArtifactKind.DIRECTORY))).containsExactly(
                "pkg:gem/nokogiri@1.10.3", "pkg:gem/racc@1.7.3", "pkg:gem/rack@2.2.3");
        assertThat(purls(scan("php", ArtifactKind.DIRECTORY))).containsExactly(
                "pkg:composer/guzzlehttp/guzzle@7.4.2", "pkg:composer/phpunit/phpunit@9.6.13", "pkg:composer/symfony/http-kernel@5.4.20");
        assertThat(purls(scan("dotnet", ArtifactKind.ROOTFS))).containsExactly(
                "pkg:nuget/Newtonsoft.Json@13.0.1");
        assertThat(purls(scan("dotnet", ArtifactKind.DIRECTORY))).containsExactly(
                "pkg:nuget/Newtonsoft.Json@13.0.1", "pkg:nuget/Serilog@3.0.1");
    }

    @Test
    void shouldReadAlpinePackagesWithTheirOrigin() throws Exception {
        Inventory inventory = scan("apk", ArtifactKind.ROOTFS);
        assertThat(purls(inventory)).containsExactly(
                "pkg:apk/alpine/busybox-binsh@1.36.1-r5?arch=x86_64&distro=alpine-3.18.4&upstream=busybox",
                "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4");
        assertThat(inventory.packages().get(0).sourceName()).isEqualTo("busybox");
    }
}
