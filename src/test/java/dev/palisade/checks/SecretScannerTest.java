package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.testing.Cli;
import dev.palisade.testing.JsonReports;
import dev.palisade.testing.Scans;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class SecretScannerTest {
    static final CheckCatalog CATALOG = CheckCatalog.load();

    static SecretScanner scanner(String extraRules) throws Exception {
        return SecretScanner.load(
                CATALOG, extraRules == null ? null : extraRules.getBytes(StandardCharsets.UTF_8), 1024);
    }

    @Test
    void shouldFindKeysTokensAndPasswordsWithLinesAndRedactThem() throws Exception {
        Cli.Result result =
                Cli.run("fs", "src/test/resources/fixtures/checks/secrets", "--scanners", "secret", "-f", "json");

        List<JsonNode> found = JsonReports.misconfigurations(JsonReports.read(result.out()));
        assertThat(found)
                .extracting(m -> m.path("path").asText(), m -> m.path("message").asText())
                .contains(
                        tuple("app/.env", "password-in-url: Su****"),
                        tuple("app/.env", "github-token: gh****"),
                        tuple("app/.env", "slack-token: xo****"));
        assertThat(found)
                .extracting(m -> m.path("id").asText(), m -> m.path("path").asText())
                .contains(tuple("PAL-4001", "app/deploy_key"));
        // neither the secrets nor the clean file appear anywhere in the report, whatever the field
        assertThat(result.out())
                .doesNotContain("Sup3rS3cretPw")
                .doesNotContain("changeme\"")
                .doesNotContain("clean/application.yaml");
    }

    @Test
    void shouldSkipBinaryLargeAndSystemFiles() throws Exception {
        SecretScanner scanner = scanner(null);
        byte[] binary = "ghp_0123456789abcdefghijABCDEFGHIJ0123456789\0".getBytes(StandardCharsets.UTF_8);

        assertThat(scanner.scan("app/blob", binary, null).secrets()).isEmpty();
        assertThat(scanner.wants("app/big.txt", 2048)).isFalse();
        assertThat(scanner.wants("usr/share/doc/readme", 10)).isFalse();
        assertThat(scanner.wants("app/lib/x.jar", 10)).isFalse();
        assertThat(scanner.wants("app/config.yaml", 10)).isTrue();
    }

    @Test
    void shouldTakeTheUsersOwnRules() throws Exception {
        SecretScanner scanner = scanner(
                "rules:\n  - id: acme-api-key\n    check: PAL-4003\n    pattern: 'acme_live_([a-z0-9]{16})'\n    group: 1\n");

        List<Misconfiguration> found = scanner.scan(
                        "app/settings.ini", "key = acme_live_0123456789abcdef\n".getBytes(StandardCharsets.UTF_8), null)
                .secrets();

        assertThat(found).singleElement().satisfies(m -> {
            assertThat(m.check().id()).isEqualTo("PAL-4003");
            assertThat(m.message()).isEqualTo("acme-api-key: 01****");
            assertThat(m.line()).isEqualTo(1);
        });
    }

    @Test
    void shouldSearchAFileWhoseKeywordOnlyItsLowerCaseHolds() throws Exception {
        SecretScanner scanner = scanner("rules:\n  - id: acme-token\n    check: PAL-4003\n    keywords: [acme_token]\n"
                + "    pattern: '(?iu)acme_token=([a-z0-9]{16})'\n    group: 1\n");
        // the Kelvin sign lower-cases to k: the keyword is in the lower-cased text, not in the file's bytes
        byte[] content = "ACME_TO\u212AEN=0123456789abcdef\n".getBytes(StandardCharsets.UTF_8);

        assertThat(scanner.scan("app/settings.ini", content, null).secrets())
                .extracting(Misconfiguration::message)
                .containsExactly("acme-token: 01****");
    }

    @Test
    void shouldReportTheCorpusSecretsWithTheLayerThatAddedThem() throws Exception {
        Cli.Result result = Cli.run(
                "image",
                Scans.shared().resolve("corpus/jvm-app.tar").toString(),
                "--scanners",
                "secret",
                "-f",
                "json",
                "--no-layer-cache");

        String layer = "sha256:8594c79af8ca62f112b2e042431514050e9b6827a184e90569157f3310ee20d1";
        assertThat(JsonReports.misconfigurations(JsonReports.read(result.out())))
                .extracting(m -> m.path("path").asText(), m -> m.path("layer").asText(), m -> m.path("message")
                        .asText())
                .contains(
                        tuple("app/config/application.properties", layer, "aws-access-key-id: AK****"),
                        tuple("app/config/application.properties", layer, "aws-secret-access-key: Pa****"),
                        tuple("app/config/application.properties", layer, "password-assignment: co****"));
        assertThat(result.out())
                .doesNotContain("corpus-fake-password-123")
                .doesNotContain("PalisadeCorpusFakeSecretKey0000000000001");
    }

    /** A budget so large that only a pattern's own speed, not the budget, decides how long a scan takes. */
    static SecretScanner unhurriedScanner(String extraRules, Duration budget) throws Exception {
        return SecretScanner.load(
                CATALOG,
                extraRules == null ? null : extraRules.getBytes(StandardCharsets.UTF_8),
                SecretScanner.DEFAULT_MAX_BYTES,
                budget);
    }

    static String repeated(String piece, int length) {
        return piece.repeat(length / piece.length() + 1).substring(0, length);
    }

    /** CPU milliseconds, not wall-clock ones: the machines that run the tests are shared. */
    static long millisToScan(SecretScanner scanner, String path, String text, List<SecretScanner.FileScan> into) {
        long start = BudgetedText.now();
        into.add(scanner.scan(path, text.getBytes(StandardCharsets.UTF_8), null));
        return (BudgetedText.now() - start) / 1_000_000;
    }

    @Test
    void shouldScanALongHostileLineInLinearTimeAndStillFindTheSecretAfterIt() throws Exception {
        SecretScanner scanner = unhurriedScanner(null, Duration.ofMinutes(10));
        for (int size : new int[] {256 * 1024, 1024 * 1024 - 64}) {
            String text = repeated("password", size) + "\ndb.password=Hunter2Hunter2\n";
            List<SecretScanner.FileScan> scans = new ArrayList<>();

            long millis = millisToScan(scanner, "app/config.properties", text, scans);

            assertThat(millis).as("milliseconds to scan %d bytes", size).isLessThan(2000);
            assertThat(scans.get(0).problems()).isEmpty();
            assertThat(scans.get(0).secrets()).singleElement().satisfies(m -> {
                assertThat(m.line()).isEqualTo(2);
                assertThat(m.message()).isEqualTo("password-assignment: Hu****");
            });
        }
    }

    @Test
    void shouldNumberTheLinesOfManySecretsInOnePass() throws Exception {
        SecretScanner scanner = unhurriedScanner(null, Duration.ofMinutes(10));
        StringBuilder text = new StringBuilder();
        List<Integer> expected = new ArrayList<>();
        for (int line = 1; text.length() < 1000 * 1024; line++) {
            if (line % 2 == 0) {
                text.append("ghp_").append(String.format("%036d", line)).append('\n');
                expected.add(line);
            } else {
                text.append("# nothing to see on this line\n");
            }
        }
        List<SecretScanner.FileScan> scans = new ArrayList<>();

        long millis = millisToScan(scanner, "app/tokens.txt", text.toString(), scans);

        assertThat(scans.get(0).secrets()).extracting(Misconfiguration::line).containsExactlyElementsOf(expected);
        assertThat(millis)
                .as("milliseconds to scan %d secrets", expected.size())
                .isLessThan(2000);
    }

    /**
     * Pieces that make each built-in rule work hardest: its keywords and the near misses of its pattern.
     * Every built-in rule must have an entry, so a new rule comes with its own worst cases.
     */
    static final Map<String, List<String>> WORST_CASES = Map.of(
            "private-key", List.of("-----BEGIN PRIVATE KEY", "-----BEGIN RSA PRIVATE KEY BLOCK", "private key "),
            "aws-access-key-id", List.of("AKIA", "AKIAAAAAAAAAAAAAAAAAAAAAAA", " ASIA0000"),
            "aws-secret-access-key",
                    List.of("aws secret ", "aws_secret_access_key = ", "AWS private:", "aws secret =   \t"),
            "gcp-service-account", List.of("\"type\" : ", "\"type\"     ", "service_account"),
            "azure-storage-key", List.of("AccountKey=", "AccountKey=AAAA"),
            "github-token", List.of("ghp_", " ghp_aaaa", "ghs_0"),
            "gitlab-token", List.of("glpat-", "-glpat-", " glpat-_"),
            "slack-token", List.of("xoxb-", " xoxb-", " xoxb-a"),
            "password-in-url", List.of("a://b:c", "http://user:", "://", " a://", "http://u:pppp", "http://u:pppp@"),
            "password-assignment",
                    List.of(
                            "password",
                            "password=",
                            "\npassword",
                            "\n  password   ",
                            "a_password_b: ",
                            "passwd pwd secret",
                            "\npasswordpasswordpasswordpasswordpasswordpasswordpasswordpasswordpasswordpasswordpasswordpasswordpasswordpassword"));

    @TestFactory
    Stream<DynamicTest> everyBuiltInRuleShouldScanItsWorstCasesInLinearTime() throws Exception {
        SecretScanner scanner = unhurriedScanner(null, Duration.ofMinutes(10));
        assertThat(WORST_CASES.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        scanner.rules().stream().map(SecretScanner.Rule::id).collect(Collectors.toList()));
        return WORST_CASES.entrySet().stream()
                .flatMap(rule -> rule.getValue().stream().flatMap(piece -> Stream.of(
                                repeated(piece, 256 * 1024),
                                piece + repeated("a", 256 * 1024),
                                piece + repeated(" ", 256 * 1024))
                        .map(text -> DynamicTest.dynamicTest(rule.getKey() + " on " + piece.strip() + "...", () -> {
                            List<SecretScanner.FileScan> scans = new ArrayList<>();
                            long millis = millisToScan(scanner, "app/config.properties", text, scans);
                            assertThat(millis)
                                    .as("milliseconds for rule %s", rule.getKey())
                                    .isLessThan(1000);
                            assertThat(scans.get(0).problems()).isEmpty();
                        }))));
    }

    @Test
    void shouldStopAUserRuleThatBacktracksAndKeepTheOtherRulesFindings() throws Exception {
        SecretScanner scanner = unhurriedScanner(
                "rules:\n  - id: slow-rule\n    check: PAL-4003\n    pattern: '(.*a){10}b'\n", Duration.ofMillis(200));
        String text = "token ghp_0123456789abcdefghijABCDEFGHIJ0123456789\n" + "a".repeat(64) + "!\n";
        List<SecretScanner.FileScan> scans = new ArrayList<>();

        long millis = millisToScan(scanner, "app/notes.txt", text, scans);

        assertThat(millis).isLessThan(5000);
        assertThat(scans.get(0).secrets())
                .extracting(Misconfiguration::message)
                .containsExactly("github-token: gh****");
        assertThat(scans.get(0).problems())
                .singleElement()
                .asString()
                .contains("'slow-rule'")
                .contains("200 ms");
    }

    @Test
    void shouldReportAUserRuleThatRanOutOfTimeAsAProblemOfTheFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("app"));
        Files.writeString(dir.resolve("app/notes.txt"), "a".repeat(64) + "!\n");
        Path rules = Files.writeString(
                dir.resolve("rules.yaml"),
                "rules:\n  - id: slow-rule\n    check: PAL-4003\n    pattern: '(.*a){10}b'\n");

        Cli.Result result = Cli.run(
                "fs",
                dir.resolve("app").toString(),
                "--scanners",
                "secret",
                "-f",
                "json",
                "--secret-rules",
                rules.toString());

        JsonNode problems = new ObjectMapper().readTree(result.out()).path("problems");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path("path").asText()).isEqualTo("notes.txt");
            assertThat(p.path("reason").asText()).startsWith("secret scan: secret rule 'slow-rule' was stopped after");
        });
    }
}
