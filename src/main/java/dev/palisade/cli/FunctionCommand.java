package dev.palisade.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.palisade.checks.iam.FunctionPermissions;
import dev.palisade.scan.ScanPipeline;
import dev.palisade.scan.ScanRequest;
import dev.palisade.scan.ScanTarget;
import dev.palisade.source.SourceException;
import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
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
    @Nullable
    Path template;

    @Option(
            names = "--suggest-policy",
            paramLabel = "FILE",
            description = "Write the least-privilege IAM policy (JSON) that the AWS calls of the function's code need.")
    @Nullable
    Path suggestPolicy;

    FunctionCommand(Environment environment) {
        super(environment);
    }

    @Override
    ScanTarget target() throws SourceException {
        try {
            ReportOutput.check(suggestPolicy, "--suggest-policy");
        } catch (IOException e) {
            throw new SourceException(String.valueOf(e.getMessage()), e);
        }
        return new ScanTarget.FunctionPackage(function, template);
    }

    @Override
    void afterReport(ScanPipeline pipeline, ScanRequest request) throws SourceException, IOException {
        if (suggestPolicy == null || !(request.target() instanceof ScanTarget.FunctionPackage target)) {
            return;
        }
        FunctionPermissions.Analysis analysis = pipeline.learnPermissions(target, request.limits());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ReportOutput.write(
                suggestPolicy,
                environment.out(),
                out -> json.writeValue(out, analysis.suggestedPolicy()),
                "--suggest-policy");
        for (String note : analysis.policyNotes()) {
            environment.err().println("palisade: policy: " + note);
        }
    }
}
