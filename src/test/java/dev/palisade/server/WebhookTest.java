package dev.palisade.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookTest {
    private static final String SECRET = "s3cr3t-value-0123456789";

    @Test
    void shouldAcceptHttpAndHttpsUrlsWithDefaults() {
        Webhook hook = Webhook.of(7, "https://hooks.example.com/palisade?token=abc", SECRET);
        assertThat(hook.format()).isEqualTo(Webhook.Format.PALISADE);
        assertThat(hook.events()).isEqualTo(EnumSet.allOf(ServerEvent.Type.class));
        assertThat(Webhook.of(1, "http://127.0.0.1:8080/x", SECRET).url().getPort())
                .isEqualTo(8080);
        Webhook slack = Webhook.of(
                2,
                "https://hooks.slack.com/services/T0/B0/XYZ",
                SECRET,
                "Slack",
                List.of("finding.new", "scan.failed"));
        assertThat(slack.format()).isEqualTo(Webhook.Format.SLACK);
        assertThat(slack.wants(ServerEvent.Type.FINDING_NEW)).isTrue();
        assertThat(slack.wants(ServerEvent.Type.FINDING_RESOLVED)).isFalse();
    }

    @Test
    void shouldRefuseUrlsItCannotOrShouldNotPostTo() {
        assertThatThrownBy(() -> Webhook.of(1, "ftp://example.com/x", SECRET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https://");
        assertThatThrownBy(() -> Webhook.of(1, "file:///etc/passwd", SECRET)).hasMessageContaining("https://");
        assertThatThrownBy(() -> Webhook.of(1, "/relative/path", SECRET)).hasMessageContaining("absolute");
        assertThatThrownBy(() -> Webhook.of(1, "https://user:pw@example.com/x", SECRET))
                .hasMessageContaining("user name or password")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> Webhook.of(1, "https:///nohost", SECRET)).hasMessageContaining("host");
        assertThatThrownBy(() -> Webhook.of(1, "http://exa mple.com/", SECRET)).hasMessageContaining("not a valid URL");
        assertThatThrownBy(() -> Webhook.of(1, "https://example.com:70000/", SECRET))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> Webhook.of(1, "https://example.com/#frag", SECRET))
                .hasMessageContaining("fragment");
        assertThatThrownBy(() -> Webhook.of(1, "https://example.com/" + "a".repeat(3000), SECRET))
                .hasMessageContaining("longer than");
    }

    @Test
    void shouldRefuseWeakSecretsUnknownFormatsAndEventsWithoutRepeatingTheSecret() {
        assertThatThrownBy(() -> Webhook.of(1, "https://example.com/", "short-secret"))
                .hasMessageContaining("at least 16")
                .hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> Webhook.of(1, "https://example.com/", " ".repeat(20)))
                .hasMessageContaining("at least");
        assertThatThrownBy(() -> Webhook.of(1, "https://example.com/", SECRET, "teams", null))
                .hasMessageContaining("'teams'")
                .hasMessageContaining("palisade or slack");
        assertThatThrownBy(() -> Webhook.of(1, "https://example.com/", SECRET, null, List.of("finding.nwe")))
                .hasMessageContaining("'finding.nwe'");
    }

    @Test
    void shouldShowNeitherSecretNorPathNorQuery() {
        Webhook hook = Webhook.of(3, "https://Hooks.Example.com:8443/services/T0/B0/tok3n?key=qu3ry", SECRET);
        assertThat(hook.displayUrl()).isEqualTo("https://hooks.example.com:8443/…");
        assertThat(hook.toString()).doesNotContain(SECRET, "tok3n", "qu3ry").contains("id=3");
        assertThat(Webhook.of(3, "http://example.com", SECRET).displayUrl()).isEqualTo("http://example.com/");
    }
}
