package dev.palisade.catalog.golang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.ScanLimits;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads the build information of a real Go executable: Debian's skopeo, which .ci/run installs. */
class GoBinaryCatalogerTest {
    private static final Path SKOPEO = Paths.get("/usr/bin/skopeo");

    @Test
    void shouldReadModulesAndToolchainOfARealGoBinary() throws Exception {
        assertThat(SKOPEO).as("skopeo is installed by .ci/run").isRegularFile();
        FileEntry entry = new FileEntry("usr/bin/skopeo", FileKind.FILE, Files.size(SKOPEO), 0755, 0, 0, null, 0);
        List<Package> packages;
        try (InputStream in = Files.newInputStream(SKOPEO)) {
            packages = new GoBinaryCataloger()
                    .catalog(entry, in, new CatalogContext(ScanLimits.defaults(), p -> {}, null));
        }

        // Debian builds skopeo in GOPATH mode: the build information names the main package and the
        // toolchain, and no module dependencies
        assertThat(packages).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("stdlib");
            assertThat(p.version()).matches("v1\\.\\d+(\\.\\d+)?");
            assertThat(p.purl()).isEqualTo("pkg:golang/stdlib@" + p.version());
            assertThat(p.metadata())
                    .containsEntry("mainModulePath", "github.com/containers/skopeo/cmd/skopeo")
                    .containsEntry("goToolchain", "go" + p.version().substring(1));
        });
    }

    @Test
    void shouldApplyReplacementsFromModuleInformation() {
        String modInfo = String.join(
                "\n",
                "path\texample.com/cmd/tool",
                "mod\texample.com\tv1.4.0\th1:abc=",
                "dep\tgolang.org/x/net\tv0.7.0\th1:def=",
                "dep\tgithub.com/old/lib\tv1.0.0",
                "=>\tgithub.com/new/lib\tv1.0.1\th1:ghi=",
                "build\t-compiler=gc",
                "");

        List<Package> packages =
                new GoBinaryCataloger().packages("usr/bin/tool", new GoBuildInfo.Raw("go1.21.3", modInfo));

        assertThat(packages)
                .extracting(Package::purl)
                .containsExactly(
                        "pkg:golang/example.com@v1.4.0", "pkg:golang/golang.org/x/net@v0.7.0",
                        "pkg:golang/github.com/new/lib@v1.0.1", "pkg:golang/stdlib@v1.21.3");
        assertThat(packages.get(2).metadata()).containsEntry("replaces", "github.com/old/lib@v1.0.0");
    }

    @Test
    void shouldFindNothingInAnElfWithoutBuildInformation() throws Exception {
        Path ls = Paths.get("/usr/bin/ls");
        FileEntry entry = new FileEntry("usr/bin/ls", FileKind.FILE, Files.size(ls), 0755, 0, 0, null, 0);
        try (InputStream in = Files.newInputStream(ls)) {
            assertThat(new GoBinaryCataloger()
                            .catalog(entry, in, new CatalogContext(ScanLimits.defaults(), p -> {}, null)))
                    .isEmpty();
        }
    }
}
