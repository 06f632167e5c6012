package dev.palisade.source.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.Layer;
import dev.palisade.source.LayerVisitor;
import dev.palisade.source.Problem;
import dev.palisade.source.RawEntry;
import dev.palisade.source.ScanLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryArtifactTest {
    @TempDir
    Path tmp;

    /** Reads every file to its end, as a streaming cataloger does with an executable. */
    static final class ReadingEverything implements LayerVisitor {
        long bytesRead;
        final List<Problem> problems = new ArrayList<>();

        @Override
        public void startLayer(Layer layer) {}

        @Override
        public void entry(RawEntry entry, InputStream content) throws IOException {
            bytesRead += content.transferTo(OutputStream.nullOutputStream());
        }

        @Override
        public void endLayer(Layer layer) {}

        @Override
        public void problem(Problem problem) {
            problems.add(problem);
        }
    }

    @Test
    void shouldStopReadingAtMaxTotalBytesAndSayWhere() throws Exception {
        Files.createDirectories(tmp.resolve("bin"));
        try (RandomAccessFile sparse =
                new RandomAccessFile(tmp.resolve("bin/huge").toFile(), "rw")) {
            sparse.setLength(1024L * 1024 * 1024);
        }
        long limit = 10L * 1024 * 1024;
        ReadingEverything visitor = new ReadingEverything();

        try (DirectoryArtifact artifact = DirectoryArtifact.open(
                tmp,
                ArtifactKind.DIRECTORY,
                DeploymentModel.UNSPECIFIED,
                Set.of(),
                ScanLimits.defaults().withMaxTotalBytes(limit))) {
            artifact.walk(visitor);
        }

        assertThat(visitor.bytesRead).isLessThanOrEqualTo(limit);
        assertThat(visitor.problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("bin/huge");
            assertThat(p.reason())
                    .startsWith("stopped reading: ")
                    .contains("maxTotalBytes")
                    .endsWith("results so far are kept");
        });
    }

    @Test
    void shouldCountEveryFileAgainstTheBudget() throws Exception {
        for (int i = 0; i < 8; i++) {
            Files.write(tmp.resolve("file" + i), new byte[1024 * 1024]);
        }
        ReadingEverything visitor = new ReadingEverything();

        try (DirectoryArtifact artifact = DirectoryArtifact.open(
                tmp,
                ArtifactKind.DIRECTORY,
                DeploymentModel.UNSPECIFIED,
                Set.of(),
                ScanLimits.defaults().withMaxTotalBytes(3L * 1024 * 1024 + 10))) {
            artifact.walk(visitor);
        }

        assertThat(visitor.bytesRead)
                .as("three files whole, the fourth cut at the limit")
                .isBetween(3L * 1024 * 1024, 3L * 1024 * 1024 + 10);
        assertThat(visitor.problems).singleElement().satisfies(p -> assertThat(p.path())
                .startsWith("file"));
    }
}
