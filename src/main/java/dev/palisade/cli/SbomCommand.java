package dev.palisade.cli;

import dev.palisade.catalog.sbom.SbomReader;
import dev.palisade.inventory.Inventory;
import dev.palisade.scan.InventoryScanner;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "sbom", mixinStandardHelpOptions = true,
        description = "Vulnerabilities of the packages an SBOM lists: CycloneDX or SPDX JSON written by another tool.")
final class SbomCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The SBOM (JSON).")
    Path sbom;

    SbomCommand(Environment environment) {
        super(environment);
    }

    @Override
    Artifact open(ScanLimits limits) throws SourceException {
        throw new SourceException("an SBOM is read as an inventory, not as an artifact");
    }

    @Override
    InventoryScanner.Scanned inventory(ScanLimits limits, Consumer<String> progress) throws SourceException {
        if (!Files.isRegularFile(sbom)) {
            throw new SourceException(sbom + ": no such file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(sbom)) {
            bytes = LimitedInputStream.readAll(in, limits.maxFileBytes(), sbom + " (limit maxFileBytes)");
        } catch (IOException e) {
            throw new SourceException(sbom + ": cannot be read: " + e.getMessage(), e);
        }
        SbomReader.Contents contents;
        try {
            contents = SbomReader.read(sbom.toString(), bytes);
        } catch (IOException e) {
            throw new SourceException(sbom + ": " + e.getMessage(), e);
        }
        ArtifactDescription description = new ArtifactDescription(sbom.toString(), ArtifactKind.SBOM,
                DeploymentModel.UNSPECIFIED, List.of(), null);
        return new InventoryScanner.Scanned(new Inventory(description, contents.os(), contents.packages(), contents.problems()),
                new dev.palisade.source.layer.MergedTree(1), List.of());
    }
}
