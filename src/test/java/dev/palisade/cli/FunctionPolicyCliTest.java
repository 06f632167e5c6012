package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.testing.Cli;
import dev.palisade.testing.CompiledJavaFunction;
import dev.palisade.testing.JsonReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code palisade function} learns the permissions of a zipped function's code and writes its policy. */
class FunctionPolicyCliTest {
    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/iam/python-orders");

    @TempDir
    Path tmp;

    @Test
    void functionZipGetsItsUnusedPermissionsReportedAndALeastPrivilegePolicyWritten() throws Exception {
        Path zip = tmp.resolve("orders.zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            for (String name : List.of("app.py", "template.yaml")) {
                out.putArchiveEntry(new ZipArchiveEntry("./" + name));
                out.write(Files.readAllBytes(FIXTURE.resolve(name)));
                out.closeArchiveEntry();
            }
        }
        Path policyFile = tmp.resolve("policy.json");

        Cli.Result result = Cli.run(
                "function",
                zip.toString(),
                "--format",
                "json",
                "--scanners",
                "misconfig",
                "--suggest-policy",
                policyFile.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode report = JsonReports.read(result.out());
        List<JsonNode> learned = JsonReports.misconfigurations(report).stream()
                .filter(m -> m.path("id").asText().matches("PAL-60(09|10|11)"))
                .toList();
        assertThat(learned)
                .extracting(m -> m.path("id").asText() + " " + m.path("message").asText())
                .contains(
                        "PAL-6009 OrdersFunction: sns:Publish is granted but the code never calls it",
                        "PAL-6010 OrdersFunction: the code calls SendMessage (sqs:SendMessage) but the role does not allow sqs:SendMessage");
        assertThat(learned).extracting(m -> m.path("id").asText()).contains("PAL-6011");

        JsonNode policy = new ObjectMapper().readTree(Files.readAllBytes(policyFile));
        assertThat(policy.path("Version").asText()).isEqualTo("2012-10-17");
        List<String> actions = policy.path("Statement").findValues("Action").stream()
                .flatMap(a -> a.valueStream())
                .map(JsonNode::asText)
                .toList();
        assertThat(actions)
                .containsExactly(
                        "dynamodb:GetItem", "dynamodb:PutItem", "s3:ListBucket", "s3:PutObject", "sqs:SendMessage");
        assertThat(result.err())
                .contains("app.py:34 not in the policy: getattr() with a method name computed at run time");
    }

    @Test
    void compiledJavaFunctionZipWithItsHandlerInLibGetsItsCallsFromTheBytecode() throws Exception {
        Path classes = CompiledJavaFunction.compileHandler(tmp.resolve("build"));
        Path appJar = tmp.resolve("app.jar");
        CompiledJavaFunction.jar(classes, "example", appJar);
        Path sdkJar = tmp.resolve("s3.jar");
        CompiledJavaFunction.jar(classes, "software", sdkJar);
        String template =
                """
                AWSTemplateFormatVersion: '2010-09-09'
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  ReportsFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: example.Handler::handleRequest
                      Runtime: java17
                      CodeUri: .
                      Policies:
                        - Statement:
                            - Effect: Allow
                              Action: ["s3:*", "dynamodb:PutItem", "sns:Publish"]
                              Resource: "*"
                """;
        Path zip = tmp.resolve("reports.zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            out.putArchiveEntry(new ZipArchiveEntry("template.yaml"));
            out.write(template.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeArchiveEntry();
            for (Path jar : List.of(appJar, sdkJar)) {
                out.putArchiveEntry(new ZipArchiveEntry("lib/" + jar.getFileName()));
                out.write(Files.readAllBytes(jar));
                out.closeArchiveEntry();
            }
        }
        Path policyFile = tmp.resolve("policy.json");

        Cli.Result result = Cli.run(
                "function",
                zip.toString(),
                "--format",
                "json",
                "--scanners",
                "misconfig",
                "--suggest-policy",
                policyFile.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode report = JsonReports.read(result.out());
        List<JsonNode> missing = JsonReports.misconfigurations(report).stream()
                .filter(m -> m.path("id").asText().equals("PAL-6010"))
                .toList();
        assertThat(missing)
                .extracting(m -> m.path("path").asText() + ":" + m.path("line").asInt() + " "
                        + m.path("message").asText())
                .containsExactly("lib/app.jar!/example/Handler.class:21 ReportsFunction: the code calls SendMessage"
                        + " (sqs:SendMessage) but the role does not allow sqs:SendMessage");
        assertThat(JsonReports.misconfigurations(report))
                .extracting(m -> m.path("id").asText() + " " + m.path("message").asText())
                .contains("PAL-6009 ReportsFunction: sns:Publish is granted but the code never calls it");
        JsonNode policy = new ObjectMapper().readTree(Files.readAllBytes(policyFile));
        List<String> actions = policy.path("Statement").findValues("Action").stream()
                .flatMap(a -> a.valueStream())
                .map(JsonNode::asText)
                .toList();
        assertThat(actions)
                .containsExactly(
                        "dynamodb:PutItem", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "sqs:SendMessage");
    }
}
