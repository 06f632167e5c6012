package dev.palisade.cli;

import dev.palisade.scan.ScanTarget;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "function",
        footerHeading = "%nExamples:%n",
        footer = {"  palisade function function.zip", "  palisade function build/ --template template.yaml"},
        mixinStandardHelpOptions = true,
        description = "Inventory of a serverless deployment package: an AWS Lambda zip, or its directory.")
final class FunctionCommand extends ScanCommand {
    @Parameters(index = "0", paramLabel = "PACKAGE", description = "The deployment package (.zip) or directory.")
    Path function;

    @Option(
            names = "--template",
            paramLabel = "FILE",
            description =
                    "The function's definition (SAM/CloudFormation template or serverless.yml), checked with the package.")
    Path template;

    FunctionCommand(Environment environment) {
        super(environment);
    }

    @Override
    ScanTarget target() {
        return new ScanTarget.FunctionPackage(function, template);
    }
}
