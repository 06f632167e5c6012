package dev.palisade.cli;

import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.ConfigScanner;
import dev.palisade.inventory.Inventory;
import dev.palisade.scan.InventoryScanner;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.layer.MergedTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Check configuration files alone: Dockerfiles and Kubernetes manifests (a file or a directory).")
final class ConfigCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "PATH", description = "A configuration file or a directory to search.")
    Path path;

    ConfigCommand(Environment environment) {
        super(environment);
    }

    @Override
    boolean scansVulnerabilities() {
        return false;
    }

    @Override
    Artifact open(ScanLimits limits) throws SourceException {
        throw new SourceException("configuration files are checked, not opened as an artifact");
    }

    @Override
    InventoryScanner.Scanned inventory(ScanLimits limits, Consumer<String> progress) throws SourceException {
        if (!Files.exists(path)) {
            throw new SourceException(path + ": no such file or directory");
        }
        ArtifactDescription description = new ArtifactDescription(path.toString(), ArtifactKind.DIRECTORY,
                DeploymentModel.UNSPECIFIED, List.of(), null);
        return new InventoryScanner.Scanned(new Inventory(description, null, List.of(), List.of()), new MergedTree(1), List.of());
    }

    @Override
    Checked checks(InventoryScanner.Scanned scanned, CheckCatalog catalog, ScanLimits limits) throws IOException {
        ConfigScanner.Result result = configScanner(catalog, limits).scan(path);
        return new Checked(result.misconfigurations(), result.problems());
    }
}
