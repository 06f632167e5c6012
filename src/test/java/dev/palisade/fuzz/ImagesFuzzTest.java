package dev.palisade.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.palisade.catalog.Catalogers;
import dev.palisade.scan.InventoryScanner;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.SourceException;
import dev.palisade.source.image.ImageSources;
import dev.palisade.testing.ImageBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/**
 * Image tars, read by {@link ImageSources} and {@link dev.palisade.source.image.ImageArtifact}, merged
 * by {@link dev.palisade.source.layer.LayerMerger} and catalogued. A hostile image may only end in a
 * {@link SourceException} (nothing readable) or a report of problems.
 */
@Timeout(10)
class ImagesFuzzTest {

    /** The whole docker-archive: manifest.json, config, layer blobs. */
    @FuzzTest
    void imageArchive(byte[] input) throws IOException {
        Path image = Files.createTempFile("palisade-fuzz-", ".tar");
        try {
            Files.write(image, input);
            scan(image);
        } finally {
            Files.deleteIfExists(image);
        }
    }

    /** One layer tar (entries, links, whiteouts, package databases) inside a well-formed image around it. */
    @FuzzTest
    void layerTar(byte[] input) throws IOException {
        Path image = Files.createTempFile("palisade-fuzz-", ".tar");
        try {
            new ImageBuilder().layer(input, "RUN fuzz").dockerArchive(image);
            scan(image);
        } finally {
            Files.deleteIfExists(image);
        }
    }

    private static void scan(Path image) {
        try (Artifact artifact =
                new ImageSources(Fuzzing.LIMITS, ImageSources.Platform.parse("linux/amd64")).open(image)) {
            new InventoryScanner(Fuzzing.LIMITS, message -> {}).scan(artifact, Catalogers.forKind(ArtifactKind.IMAGE));
        } catch (SourceException | IOException expected) {
            // SourceException: nothing readable; IOException: only from closing the tar
        }
    }
}
