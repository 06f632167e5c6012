package dev.palisade.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where the server sends events, signed with the secret. Build one from what a user sent with
 * {@link #of}, which explains what is wrong with a URL; the secret never appears in {@link #toString()}.
 *
 * @param id the stored webhook's id
 * @param url an absolute http or https URL, without user name or password
 * @param secret the HMAC key for the signature ({@link WebhookSigner})
 * @param events the types this webhook receives, at least one
 */
public record Webhook(long id, URI url, String secret, Format format, Set<ServerEvent.Type> events) {
    static final int MIN_SECRET_LENGTH = 16;
    static final int MAX_SECRET_LENGTH = 512;
    static final int MAX_URL_LENGTH = 2048;

    /** The shape of the body: {@link WebhookPayloads}. */
    public enum Format {
        /** Palisade's JSON: every field of every event. */
        PALISADE("palisade"),
        /** A Slack incoming-webhook message: a readable summary. */
        SLACK("slack");

        private final String wireName;

        Format(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** The format a user named; throws with the names there are otherwise. */
        public static Format ofWireName(String name) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (Format format : values()) {
                if (format.wireName.equals(wanted)) {
                    return format;
                }
            }
            throw new IllegalArgumentException("unknown webhook format '" + shorten(name) + "': use palisade or slack");
        }
    }

    public Webhook {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(format, "format");
        checkUrl(url);
        if (secret.length() < MIN_SECRET_LENGTH || secret.isBlank()) {
            throw new IllegalArgumentException("the webhook secret must be at least " + MIN_SECRET_LENGTH
                    + " characters long (a random string: openssl rand -hex 32)");
        }
        if (secret.length() > MAX_SECRET_LENGTH) {
            throw new IllegalArgumentException(
                    "the webhook secret must be at most " + MAX_SECRET_LENGTH + " characters long");
        }
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a webhook needs at least one event type");
        }
        events = Collections.unmodifiableSet(EnumSet.copyOf(events));
    }

    /**
     * A webhook from what a user sent.
     *
     * @param format {@code palisade} or {@code slack}; null for {@code palisade}
     * @param events event type names ({@code finding.new}...); null or empty for all of them
     * @throws IllegalArgumentException with a message for the user when something is not acceptable
     */
    public static Webhook of(
            long id, String url, String secret, @Nullable String format, @Nullable Collection<String> events) {
        if (url.length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException("the webhook URL is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the webhook URL is not a valid URL (" + e.getReason() + ")");
        }
        Set<ServerEvent.Type> types = EnumSet.noneOf(ServerEvent.Type.class);
        if (events == null || events.isEmpty()) {
            types = EnumSet.allOf(ServerEvent.Type.class);
        } else {
            for (String name : events) {
                types.add(ServerEvent.Type.ofWireName(name)
                        .orElseThrow(() -> new IllegalArgumentException("unknown event type '" + shorten(name)
                                + "': use finding.new, finding.resolved, patch.overdue or scan.failed")));
            }
        }
        return new Webhook(id, uri, secret, format == null ? Format.PALISADE : Format.ofWireName(format), types);
    }

    /** A webhook for every event type, in Palisade's format. */
    public static Webhook of(long id, String url, String secret) {
        return of(id, url, secret, null, null);
    }

    private static void checkUrl(URI url) {
        String scheme = url.getScheme();
        if (!url.isAbsolute() || scheme == null) {
            throw new IllegalArgumentException("the webhook URL must be absolute (https://host/path)");
        }
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (!lower.equals("https") && !lower.equals("http")) {
            throw new IllegalArgumentException("the webhook URL must start with https:// or http://");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "the webhook URL must not contain a user name or password: the signature authenticates the server");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("the webhook URL needs a host name (letters, digits, dots and dashes)");
        }
        if (url.getPort() > 65535) {
            throw new IllegalArgumentException("the webhook URL's port must be at most 65535");
        }
        if (url.getRawFragment() != null) {
            throw new IllegalArgumentException("the webhook URL must not have a #fragment");
        }
    }

    /** Whether this webhook receives events of that type. */
    public boolean wants(ServerEvent.Type type) {
        return events.contains(type);
    }

    /**
     * The URL as logs and messages may show it: scheme, host and port only. A webhook URL's query, and
     * for Slack its path, is often the credential.
     */
    public String displayUrl() {
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        String path = url.getRawPath();
        boolean hasMore = (path != null && !path.isEmpty() && !path.equals("/")) || url.getRawQuery() != null;
        return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost().toLowerCase(Locale.ROOT) + port
                + (hasMore ? "/…" : "/");
    }

    @Override
    public String toString() {
        return "Webhook[id=" + id + ", url=" + displayUrl() + ", format=" + format.wireName() + ", events=" + events
                + "]";
    }

    private static String shorten(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 40 ? printable : printable.substring(0, 40) + "…";
    }
}
