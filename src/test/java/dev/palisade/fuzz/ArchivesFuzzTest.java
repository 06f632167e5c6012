package dev.palisade.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.palisade.catalog.Cataloger;
import dev.palisade.catalog.Catalogers;
import dev.palisade.catalog.java.JavaArchiveCataloger;
import dev.palisade.catalog.java.KnownMavenGroups;
import dev.palisade.scan.InventoryScanner;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.SourceException;
import dev.palisade.source.archive.ZipArtifact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/** Zip files: a function package scanned as a whole, and Java archives (nested jars included) found inside artifacts. */
@Timeout(10)
class ArchivesFuzzTest {
    /** One file for every input: creating and deleting a file per input cost more than reading the zip. */
    private static final Path zip = Fuzzing.scratchFile(".zip");

    private final JavaArchiveCataloger javaArchives = new JavaArchiveCataloger(KnownMavenGroups.load());
    private final List<Cataloger> functionCatalogers = Catalogers.forKind(ArtifactKind.FUNCTION);

    /** A function package: the zip is read by its central directory and every member goes to the catalogers. */
    @FuzzTest
    void functionZip(byte[] input) throws IOException {
        Files.write(zip, input);
        try (ZipArtifact artifact =
                ZipArtifact.open(zip, ArtifactKind.FUNCTION, DeploymentModel.UNSPECIFIED, Fuzzing.LIMITS)) {
            new InventoryScanner(Fuzzing.LIMITS, message -> {}).scan(artifact, functionCatalogers);
        } catch (SourceException expected) {
            // not a zip Palisade can read at all
        }
    }

    @AfterAll
    static void deleteZip() throws IOException {
        Files.deleteIfExists(zip);
    }

    @FuzzTest
    void javaArchive(byte[] input) {
        Fuzzing.catalog(javaArchives, "app/lib/app.jar", input);
    }
}
