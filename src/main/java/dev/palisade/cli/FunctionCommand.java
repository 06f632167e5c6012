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

    @picocli.CommandLine.Option(names = "--template", paramLabel = "FILE",
            description = "The function's definition (SAM/CloudFormation template or serverless.yml), checked with the package.")
    Path template;

    @Override
    Checked checks(InventoryScanner.Scanned scanned, CheckCatalog catalog, ScanLimits limits) throws IOException {
        ConfigScanner scanner = configScanner(catalog, limits);
        List<dev.palisade.checks.Misconfiguration> found = new java.util.ArrayList<>();
        List<dev.palisade.source.Problem> problems = new java.util.ArrayList<>();
        for (Path path : template == null ? List.of(function) : List.of(function, template)) {
            if (Files.isDirectory(path) || path.equals(template)) {
                if (!Files.exists(path)) {
                    throw new IOException(path + ": no such file");
                }
                ConfigScanner.Result result = scanner.scan(path);
                found.addAll(result.misconfigurations());
                problems.addAll(result.problems());
            }
        }
        return new Checked(found, problems);
    }

    @Override
    Artifact open(ScanLimits limits) throws SourceException {
        if (Files.isDirectory(function)) {
            return DirectoryArtifact.open(function, ArtifactKind.FUNCTION, DeploymentModel.FUNCTION, Set.of(), limits);
        }
        return ZipArtifact.open(function, ArtifactKind.FUNCTION, DeploymentModel.FUNCTION, limits);
    }
}
