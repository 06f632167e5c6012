package dev.palisade.checks.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.Misconfiguration;
import dev.palisade.source.StructuredText;
import dev.palisade.testing.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionPermissionsTest {
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures/iam");
    private static final AwsServiceModels MODELS = AwsServiceModels.load();
    private static final CheckCatalog CATALOG = CheckCatalog.load();

    private static FunctionPermissions.Analysis analyse(String fixture, boolean withTemplate) throws Exception {
        Path dir = FIXTURES.resolve(fixture);
        List<FunctionPermissions.Template> templates = List.of();
        if (withTemplate) {
            JsonNode document = StructuredText.yaml(Files.readAllBytes(dir.resolve("template.yaml")));
            templates = List.of(new FunctionPermissions.Template("template.yaml", document, false));
        }
        return new FunctionPermissions(CATALOG, MODELS, FunctionPermissions.Limits.DEFAULT)
                .analyse(Trees.of(dir), templates);
    }

    /** "line operation actions" for each call, in order. */
    private static List<String> calls(FunctionPermissions.Analysis analysis) {
        return analysis.calls().stream()
                .map(c -> c.line() + " " + c.operation() + " " + String.join(",", c.actions()))
                .toList();
    }

    private static Set<String> actions(FunctionPermissions.Analysis analysis) {
        return analysis.calls().stream()
                .flatMap(c -> c.actions().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> messages(FunctionPermissions.Analysis analysis, String id) {
        return analysis.findings().stream()
                .filter(m -> m.check().id().equals(id))
                .map(Misconfiguration::message)
                .toList();
    }

    @Test
    void pythonAliasesHelperClientsAndResourceObjects() throws Exception {
        FunctionPermissions.Analysis analysis = analyse("python-orders", false);

        assertThat(calls(analysis))
                .containsExactly(
                        "27 PutItem dynamodb:PutItem",
                        "28 GetItem dynamodb:GetItem",
                        "29 PutObject s3:PutObject",
                        "30 ListObjectsV2 s3:ListBucket",
                        "32 SendMessage sqs:SendMessage");
        assertThat(analysis.calls()).allSatisfy(c -> assertThat(c.file()).isEqualTo("app.py"));
        assertThat(analysis.unresolved())
                .extracting(u -> u.line() + " " + u.service())
                .containsExactly("34 s3");
        assertThat(messages(analysis, "PAL-6011")).hasSize(1);
    }

    @Test
    void javascriptSdkV2ClientsDocumentClientAndHelper() throws Exception {
        FunctionPermissions.Analysis analysis = analyse("js-v2", false);

        assertThat(calls(analysis))
                .containsExactly(
                        "16 PutItem dynamodb:PutItem",
                        "17 Query dynamodb:Query",
                        "18 GetObject s3:GetObject",
                        "20 GetSecretValue secretsmanager:GetSecretValue",
                        "21 Invoke lambda:InvokeFunction");
        assertThat(analysis.unresolved())
                .extracting(u -> u.line() + " " + u.service())
                .containsExactly("23 dynamodb");
        assertThat(analysis.calls().get(2).resource()).isEqualTo(new SdkCall.ResourceName("static-assets", null));
        assertThat(analysis.calls().get(0).resource()).isEqualTo(new SdkCall.ResourceName(null, "TABLE_NAME"));
    }

    @Test
    void javascriptSdkV3CommandsSentThroughClients() throws Exception {
        FunctionPermissions.Analysis analysis = analyse("js-v3", false);

        assertThat(calls(analysis))
                .containsExactly(
                        "13 GetObject s3:GetObject",
                        "14 PutObject s3:PutObject",
                        "15 UpdateItem dynamodb:UpdateItem",
                        "16 StartExecution states:StartExecution");
        assertThat(analysis.calls())
                .extracting(SdkCall::resource)
                .containsExactly(
                        new SdkCall.ResourceName(null, "BUCKET"),
                        new SdkCall.ResourceName(null, "BUCKET"),
                        new SdkCall.ResourceName(null, "TABLE"),
                        new SdkCall.ResourceName(null, "STATE_MACHINE"));
        assertThat(analysis.unresolved())
                .extracting(u -> u.line() + " " + u.service())
                .containsExactly("18 s3");
    }

    @Test
    void javaSdkV2ClientsFieldsBuildersAndPaginators() throws Exception {
        FunctionPermissions.Analysis analysis = analyse("java", false);

        assertThat(calls(analysis))
                .containsExactly(
                        "28 PutItem dynamodb:PutItem",
                        "29 PutObject s3:PutObject",
                        "30 ListObjectsV2 s3:ListBucket",
                        "31 HeadObject s3:GetObject",
                        "32 SendMessage sqs:SendMessage");
        assertThat(analysis.calls().get(0).file()).isEqualTo("src/main/java/example/Handler.java");
        assertThat(analysis.calls().get(0).resource()).isEqualTo(new SdkCall.ResourceName(null, "TABLE_NAME"));
        assertThat(analysis.calls().get(1).resource()).isEqualTo(new SdkCall.ResourceName("reports-archive", null));
        assertThat(analysis.unresolved()).isEmpty();
    }

    @Test
    void overBroadRoleGetsItsUnusedPermissionsAndALeastPrivilegePolicy() throws Exception {
        FunctionPermissions.Analysis analysis = analyse("python-orders", true);

        assertThat(messages(analysis, "PAL-6009"))
                .containsExactlyInAnyOrder(
                        "OrdersFunction: s3:* is granted but the code calls only s3:ListBucket, s3:PutObject"
                                + " (some calls could not be resolved: see PAL-6011)",
                        "OrdersFunction: dynamodb:* is granted but the code calls only dynamodb:GetItem, dynamodb:PutItem",
                        "OrdersFunction: sns:Publish is granted but the code never calls it");
        assertThat(analysis.findings())
                .filteredOn(m -> m.check().id().equals("PAL-6010"))
                .extracting(m -> m.path() + ":" + m.line() + " " + m.message())
                .containsExactly("app.py:32 OrdersFunction: the code calls SendMessage (sqs:SendMessage)"
                        + " but the role does not allow sqs:SendMessage");

        JsonNode policy =
                new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(analysis.suggestedPolicy()));
        JsonNode expected = new ObjectMapper()
                .readTree(
                        """
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "Dynamodb", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                   "Resource": ["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OrdersTable}"]},
                  {"Sid": "S3", "Effect": "Allow", "Action": ["s3:ListBucket"],
                   "Resource": ["arn:${AWS::Partition}:s3:::${ReceiptsBucket}"]},
                  {"Sid": "S32", "Effect": "Allow", "Action": ["s3:PutObject"],
                   "Resource": ["arn:${AWS::Partition}:s3:::${ReceiptsBucket}/*"]},
                  {"Sid": "Sqs", "Effect": "Allow", "Action": ["sqs:SendMessage"],
                   "Resource": ["arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${OrdersQueue.QueueName}"]}
                ]}
                """);
        assertThat(policy).isEqualTo(expected);
    }

    /** The template's action patterns are wildcards, not regular expressions: a run of stars cannot stall the scan. */
    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void actionPatternsFromTheTemplateAreMatchedInLinearTime() throws Exception {
        Path dir = FIXTURES.resolve("python-orders");
        String hostile = "s3:" + "*".repeat(40) + "x";
        String template = Files.readString(dir.resolve("template.yaml"))
                .replace("Action: sns:Publish", "Action: \"" + hostile + "\"");
        JsonNode document = StructuredText.yaml(template.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        FunctionPermissions.Analysis analysis = new FunctionPermissions(
                        CATALOG, MODELS, FunctionPermissions.Limits.DEFAULT)
                .analyse(Trees.of(dir), List.of(new FunctionPermissions.Template("template.yaml", document, false)));

        assertThat(messages(analysis, "PAL-6009"))
                .contains("OrdersFunction: " + hostile + " is granted but the code never calls it"
                        + " (some calls could not be resolved: see PAL-6011)");
    }

    @Test
    void serverlessFrameworkRoleStatementsAgainstSdkV3Code() throws Exception {
        Path dir = FIXTURES.resolve("serverless-v3");
        JsonNode document = StructuredText.yaml(Files.readAllBytes(dir.resolve("serverless.yml")));
        FunctionPermissions.Analysis analysis = new FunctionPermissions(
                        CATALOG, MODELS, FunctionPermissions.Limits.DEFAULT)
                .analyse(Trees.of(dir), List.of(new FunctionPermissions.Template("serverless.yml", document, true)));

        assertThat(messages(analysis, "PAL-6009"))
                .containsExactlyInAnyOrder(
                        "api: s3:DeleteObject is granted but the code never calls it"
                                + " (some calls could not be resolved: see PAL-6011)",
                        "api: dynamodb:* is granted but the code calls only dynamodb:UpdateItem");
        assertThat(messages(analysis, "PAL-6010"))
                .containsExactly(
                        "api: the code calls StartExecution (states:StartExecution) but the role does not allow"
                                + " states:StartExecution");
        JsonNode expected = new ObjectMapper()
                .readTree(
                        """
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "Dynamodb", "Effect": "Allow", "Action": ["dynamodb:UpdateItem"],
                   "Resource": ["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders"]},
                  {"Sid": "S3", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                   "Resource": ["arn:${AWS::Partition}:s3:::orders-archive/*"]},
                  {"Sid": "States", "Effect": "Allow", "Action": ["states:StartExecution"], "Resource": ["*"]}
                ]}
                """);
        assertThat((JsonNode) analysis.suggestedPolicy()).isEqualTo(expected);
        assertThat(analysis.policyNotes())
                .contains("index.mjs:16 StartExecution: Resource \"*\" because environment variable STATE_MACHINE"
                        + " is not set in the template");
    }

    @Test
    void hostileCodeStaysBoundedAndSaysWhatItDidNotRead(@TempDir Path dir) throws Exception {
        String client = "import boto3\nc = boto3.client('s3')\n";
        // deep nesting inside a real call, nested client factories, nested subscripts
        Files.writeString(
                dir.resolve("nested.py"),
                client + "c.get_object(Bucket=" + "(".repeat(20_000) + "'b'" + ")".repeat(20_000) + ")\n"
                        + "x = " + "boto3.client(".repeat(10_000) + "'s3'" + ")".repeat(10_000) + "\n"
                        + "y = c" + "[c".repeat(10_000) + "]".repeat(10_000) + "\n");
        Files.writeString(
                dir.resolve("braces.js"),
                "const AWS = require('aws-sdk');\nconst s3 = new AWS.S3();\n" + "{".repeat(50_000)
                        + "s3.putObject({ Bucket: 'b' });" + "}".repeat(50_000) + "\n`${".repeat(10_000));
        // more tokens than a file may give, and a file over the size limit
        Files.writeString(dir.resolve("long.py"), client + "c.list_buckets()\n" + "a.b(1)\n".repeat(100_000));
        Files.writeString(dir.resolve("huge.py"), client + "c.delete_bucket(Bucket='b')\n" + "#".repeat(3_000_000));
        Files.writeString(
                dir.resolve("unterminated.py"), client + "c.head_bucket(Bucket='b')\n\"\"\"" + "x".repeat(10_000));
        FunctionPermissions permissions = new FunctionPermissions(
                CATALOG, MODELS, new FunctionPermissions.Limits(100, 2 * 1024 * 1024, 16 * 1024 * 1024, 200_000));

        long started = System.nanoTime();
        FunctionPermissions.Analysis analysis = permissions.analyse(Trees.of(dir), List.of());
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(millis).isLessThan(10_000);
        assertThat(analysis.calls())
                .extracting(c -> c.file() + " " + c.operation())
                .containsExactlyInAnyOrder(
                        "braces.js PutObject",
                        "long.py ListBuckets",
                        "nested.py GetObject",
                        "unterminated.py HeadBucket");
        assertThat(analysis.problems())
                .extracting(p -> p.path() + ": " + p.reason())
                .containsExactlyInAnyOrder(
                        "huge.py: not read for AWS calls: larger than 2097152 bytes; its calls are unknown",
                        "long.py: read for AWS calls only up to 200000 tokens; calls after that are unknown");
    }

    @Test
    void botocoreNameTransformOfModelOperations() {
        assertThat(AwsServiceModels.xformName("ListObjectsV2")).isEqualTo("list_objects_v2");
        assertThat(AwsServiceModels.xformName("GetQueueUrl")).isEqualTo("get_queue_url");
        assertThat(AwsServiceModels.xformName("ExecutePartiQLStatement")).isEqualTo("execute_partiql_statement");
        assertThat(AwsServiceModels.xformName("ListWebACLs")).isEqualTo("list_web_acls");
        AwsServiceModels.Service s3 = MODELS.byBoto3Name("s3").orElseThrow();
        assertThat(MODELS.operationForSnake(s3, "list_objects_v2")).contains("ListObjectsV2");
        assertThat(MODELS.actions(s3, "HeadBucket")).containsExactly("s3:ListBucket");
        assertThat(MODELS.byBoto3Name("stepfunctions").orElseThrow().iamPrefix())
                .isEqualTo("states");
        assertThat(MODELS.provenance()).anyMatch(line -> line.startsWith("npm aws-sdk@2.1693.0 sha256 "));
    }
}
