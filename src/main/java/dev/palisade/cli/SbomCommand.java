package dev.palisade.cli;

import dev.palisade.scan.ScanTarget;
import dev.palisade.scan.Scanner;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "sbom",
        footerHeading = "%nExamples:%n",
        footer = {"  palisade sbom bom.json", "  palisade sbom spdx.json --severity HIGH,CRITICAL --exit-code 1"},
        mixinStandardHelpOptions = true,
        description = "Vulnerabilities of the packages an SBOM lists: CycloneDX or SPDX JSON written by another tool.")
final class SbomCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The SBOM (JSON).")
    Path sbom;

    SbomCommand(Environment environment) {
        super(environment);
    }

    @Override
    ScanTarget target() {
        return new ScanTarget.Sbom(sbom);
    }

    /** An SBOM is read whole: no files to skip, check or search for secrets, no layers. */
    @Override
    Set<String> unusedOptions() {
        return Set.of(
                "--no-layer-cache",
                "--layer-cache-max-size",
                "--skip-files",
                "--skip-dirs",
                "--secret-rules",
                "--trusted-sources");
    }

    /** An SBOM lists packages, not files: there is nothing to check or search for secrets. */
    @Override
    Set<Scanner> applicable(Set<Scanner> asked) {
        Set<Scanner> kept = EnumSet.noneOf(Scanner.class);
        if (asked.contains(Scanner.VULN)) {
            kept.add(Scanner.VULN);
        }
        return kept;
    }
}
