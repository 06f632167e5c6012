package dev.palisade.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    private static final String SECRET = "whsec-0123456789abcdef";
    private static final byte[] BODY =
            "{\"events\":[],\"sentAt\":\"2026-11-30T02:00:00Z\"}".getBytes(StandardCharsets.UTF_8);
    private static final long T = 1764468000L;
    private static final Instant NOW = Instant.ofEpochSecond(T + 30);
    private static final Duration TOLERANCE = WebhookSigner.DEFAULT_TOLERANCE;

    @Test
    void shouldSignTheTimestampDotBodyWithHmacSha256() {
        // computed independently: printf '1764468000.{...}' | openssl dgst -sha256 -hmac whsec-0123456789abcdef
        assertThat(WebhookSigner.signatureHeader(SECRET, T, BODY))
                .isEqualTo("t=1764468000,v1=27463ead3c002ddc036faa65f9efd82367b384b0d1ebe3a8af2335f530cff9a4");
    }

    @Test
    void shouldVerifyWithTheSecretOnly() {
        String header = WebhookSigner.signatureHeader(SECRET, T, BODY);
        assertThat(WebhookSigner.verify(SECRET, header, BODY, NOW, TOLERANCE)).isTrue();
        assertThat(WebhookSigner.verify(SECRET + "x", header, BODY, NOW, TOLERANCE))
                .isFalse();
        assertThat(WebhookSigner.verify("", header, BODY, NOW, TOLERANCE)).isFalse();
    }

    @Test
    void shouldRefuseATamperedBody() {
        String header = WebhookSigner.signatureHeader(SECRET, T, BODY);
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 3] ^= 1;
        assertThat(WebhookSigner.verify(SECRET, header, tampered, NOW, TOLERANCE))
                .isFalse();
        byte[] longer = (new String(BODY, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSigner.verify(SECRET, header, longer, NOW, TOLERANCE)).isFalse();
    }

    @Test
    void shouldRefuseAStaleOrFutureTimestampAndAMovedOne() {
        String header = WebhookSigner.signatureHeader(SECRET, T, BODY);
        assertThat(WebhookSigner.verify(SECRET, header, BODY, Instant.ofEpochSecond(T + 300), TOLERANCE))
                .isTrue();
        assertThat(WebhookSigner.verify(SECRET, header, BODY, Instant.ofEpochSecond(T + 301), TOLERANCE))
                .isFalse();
        assertThat(WebhookSigner.verify(SECRET, header, BODY, Instant.ofEpochSecond(T - 301), TOLERANCE))
                .isFalse();
        // a replay with a fresh t but the old signature
        String moved = header.replace("t=" + T, "t=" + (T + 3600));
        assertThat(WebhookSigner.verify(SECRET, moved, BODY, Instant.ofEpochSecond(T + 3600), TOLERANCE))
                .isFalse();
    }

    @Test
    void shouldAcceptAnyMatchingV1AndIgnoreUnknownSchemes() {
        String good = WebhookSigner.signatureHeader(SECRET, T, BODY);
        String v1 = good.substring(good.indexOf("v1=") + 3);
        String rotating = "t=" + T + ",v1=" + "0".repeat(64) + ", v1=" + v1.toUpperCase() + ",v2=abc";
        assertThat(WebhookSigner.verify(SECRET, rotating, BODY, NOW, TOLERANCE)).isTrue();
    }

    @Test
    void shouldRefuseMalformedHeaders() {
        String v1 = WebhookSigner.signatureHeader(SECRET, T, BODY).split("v1=")[1];
        for (String header : new String[] {
            null,
            "",
            "v1=" + v1,
            "t=" + T,
            "t=" + T + ",t=" + T + ",v1=" + v1,
            "t=-" + T + ",v1=" + v1,
            "t=1e9,v1=" + v1,
            "t=" + T + ";v1=" + v1,
            "t=" + T + ",v1=" + v1 + ",garbage",
            "t=" + T + ",v1=" + v1 + "," + "x=".repeat(3000)
        }) {
            assertThat(WebhookSigner.verify(SECRET, header, BODY, NOW, TOLERANCE))
                    .as(String.valueOf(header))
                    .isFalse();
        }
    }
}
