package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Credentials inside quoted commands are redacted; what only looks like one is left alone. */
class SecretRedactionTest {
    @Test
    void shouldRedactEachKindOfCredentialWithTheProjectsRedaction() {
        assertThat(SecretRedaction.redact("curl https://user:pa@ss@host/x")).isEqualTo("curl https://user:****@host/x");
        assertThat(SecretRedaction.redact("curl -u ci:LongEnoughPw https://x"))
                .isEqualTo("curl -u ci:Lo**** https://x");
        assertThat(SecretRedaction.redact("mysql --password 'hunter22x' db")).isEqualTo("mysql --password hu**** db");
        assertThat(SecretRedaction.redact("GITHUB_TOKEN=abcdefgh123 make")).isEqualTo("GITHUB_TOKEN=ab**** make");
        assertThat(SecretRedaction.redact("aws --key AKIAABCDEFGHIJKLMNOP")).isEqualTo("aws --key AK****");
        assertThat(SecretRedaction.redact("-H 'PRIVATE-TOKEN: glpat0123456789'"))
                .isEqualTo("-H 'PRIVATE-TOKEN: gl****'");
    }

    /** Stars inside a value do not pass it off as one already redacted. */
    @Test
    void shouldRedactAValueThatOnlyHoldsStars() {
        assertThat(SecretRedaction.redact("mysql --password 'hunter22****rest-of-it' db"))
                .isEqualTo("mysql --password hu**** db");
        assertThat(SecretRedaction.redact("GITHUB_TOKEN=ab****cdefgh123 make")).isEqualTo("GITHUB_TOKEN=ab**** make");
        assertThat(SecretRedaction.redact("GITHUB_TOKEN=ab**** make"))
                .as("once is enough")
                .isEqualTo("GITHUB_TOKEN=ab**** make");
        assertThat(SecretRedaction.redact("curl -u admin:****Sup3rSecretPassw0rd https://x/i.sh"))
                .isEqualTo("curl -u admin:****** https://x/i.sh");
        assertThat(SecretRedaction.redact("curl --user bob:ab****TopSecretValue https://x"))
                .isEqualTo("curl --user bob:ab**** https://x");
        assertThat(SecretRedaction.redact("curl -u admin:hu**** https://x"))
                .isEqualTo("curl -u admin:hu**** https://x");
    }

    @Test
    void shouldLeaveWhatIsNoCredentialAlone() {
        for (String text : new String[] {
            "curl -u admin https://example.com/x",
            "curl --user $USER:$PASSWORD https://x",
            "curl https://example.com:8443/a@b",
            "git clone git@github.com:org/repo.git",
            "TOKEN_FILE=/run/secrets/token ./run",
            "PASSWORD=$DB_PASSWORD ./run",
            "apt-get install -y curl=7.88.1-10 ca-certificates"
        }) {
            assertThat(SecretRedaction.redact(text)).isEqualTo(text);
        }
    }

    @Test
    void shouldRedactOnlyTheQuotedWindowOfALongText() {
        String redacted = SecretRedaction.redact("x".repeat(5000) + " https://u:secretpw@h/");

        assertThat(redacted).hasSize(SecretRedaction.MAX_CHARS).doesNotContain("secretpw");
    }
}
