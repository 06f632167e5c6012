package dev.palisade.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Signs webhook deliveries so that receivers know they come from this server and are recent.
 *
 * <p>Every delivery carries the header
 *
 * <pre>X-Palisade-Signature: t=1764468000,v1=(64 lowercase hex digits)</pre>
 *
 * where {@code t} is the time of the attempt in Unix seconds and {@code v1} the lowercase hex
 * HMAC-SHA256, keyed with the webhook's secret (its UTF-8 bytes), of the ASCII decimal {@code t}, a
 * dot, and the request body exactly as received: {@code HMAC(secret, t + "." + body)}. To check a
 * delivery, a receiver computes the same HMAC over the raw body (before parsing it), compares it with
 * every {@code v1} in constant time (there may be more than one while a secret is being changed), and
 * refuses a {@code t} further than a few minutes from its own clock, so that a captured delivery
 * cannot be replayed later. {@link #verify} does exactly that with nothing but the JDK and may be
 * copied. Unknown keys in the header are ignored, so that later schemes ({@code v2=}) can be added.
 *
 * <p>{@code X-Palisade-Delivery} names the delivery and stays the same on its retries; each event in
 * the body has its own {@code id}. Receivers de-duplicate with either.
 */
public final class WebhookSigner {
    public static final String SIGNATURE_HEADER = "X-Palisade-Signature";
    public static final String DELIVERY_HEADER = "X-Palisade-Delivery";
    public static final String ATTEMPT_HEADER = "X-Palisade-Attempt";
    public static final String EVENTS_HEADER = "X-Palisade-Events";

    /** How far from the receiver's clock a signature's time may be: 5 minutes, as Stripe's. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final int MAX_HEADER_LENGTH = 4096;

    private WebhookSigner() {}

    /** The {@code X-Palisade-Signature} value for a body sent at {@code unixSeconds}. */
    public static String signatureHeader(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(hmac(secret, unixSeconds, body));
    }

    /**
     * Whether a delivery is authentic and recent: some {@code v1} in the header is the HMAC of {@code t}
     * and the body, and {@code t} is within {@code tolerance} of {@code now}.
     *
     * @param header the {@code X-Palisade-Signature} value, null if the request had none
     * @param body the raw request body
     */
    public static boolean verify(String secret, @Nullable String header, byte[] body, Instant now, Duration tolerance) {
        if (secret.isEmpty() || header == null || header.length() > MAX_HEADER_LENGTH) {
            return false;
        }
        long timestamp = -1;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                return false;
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (key.equals("t")) {
                if (timestamp >= 0 || !value.matches("[0-9]{1,12}")) {
                    return false;
                }
                timestamp = Long.parseLong(value);
            } else if (key.equals("v1")) {
                signatures.add(value);
            }
        }
        if (timestamp < 0 || signatures.isEmpty()) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.getSeconds()) {
            return false;
        }
        byte[] expected =
                HexFormat.of().formatHex(hmac(secret, timestamp, body)).getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String signature : signatures) {
            // every candidate is compared, in constant time, so that the time taken says nothing
            matched |= MessageDigest.isEqual(
                    expected, signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        }
        return matched;
    }

    private static byte[] hmac(String secret, long unixSeconds, byte[] body) {
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("a webhook secret cannot be empty");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this Java runtime", e);
        }
    }
}
