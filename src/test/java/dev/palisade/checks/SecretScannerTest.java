package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.testing.Cli;
import dev.palisade.testing.Scans;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretScannerTest {
    static final CheckCatalog CATALOG = CheckCatalog.load();

    static SecretScanner scanner(String extraRules) throws Exception {
        return SecretScanner.load(CATALOG, extraRules == null ? null : extraRules.getBytes(StandardCharsets.UTF_8), 1024);
    }

    @Test
    void shouldFindKeysTokensAndPasswordsWithLinesAndRedactThem() throws Exception {
        Cli.Result result = Cli.run("fs", "src/test/resources/fixtures/checks/secrets", "--scanners", "secret", "-f", "json");

        assertThat(result.out())
                .contains("\"path\" : \"app/.env\"").contains("password-in-url: Su****Pw").contains("github-token: gh****89")
                .contains("slack-token: xo****kl").contains("\"path\" : \"app/deploy_key\"").contains("\"id\" : \"PAL-4001\"")
                .doesNotContain("Sup3rS3cretPw").doesNotContain("changeme\"").doesNotContain("clean/application.yaml");
    }

    @Test
    void shouldSkipBinaryLargeAndSystemFiles() throws Exception {
        SecretScanner scanner = scanner(null);
        byte[] binary = "ghp_0123456789abcdefghijABCDEFGHIJ0123456789\0".getBytes(StandardCharsets.UTF_8);

        assertThat(scanner.scan("app/blob", binary, null)).isEmpty();
        assertThat(scanner.wants("app/big.txt", 2048)).isFalse();
        assertThat(scanner.wants("usr/share/doc/readme", 10)).isFalse();
        assertThat(scanner.wants("app/lib/x.jar", 10)).isFalse();
        assertThat(scanner.wants("app/config.yaml", 10)).isTrue();
    }

    @Test
    void shouldTakeTheUsersOwnRules() throws Exception {
        SecretScanner scanner = scanner("rules:\n  - id: acme-api-key\n    check: PAL-4003\n    pattern: 'acme_live_([a-z0-9]{16})'\n    group: 1\n");

        List<Misconfiguration> found = scanner.scan("app/settings.ini", "key = acme_live_0123456789abcdef\n".getBytes(StandardCharsets.UTF_8), null);

        assertThat(found).singleElement().satisfies(m -> {
            assertThat(m.check().id()).isEqualTo("PAL-4003");
            assertThat(m.message()).isEqualTo("acme-api-key: 01****ef");
            assertThat(m.line()).isEqualTo(1);
        });
    }

    @Test
    void shouldReportTheCorpusSecretsWithTheLayerThatAddedThem() throws Exception {
        Cli.Result result = Cli.run("image", Scans.shared().resolve("corpus/jvm-app.tar").toString(), "--scanners", "secret",
                "-f", "json", "--no-layer-cache");

        assertThat(result.out()).contains("\"path\" : \"app/config/application.properties\"")
                .contains("aws-access-key-id: AK****01").contains("aws-secret-access-key: Pa****01").contains("password-assignment: co****23")
                .contains("\"layer\" : \"sha256:8594c79af8ca62f112b2e042431514050e9b6827a184e90569157f3310ee20d1\"")
                .doesNotContain("corpus-fake-password-123").doesNotContain("PalisadeCorpusFakeSecretKey0000000000001");
    }
}
