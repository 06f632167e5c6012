package dev.palisade.cli;

import dev.palisade.checks.LearnedProfile;
import dev.palisade.scan.ScanTarget;
import dev.palisade.scan.Scanner;
import dev.palisade.source.SourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "config",
        footerHeading = "%nExamples:%n",
        footer = {"  palisade config .", "  palisade config k8s/deployment.yaml --format sarif -o config.sarif"},
        mixinStandardHelpOptions = true,
        description =
                "Check configuration files alone: Dockerfiles, Kubernetes manifests, compose files, SAM/CloudFormation "
                        + "templates and serverless.yml (a file, recognised by its content, or a directory).")
final class ConfigCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "PATH", description = "A configuration file or a directory to search.")
    Path path;

    @Mixin
    LearnedOption learnedOption = new LearnedOption();

    @Override
    @Nullable
    LearnedProfile learned() throws IOException {
        return learnedOption.read();
    }

    ConfigCommand(Environment environment) {
        super(environment);
    }

    @Override
    ScanTarget target() throws SourceException {
        if (!Files.exists(path)) {
            throw new SourceException(path + ": no such file or directory");
        }
        return new ScanTarget.ConfigFiles(path);
    }

    /** No packages, so nothing for a server, a VEX document or the unfixed filter; no secrets, no layers. */
    @Override
    Set<String> unusedOptions() {
        return Set.of(
                "--no-layer-cache",
                "--layer-cache-max-size",
                "--server",
                "--token",
                "--application",
                "--target-name",
                "--model",
                "--list-packages",
                "--ignore-unfixed",
                "--vex",
                "--secret-rules");
    }

    /** Configuration files hold no packages: only the checks apply. */
    @Override
    Set<Scanner> applicable(Set<Scanner> asked) {
        return asked.contains(Scanner.MISCONFIG) ? EnumSet.of(Scanner.MISCONFIG) : EnumSet.noneOf(Scanner.class);
    }
}
