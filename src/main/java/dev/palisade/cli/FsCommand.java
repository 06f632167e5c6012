package dev.palisade.cli;

import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.directory.DirectoryArtifact;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.ConfigScanner;
import dev.palisade.scan.InventoryScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "fs", mixinStandardHelpOptions = true,
        description = "Inventory of a project directory: lock files, manifests and built artifacts.")
final class FsCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "The project directory.")
    Path directory;

    FsCommand(Environment environment) {
        super(environment);
    }

    @Override
    Checked checks(InventoryScanner.Scanned scanned, CheckCatalog catalog, ScanLimits limits) throws IOException {
        if (!Files.isDirectory(directory)) {
            return new Checked(List.of(), List.of());
        }
        ConfigScanner.Result result = configScanner(catalog, limits).scan(directory);
        return new Checked(result.misconfigurations(), result.problems());
    }

    @Override
    Artifact open(ScanLimits limits) throws SourceException {
        return DirectoryArtifact.open(directory, ArtifactKind.DIRECTORY, DeploymentModel.UNSPECIFIED, Set.of(".git"), limits);
    }
}
