package dev.palisade.cli;

import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.archive.ZipArtifact;
import dev.palisade.source.directory.DirectoryArtifact;
import java.nio.file.Files;
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

@Command(name = "function", mixinStandardHelpOptions = true,
        description = "Inventory of a serverless deployment package: an AWS Lambda zip, or its directory.")
final class FunctionCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "PACKAGE", description = "The deployment package (.zip) or directory.")
    Path function;

    FunctionCommand(Environment environment) {
        super(environment);
    }

    @Override
    Checked checks(InventoryScanner.Scanned scanned, CheckCatalog catalog, ScanLimits limits) throws IOException {
        if (!Files.isDirectory(function)) {
            return new Checked(List.of(), List.of());
        }
        ConfigScanner.Result result = new ConfigScanner(catalog, limits.maxFileBytes()).scan(function);
        return new Checked(result.misconfigurations(), result.problems());
    }

    @Override
    Artifact open(ScanLimits limits) throws SourceException {
        if (Files.isDirectory(function)) {
            return DirectoryArtifact.open(function, ArtifactKind.FUNCTION, DeploymentModel.FUNCTION, Set.of());
        }
        return ZipArtifact.open(function, ArtifactKind.FUNCTION, DeploymentModel.FUNCTION, limits);
    }
}
