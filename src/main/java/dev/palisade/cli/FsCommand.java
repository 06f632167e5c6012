package dev.palisade.cli;

import dev.palisade.checks.LearnedProfile;
import dev.palisade.scan.ScanTarget;
import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "fs",
        footerHeading = "%nExamples:%n",
        footer = {
            "  palisade fs .",
            "  palisade fs . --skip-dirs '**/node_modules' --exit-code 1 --exit-on vuln",
            "  palisade fs . --format cyclonedx -o bom.json"
        },
        mixinStandardHelpOptions = true,
        description = "Inventory of a project directory: lock files, manifests and built artifacts.")
final class FsCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "The project directory.")
    Path directory;

    @Mixin
    LearnedOption learnedOption = new LearnedOption();

    @Override
    @Nullable
    LearnedProfile learned() throws IOException {
        return learnedOption.read();
    }

    FsCommand(Environment environment) {
        super(environment);
    }

    @Override
    ScanTarget target() {
        return new ScanTarget.Directory(directory);
    }
}
