package dev.palisade.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.palisade.catalog.Cataloger;
import dev.palisade.catalog.Catalogers;
import dev.palisade.scan.InventoryScanner;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.Layer;
import dev.palisade.source.LayerVisitor;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.Problem;
import dev.palisade.source.SourceException;
import dev.palisade.source.image.ImageSources;
import dev.palisade.source.image.LayerTar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Image tars, read by {@link ImageSources} and {@link dev.palisade.source.image.ImageArtifact}, merged
 * by {@link dev.palisade.source.layer.LayerMerger} and catalogued. A hostile image may only end in a
 * {@link SourceException} (nothing readable) or a report of problems.
 */
@Timeout(10)
class ImagesFuzzTest {
    /** One file for every input: creating and deleting a file per input cost more than reading the tar. */
    private static final Path archive = Fuzzing.scratchFile(".tar");

    private final List<Cataloger> imageCatalogers = Catalogers.forKind(ArtifactKind.IMAGE);

    /** The whole docker-archive: manifest.json, config, layer blobs. */
    @FuzzTest
    void imageArchive(byte[] input) throws IOException {
        Files.write(archive, input);
        try (Artifact artifact =
                new ImageSources(Fuzzing.LIMITS, ImageSources.Platform.parse("linux/amd64")).open(archive)) {
            new InventoryScanner(Fuzzing.LIMITS, message -> {}).scan(artifact, imageCatalogers);
        } catch (SourceException | IOException expected) {
            // SourceException: nothing readable; IOException: only from closing the tar
        }
    }

    @AfterAll
    static void deleteArchive() throws IOException {
        Files.deleteIfExists(archive);
    }

    /**
     * One layer tar (entries, links, whiteouts, package databases), walked by the same {@link LayerTar} an
     * image's layers go through, merged and catalogued as an image. The manifest, config and blob handling
     * around a layer are {@link #imageArchive}'s; leaving them out here makes an input cost a tenth as much.
     */
    @FuzzTest
    void layerTar(byte[] input) {
        try {
            new InventoryScanner(Fuzzing.LIMITS, message -> {}).scan(new OneLayerImage(input), imageCatalogers);
        } catch (SourceException expected) {
            // only from an artifact that cannot be read at all, which this one always can
        }
    }

    /**
     * A layer as {@code ImageArtifact} reads one once it is inflated: bounded by the image budget, walked entry by
     * entry (no digests: there are none to check). Stricter than {@code ImageArtifact}, which reports a
     * RuntimeException as an unreadable layer: here it is a finding, since the rest of the layer would be lost.
     */
    private record OneLayerImage(byte[] tar) implements Artifact {
        private static final Layer LAYER = new Layer(0, null, null, "RUN fuzz");

        @Override
        public ArtifactDescription description() {
            return new ArtifactDescription(
                    "fuzz-image", ArtifactKind.IMAGE, DeploymentModel.CONTAINER, List.of(LAYER), null);
        }

        @Override
        public void walk(LayerVisitor visitor) {
            visitor.startLayer(LAYER);
            try (LimitedInputStream content = LimitedInputStream.artifactBudget(
                    new ByteArrayInputStream(tar),
                    Fuzzing.LIMITS.maxTotalBytes(),
                    "the uncompressed content of the image",
                    Fuzzing.LIMITS.deadline())) {
                LayerTar.entries(content, visitor);
            } catch (IOException e) {
                visitor.problem(new Problem("layer.tar", null, "layer unreadable: " + e.getMessage()));
            }
            visitor.endLayer(LAYER);
        }

        @Override
        public void close() {}
    }
}
