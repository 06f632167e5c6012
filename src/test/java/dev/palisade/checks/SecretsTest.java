package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SecretsTest {
    static final String GITHUB_TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJ0123456789";
    static final String KEY_BODY =
            "\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n";

    /** A redacted value shows a fixed two-character prefix at most: never its end, never its length. */
    @Test
    void shouldRedactAValueToAFixedShortPrefix() {
        assertThat(Secrets.redact("hunter2-secret")).isEqualTo("hu****");
        assertThat(Secrets.redact("  " + GITHUB_TOKEN + "\n")).isEqualTo("gh****");
        assertThat(Secrets.redact("hunter22")).isEqualTo("hu****");
        assertThat(Secrets.redact("hunter2"))
                .as("under eight characters: nothing")
                .isEqualTo("****");
        assertThat(Secrets.redact("")).isEqualTo("****");
        assertThat(Secrets.redact("\uD83D\uDD11\uD83D\uDD11secret"))
                .as("two characters, not two chars of a surrogate pair")
                .isEqualTo("\uD83D\uDD11\uD83D\uDD11****");
    }

    @Test
    void shouldTellARedactedValueOnlyByTheFormRedactionGives() {
        assertThat(Secrets.isRedacted("****")).isTrue();
        assertThat(Secrets.isRedacted("hu****")).isTrue();
        assertThat(Secrets.isRedacted(Secrets.redact("anything-at-all"))).isTrue();
        assertThat(Secrets.redact("hu****"))
                .as("redacting twice changes nothing")
                .isEqualTo("hu****");
        assertThat(Secrets.isRedacted("hu****er"))
                .as("a value that goes on after the stars")
                .isFalse();
        assertThat(Secrets.isRedacted("hunter2****"))
                .as("more than the prefix before them")
                .isFalse();
        assertThat(Secrets.isRedacted("x****"))
                .as("redaction never keeps one character")
                .isFalse();
        assertThat(Secrets.isRedacted("******"))
                .as("the two first characters of ****secret")
                .isTrue();
        assertThat(Secrets.redact(Secrets.redact("****secret"))).isEqualTo("******");
        assertThat(Secrets.isRedacted("hunter2")).isFalse();
    }

    static Stream<Arguments> secretsInText() {
        return Stream.of(
                Arguments.of("ENV DB_PASSWORD=hunter2", "ENV DB_PASSWORD=****"),
                Arguments.of(
                        "/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2 APP_ENV=prod",
                        "/bin/sh -c #(nop)  ENV DB_PASSWORD=**** APP_ENV=prod"),
                Arguments.of("ENV DB_PASSWORD hunter2hunter2", "ENV DB_PASSWORD hu****"),
                Arguments.of(
                        "/bin/sh -c curl -u admin:S3cr3t https://example.com/upload",
                        "/bin/sh -c curl -u admin:**** https://example.com/upload"),
                Arguments.of(
                        "RUN curl -fsSL --user deploy:LongerS3cretValue -o app.tgz https://example.com/app.tgz",
                        "RUN curl -fsSL --user deploy:Lo**** -o app.tgz https://example.com/app.tgz"),
                Arguments.of("https://user:pass@host/", "https://user:****@host/"),
                Arguments.of(
                        "git clone https://oauth2:glpat-abcdefghij0123456789@gitlab.example.com/g/p.git",
                        "git clone https://oauth2:gl****@gitlab.example.com/g/p.git"),
                Arguments.of(
                        "DATABASE_URL=postgres://orders:Sup3rS3cretPw@db.internal:5432/orders",
                        "DATABASE_URL=postgres://orders:Su****@db.internal:5432/orders"),
                Arguments.of("token " + GITHUB_TOKEN + " for CI", "token gh**** for CI"),
                Arguments.of("GITHUB_TOKEN=" + GITHUB_TOKEN, "GITHUB_TOKEN=gh****"),
                Arguments.of("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "gi****"),
                Arguments.of(
                        "aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE",
                        "aws configure set aws_access_key_id AK****"),
                Arguments.of(
                        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                        "aws_secret_access_key = wJ****"),
                Arguments.of(
                        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                        "AWS_SECRET_ACCESS_KEY=wJ****"),
                Arguments.of("SLACK=xoxb-123456789012-abcdefghijkl", "SLACK=xo****"),
                Arguments.of("mysql --password xyz -h db", "mysql --password **** -h db"),
                Arguments.of("mysqldump --password=hunter22 app", "mysqldump --password=hu**** app"),
                Arguments.of(
                        "vault login --client-secret 'a long secret value' -x",
                        "vault login --client-secret 'a ****' -x"),
                Arguments.of("PASSWORD=hunter2 USER=app", "PASSWORD=**** USER=app"),
                Arguments.of("export API_KEY=\"0123456789abcdef\"", "export API_KEY=\"01****\""),
                Arguments.of("SECRET_KEY_BASE=9f8e7d6c5b4a39281706", "SECRET_KEY_BASE=9f****"),
                Arguments.of("dbPassword: Sup3rS3cret!", "dbPassword: Su****"),
                Arguments.of(
                        "line 3: password: \"Sup3rS3cret!\" is not a valid value",
                        "line 3: password: \"Su****\" is not a valid value"),
                Arguments.of(
                        "{\"api_key\":\"abcd1234efgh\",\"user\":\"x\"}", "{\"api_key\":\"ab****\",\"user\":\"x\"}"),
                Arguments.of("GET /v1/items?token=abc123xyz789&page=2", "GET /v1/items?token=ab****&page=2"),
                Arguments.of(
                        "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig' https://api",
                        "curl -H 'Authorization: Bearer ey****' https://api"),
                Arguments.of("X-Api-Key: 0123456789abcdef", "X-Api-Key: 01****"),
                Arguments.of(
                        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + "A".repeat(86)
                                + "==;EndpointSuffix=core",
                        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=AA****;EndpointSuffix=core"),
                Arguments.of(
                        "-----BEGIN RSA PRIVATE KEY-----" + KEY_BODY + "-----END RSA PRIVATE KEY-----\n",
                        "-----BEGIN RSA PRIVATE KEY-----****-----END RSA PRIVATE KEY-----\n"),
                Arguments.of(
                        "{\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----\\n\"}",
                        "{\"private_key\": \"-----BEGIN PRIVATE KEY-----****-----END PRIVATE KEY-----\\n\"}"),
                Arguments.of(
                        "echo '-----BEGIN OPENSSH PRIVATE KEY-----" + KEY_BODY,
                        "echo '-----BEGIN OPENSSH PRIVATE KEY-----****"));
    }

    static Stream<String> ordinaryText() {
        return Stream.of(
                "/bin/sh -c apt-get update && apt-get install -y curl ca-certificates && rm -rf /var/lib/apt/lists/*",
                "/bin/sh -c #(nop) COPY file:3b1a8f0c1d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2 in / ",
                "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "docker.io/library/alpine@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "ENV PASSWORD_FILE=/run/secrets/db_password",
                "ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D",
                "ENV TOKENIZERS_PARALLELISM=false",
                "deploy ALL=(ALL) NOPASSWD: ALL",
                "ENV DB_PASSWORD=$DB_PASSWORD",
                "ENV USE_TOKEN=true",
                "ENV PWD=/app",
                "ARG NPM_TOKEN",
                "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci",
                "RUN docker build --secret id=npmrc,src=$HOME/.npmrc .",
                "RUN echo \"the password must be set\" && useradd -u 1001 -g app app",
                "docker run -u 1000:1000 --rm app && curl -fsS https://example.com/health",
                "echo $PASS | docker login --password-stdin -u ci registry.example.com",
                "git clone git@github.com:org/repo.git && curl http://example.com:8080/path?email=a@b.c",
                "LABEL maintainer=dev@example.com org.opencontainers.image.source=https://github.com/org/repo",
                "secretName: my-secret\nsecretKeyRef:\n  name: db\n  key: password",
                "token: {{ .Values.token }}",
                "Authorization: Bearer $TOKEN",
                "already redacted: PASSWORD=**** TOKEN=gh**** https://u:****@h/",
                "ENV AWS_SECRET_ACCESS_KEY=Pa****");
    }

    @ParameterizedTest
    @MethodSource("secretsInText")
    void shouldRedactTheSecretValuesInText(String text, String expected) {
        assertThat(Secrets.redactText(text)).isEqualTo(expected);
        assertThat(Secrets.redactText(expected)).as("redacted twice").isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("ordinaryText")
    void shouldLeaveOrdinaryTextAlone(String text) {
        assertThat(Secrets.redactText(text)).isEqualTo(text);
    }

    @Test
    void shouldGiveTheSameTextWhenRedactingTwiceWhateverTheText() {
        List<String> pieces = new ArrayList<>(List.of(
                " ",
                "=",
                ":",
                "\"",
                "'",
                "\n",
                "-",
                "--",
                "@",
                "://",
                "/",
                "$",
                "****",
                "ab",
                "password",
                "DB_PASSWORD",
                "token",
                "api_key",
                "secret",
                "ENV ",
                "curl ",
                "-u ",
                "--password ",
                "Authorization: Bearer ",
                "https",
                "user",
                "host",
                "0123456789",
                "AKIAIOSFODNN7EXAMPLE",
                GITHUB_TOKEN,
                "-----BEGIN PRIVATE KEY-----",
                "-----END PRIVATE KEY-----",
                "MIIEvQ",
                "true",
                "{{",
                ",",
                "&"));
        Random random = new Random(20261129);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(16); n >= 0; n--) {
                text.append(pieces.get(random.nextInt(pieces.size())));
            }
            String once = Secrets.redactText(text.toString());
            assertThat(Secrets.redactText(once))
                    .as("redacting twice [%s]", text)
                    .isEqualTo(once);
        }
    }

    @Test
    void shouldRedactHostileTextInLinearTime() {
        for (String piece : List.of(
                "password",
                "password=",
                "a_password_b: ",
                "ENV TOKEN ",
                "--password ",
                "-u a:b ",
                "curl -u ",
                "a://b:c",
                "http://u:p",
                "ghp_",
                "AKIA",
                "Authorization: ",
                "-----BEGIN PRIVATE KEY-----",
                "-----END PRIVATE KEY-----",
                "\"token\":\"",
                "token=",
                "ab****",
                "-----BEGIN PRIVATE KEY-----x-----END PRIVATE KEY-----password=abc ")) {
            String text = SecretScannerTest.repeated(piece, 1024 * 1024);
            long start = BudgetedText.now();

            Secrets.redactText(text);

            assertThat((BudgetedText.now() - start) / 1_000_000)
                    .as("CPU milliseconds to redact 1 MiB of %s", piece)
                    .isLessThan(1000);
        }
    }

    @Test
    void shouldTellWhetherALongValueIsASecretInLinearTime() {
        String value = SecretScannerTest.repeated("a", 1024 * 1024);
        long start = BudgetedText.now();

        assertThat(Secrets.isSecret("NOTE", value)).isFalse();

        assertThat((BudgetedText.now() - start) / 1_000_000)
                .as("CPU milliseconds")
                .isLessThan(1000);
    }

    /**
     * The one-pass test of literals is only a shortcut: wherever one of the value expressions matches, it passes.
     * Texts are made of the expressions' pieces, so that they match often.
     */
    @Test
    void shouldNeverLetTheLiteralShortcutHideAValueExpressionsMatch() {
        List<String> pieces = List.of(
                "AKIA",
                "ASIA",
                "gh",
                "p_",
                "glpat-",
                "xox",
                "b-",
                "-----BEGIN ",
                "RSA ",
                "PRIVATE KEY-----",
                "\"type\"",
                ":",
                " ",
                "\"service_account\"",
                "AccountKey=",
                "https",
                "://",
                "u",
                "p",
                "@",
                "/",
                "A",
                "0",
                "_",
                "abcdefghij",
                "ABCDEFGHIJ0123456789",
                "-");
        Random random = new Random(20261201);
        int matched = 0;
        for (int i = 0; i < 300_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                String piece = pieces.get(random.nextInt(pieces.size()));
                text.append(piece.length() > 4 && random.nextInt(4) == 0 ? piece.repeat(3) : piece);
            }
            String value = text.toString();
            if (Secrets.matchesAValuePattern(value)) {
                matched++;
                assertThat(Secrets.holdsAValuePatternsLiteral(value)).as(value).isTrue();
            }
        }
        assertThat(matched).as("the texts exercise the expressions").isGreaterThan(1_000);
        for (String value : List.of(
                "AKIAABCDEFGHIJKLMNOP",
                GITHUB_TOKEN,
                "glpat-abcdefghij0123456789",
                "xoxb-0123456789-abc",
                "-----BEGIN OPENSSH PRIVATE KEY-----",
                "{\"type\": \"service_account\"}",
                "AccountKey=" + "a".repeat(40),
                "https://u:p@host")) {
            assertThat(Secrets.looksLikeSecretValue(value)).as(value).isTrue();
        }
    }
}
