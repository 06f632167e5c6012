package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.testing.Cli;
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
}
