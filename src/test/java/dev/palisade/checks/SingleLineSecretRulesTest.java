package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A single-line rule runs only on the lines that hold one of its keywords, a starts-with-keyword rule only where a
 * keyword begins: for a rule that keeps its contract that finds exactly what a search of the whole text finds.
 */
class SingleLineSecretRulesTest {
    /** The built-in password-in-url and password-assignment patterns, as user rules of either kind. */
    private static String rules(boolean singleLine) {
        String flag = "    single-line: " + singleLine + "\n";
        return "rules:\n"
                + "  - id: url-credentials\n    check: PAL-4004\n" + flag
                + (singleLine ? "    keyword-within: 21\n" : "")
                + "    keywords: ['://']\n"
                + "    pattern: '\\b[a-z][a-z0-9+.-]{1,20}://[^/\\s:@\"''<>]{1,64}:([^/\\s@\"''<>$]{3,128})@[A-Za-z0-9.-]{1,255}'\n"
                + "    group: 1\n"
                + "  - id: assigned\n    check: PAL-4004\n" + flag
                + "    keywords: [password, secret]\n"
                + "    pattern: '(?im)^[ \\t]{0,256}+(?=[A-Za-z0-9_.-]{0,128}?(?:password|secret))[A-Za-z0-9_.-]{1,128}+"
                + "[ \\t]{0,16}+[=:][ \\t]{0,16}+[''\"]?([^\\s''\"$%{}<>]{6,})'\n"
                + "    group: 1\n"
                + "  - id: aws-key\n    check: PAL-4002\n"
                + (singleLine ? "    starts-with-keyword: true\n" : "")
                + "    keywords: [aws]\n"
                + "    pattern: '(?i)aws.{0,20}?(?:secret|private).{0,20}?[''\"]?\\s{0,16}+[=:]\\s{0,16}+[''\"]?([A-Za-z0-9/+]{40})\\b'\n"
                + "    group: 1\n";
    }

    private static final String[] PIECES = {
        "const api = \"https://svc:Hunter2Pw@api.example.com/v1\";",
        "redis://cache:S3cretPassw0rd@10.0.0.7:6379",
        "see HTTPS://UPPER:CaseSecret1@host.example.org",
        "db_password = CorrectHorseBattery",
        "  client_secret: \"aVeryLongSecretValue\"",
        "password =",
        "// nothing here, just http://example.com/docs",
        "a-very-long-scheme-name1://u:LongSchemePw@h.example x+y.z-w://u2:Pw2Pw2Pw2@h2 ://:x@y",
        "svc://a:b@c://d:Ee3Ee3@f.example git+ssh://git:TokenTok3n@github.example",
        "postgresql://app:Pgpassw0rd@db.example abcdefghijklmnopqrstu://u:TwentyOne1@h",
        "x = 1; y = 2;",
        "mysql://user:p@ss@db",
        "İstanbul SECRET_TOKEN=İİİİİİ",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AWS_PRIVATE=",
        "  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'",
        "awsawsaws secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE2 aws",
        "key_id=AKIAQ2W3E4R5T6Y7U8I9 Asia/Tokyo asiaQ2W3E4R5T6Y7U8I9O ASIAQ2W3E4R5T6Y7U8I9",
        "xAKIAQ2W3E4R5T6Y7U8I9 AKIAQ2W3E4R5T6Y7U8I9X AKIAAKIAQ2W3E4R5T6Y7 -ANPAQ2W3E4R5T6Y7U8I9-",
        "\r",
        ""
    };

    /** Files made of the pieces above, with LF and CRLF line ends, the same for every run. */
    private static List<String> generatedFiles() {
        Random random = new Random(20261130);
        List<String> files = new java.util.ArrayList<>();
        for (int file = 0; file < 200; file++) {
            StringBuilder text = new StringBuilder();
            int lines = 1 + random.nextInt(40);
            for (int i = 0; i < lines; i++) {
                text.append(PIECES[random.nextInt(PIECES.length)]);
                if (random.nextInt(5) == 0) {
                    text.append(' ').append(PIECES[random.nextInt(PIECES.length)]);
                }
                text.append(random.nextInt(4) == 0 ? "\r\n" : "\n");
            }
            files.add(text.toString());
        }
        return files;
    }

