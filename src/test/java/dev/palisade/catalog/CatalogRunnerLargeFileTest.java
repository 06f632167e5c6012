package dev.palisade.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.npm.PackageLockCataloger;
import dev.palisade.inventory.Inventory;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.directory.DirectoryArtifact;
import dev.palisade.source.layer.LayerMerger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Placing the packages of one file in their layers takes time in proportion to the packages, not its square; and
 * the problems of one file are bounded.
 */
class CatalogRunnerLargeFileTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldPlaceTheTwoHundredThousandPackagesOfOneLockFileQuickly() throws Exception {
        int entries = 200_000;
        StringBuilder json = new StringBuilder("{\"lockfileVersion\": 3, \"packages\": {\"\": {}");
        for (int i = 0; i < entries; i++) {
            json.append(",\n\"node_modules/p")
                    .append(i)
                    .append("\": {\"version\": \"1.0.")
                    .append(i)
                    .append("\"}");
        }
        Files.writeString(tmp.resolve("package-lock.json"), json.append("}}\n"));

        Artifact artifact = DirectoryArtifact.open(
                tmp, ArtifactKind.DIRECTORY, DeploymentModel.UNSPECIFIED, Set.of(), ScanLimits.defaults());
        CatalogRunner runner =
                new CatalogRunner(List.of(new PackageLockCataloger()), ScanLimits.defaults(), message -> {});
        LayerMerger merger = new LayerMerger(runner, ScanLimits.defaults(), false);
        artifact.walk(merger);
        Inventory inventory = runner.finish(artifact.description(), merger.tree());

        assertThat(inventory.packages()).hasSize(entries);
        assertThat(inventory.packages())
                .allSatisfy(
                        p -> assertThat(p.locations()).extracting(l -> l.path()).containsExactly("package-lock.json"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldCountRatherThanListAMillionProblemsOfOneFile() throws Exception {
        StringBuilder lock = new StringBuilder("com.google.guava:guava:32.1.2-jre=compileClasspath\n");
        for (int i = 0; i < 1_000_000; i++) {
            lock.append("a//b:c").append(i).append(":1=x\n");
        }
        Files.writeString(tmp.resolve("gradle.lockfile"), lock);

        Artifact artifact = DirectoryArtifact.open(
                tmp, ArtifactKind.DIRECTORY, DeploymentModel.UNSPECIFIED, Set.of(), ScanLimits.defaults());
        CatalogRunner runner = new CatalogRunner(
                List.of(new dev.palisade.catalog.gradle.GradleLockfileCataloger()),
                ScanLimits.defaults(),
                message -> {});
        LayerMerger merger = new LayerMerger(runner, ScanLimits.defaults(), false);
        artifact.walk(merger);
        Inventory inventory = runner.finish(artifact.description(), merger.tree());

        assertThat(inventory.packages()).extracting(p -> p.name()).containsExactly("com.google.guava:guava");
        assertThat(inventory.problems()).hasSize(CatalogRunner.MAX_PROBLEMS_PER_FILE + 1);
        assertThat(inventory.problems())
                .extracting(p -> p.reason())
                .contains("gradle-lockfile: 999980 more problems in this file not listed");
    }
}
