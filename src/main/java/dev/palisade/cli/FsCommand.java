package dev.palisade.cli;

import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.directory.DirectoryArtifact;
import java.nio.file.Path;
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
    Artifact open(ScanLimits limits) throws SourceException {
        return DirectoryArtifact.open(directory, ArtifactKind.DIRECTORY, DeploymentModel.UNSPECIFIED, Set.of(".git"));
    }
}