    private static List<String> found(boolean singleLine, String path, String text) throws Exception {
        SecretScanner scanner = SecretScannerTest.scanner(rules(singleLine));
        return scanner.scan(path, text.getBytes(StandardCharsets.UTF_8), null).secrets().stream()
                .map(m -> m.line() + " " + m.message())
                .toList();
    }

    @Test
    void shouldFindWhatTheWholeTextSearchFinds() throws Exception {
        List<String> files = generatedFiles();
        for (int file = 0; file < files.size(); file++) {
            String text = files.get(file);
            String path = file % 2 == 0 ? "app/settings.yaml" : "app/main.js";

            assertThat(found(true, path, text)).as(text).isEqualTo(found(false, path, text));
        }
    }

    /**
     * The shipped rules alone (no other rule can find their secrets for them), with their search hints and with the
     * hints taken out, find the same on every generated file; and a hint made one character too tight is seen.
     */
    @Test
    void shouldFindWithTheBuiltInRulesWhatTheyFindWithoutTheirSearchHints() throws Exception {
        String shipped;
        try (java.io.InputStream in = SecretScanner.class.getResourceAsStream("secret-rules.yaml")) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String hints = "(?m)^[ \\t]*(single-line|starts-with-keyword|keyword-within):.*\\n";
        assertThat(java.util.regex.Pattern.compile(hints)
                        .matcher(shipped)
                        .results()
                        .count())
                .isGreaterThan(5);
        SecretScanner hinted = scanner(shipped);
        SecretScanner plain = scanner(shipped.replaceAll(hints, ""));
        SecretScanner tooTight = scanner(shipped.replace("keyword-within: 21", "keyword-within: 20"));

        boolean tightnessSeen = false;
        boolean accessKeysSeen = false;
        List<String> files = generatedFiles();
        for (int file = 0; file < files.size(); file++) {
            byte[] text = files.get(file).getBytes(StandardCharsets.UTF_8);
            String path = file % 2 == 0 ? "app/settings.yaml" : "app/main.js";
            List<String> expected = secrets(plain, path, text);

            assertThat(secrets(hinted, path, text)).as(files.get(file)).isEqualTo(expected);
            tightnessSeen |= !secrets(tooTight, path, text).equals(expected);
            accessKeysSeen |= expected.stream().anyMatch(found -> found.contains(" aws-access-key-id: "));
        }
        assertThat(accessKeysSeen).as("the files hold AWS access key IDs").isTrue();
        assertThat(tightnessSeen)
                .as("a keyword-within one too small misses a secret")
                .isTrue();
    }

    private static SecretScanner scanner(String rules) throws java.io.IOException {
        return SecretScanner.ofRules(CheckCatalog.load(), rules.getBytes(StandardCharsets.UTF_8), 1024 * 1024);
    }

    private static List<String> secrets(SecretScanner scanner, String path, byte[] text) {
        return scanner.scan(path, text, null).secrets().stream()
                .map(m -> m.line() + " " + m.message())
                .toList();
    }

    @Test
    void shouldSearchOnlyTheLinesHoldingAKeyword() throws Exception {
        // a rule breaking its contract: this match holds no keyword, so only the whole-text search sees it
        String rule = "rules:\n  - id: token\n    check: PAL-4003\n    single-line: %s\n    keywords: [token]\n"
                + "    pattern: 'tok_([a-z0-9]{12})'\n    group: 1\n";
        String text = "token list follows\ntok_abcdef123456\n";

        List<Misconfiguration> whole = SecretScannerTest.scanner(String.format(rule, false))
                .scan("app/x.txt", text.getBytes(StandardCharsets.UTF_8), null)
                .secrets();
        List<Misconfiguration> lines = SecretScannerTest.scanner(String.format(rule, true))
                .scan("app/x.txt", text.getBytes(StandardCharsets.UTF_8), null)
                .secrets();

        assertThat(whole).extracting(Misconfiguration::line).containsExactly(2);
        assertThat(lines).isEmpty();
    }

