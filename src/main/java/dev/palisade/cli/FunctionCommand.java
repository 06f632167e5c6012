package dev.palisade.cli;

import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.archive.ZipArtifact;
import dev.palisade.source.directory.DirectoryArtifact;
import java.nio.file.Files;
import java.nio.file.Path;
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
    Artifact open(ScanLimits limits) throws SourceException {
        if (Files.isDirectory(function)) {
            return DirectoryArtifact.open(function, ArtifactKind.FUNCTION, DeploymentModel.FUNCTION, Set.of());
        }
        return ZipArtifact.open(function, ArtifactKind.FUNCTION, DeploymentModel.FUNCTION, limits);
    }
}