    @Test
    void shouldTryAStartsWithKeywordRuleOnlyWhereAKeywordBegins() throws Exception {
        // a rule breaking its contract: its match begins before the keyword, so only the whole-text search sees it
        String rule = "rules:\n  - id: key\n    check: PAL-4003\n    starts-with-keyword: %s\n    keywords: [key]\n"
                + "    pattern: 'my-key=([a-z0-9]{12})'\n    group: 1\n";
        byte[] text = "x\nmy-key=abcdef123456\n".getBytes(StandardCharsets.UTF_8);

        assertThat(SecretScannerTest.scanner(String.format(rule, false))
                        .scan("app/x.txt", text, null)
                        .secrets())
                .extracting(Misconfiguration::line)
                .containsExactly(2);
        assertThat(SecretScannerTest.scanner(String.format(rule, true))
                        .scan("app/x.txt", text, null)
                        .secrets())
                .isEmpty();
    }

    @Test
    void shouldTryAKeywordWithinRuleOnlyUpToThatFarBeforeAKeyword() throws Exception {
        // a rule breaking its contract: its match begins 4 characters before the keyword, so with keyword-within 3
        // only the whole-text search sees it; with 4 both do
        String rule = "rules:\n  - id: key\n    check: PAL-4003\n    keyword-within: %d\n    keywords: [key]\n"
                + "    pattern: 'the-key=([a-z0-9]{12})'\n    group: 1\n";
        byte[] text = "x\nthe-key=abcdef123456\n".getBytes(StandardCharsets.UTF_8);

        assertThat(SecretScannerTest.scanner(String.format(rule, 4))
                        .scan("app/x.txt", text, null)
                        .secrets())
                .extracting(Misconfiguration::line)
                .containsExactly(2);
        assertThat(SecretScannerTest.scanner(String.format(rule, 3))
                        .scan("app/x.txt", text, null)
                        .secrets())
                .isEmpty();
    }

    @Test
    void shouldRefuseAKeywordWithinThatIsNotASmallNumberOrHasNoKeywords() {
        String rule = "rules:\n  - id: any\n    check: PAL-4003\n%s    pattern: 'x'\n";
        for (String bad : List.of(
                "    keyword-within: -1\n    keywords: [x]\n",
                "    keyword-within: 257\n    keywords: [x]\n",
                "    keyword-within: ten\n    keywords: [x]\n",
                "    keyword-within: 2.5\n    keywords: [x]\n",
                "    keyword-within: 3\n    starts-with-keyword: true\n    keywords: [x]\n",
                "    keyword-within: 3\n")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> SecretScannerTest.scanner(String.format(rule, bad)))
                    .as(bad)
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("rule 'any' is not valid: ")
                    .hasMessageContaining("keyword-within");
        }
    }

    @Test
    void shouldRefuseAnEmptyKeyword() {
        String rule = "rules:\n  - id: any\n    check: PAL-4003\n    starts-with-keyword: true\n    keywords: ['']\n"
                + "    pattern: 'x'\n";

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SecretScannerTest.scanner(rule))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("rule 'any' is not valid: a keyword is empty");
    }

    @Test
    void shouldMarkTheBuiltInRulesThatKeepToOneLine() throws Exception {
        assertThat(SecretScannerTest.scanner(null).rules())
                .filteredOn(SecretScanner.Rule::singleLine)
                .extracting(SecretScanner.Rule::id)
                .containsExactlyInAnyOrder(
                        "private-key",
                        "aws-access-key-id",
                        "azure-storage-key",
                        "github-token",
                        "gitlab-token",
                        "slack-token",
                        "password-in-url",
                        "password-assignment");
        assertThat(SecretScannerTest.scanner(null).rules())
                .filteredOn(SecretScanner.Rule::startsWithKeyword)
                .extracting(SecretScanner.Rule::id)
                .containsExactly("aws-access-key-id", "aws-secret-access-key");
        assertThat(SecretScannerTest.scanner(null).rules())
                .filteredOn(r -> r.keywordWithin() > 0)
                .extracting(SecretScanner.Rule::id, SecretScanner.Rule::keywordWithin)
                .containsExactly(org.assertj.core.api.Assertions.tuple("password-in-url", 21));
    }
}
