package dev.palisade.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.image.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Talks to one repository of an OCI Distribution (Docker Registry v2) server: anonymous, HTTP basic
 * and bearer-token authentication, redirects followed by hand so that credentials never go to another
 * host, bounded redirect chains, retries with backoff on 429/5xx honouring {@code Retry-After}.
 */
public final class RegistryClient {
    public static final String ACCEPT_MANIFESTS = String.join(
            ", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Go's registry says "Client sent an HTTP request to an HTTPS server." within its first bytes. */
    private static final int PROBE_ANSWER_BYTES = 4096;

    /** Network settings. {@code insecure} speaks plain HTTP to the registry. */
    public record Settings(
            boolean insecure, Duration connectTimeout, Duration requestTimeout, int retries, int maxRedirects) {
        public static Settings defaults(boolean insecure) {
            return new Settings(insecure, Duration.ofSeconds(20), Duration.ofMinutes(10), 3, 10);
        }
    }

    /** A response body and what the registry said about it. */
    public record Response(
            InputStream body,
            @Nullable String contentType,
            @Nullable String digest,
            long length,
            @Nullable String link) {}

    private final ImageReference reference;
    private final @Nullable RegistryCredentials credentials;
    private final Settings settings;
    private final HttpClient http;
    private @Nullable String authorization;
    private @Nullable String scheme;

    /** A client for another reference of the same repository, sharing nothing but the settings and credentials. */
    public RegistryClient forReference(ImageReference other) {
        return new RegistryClient(other, credentials, settings);
    }

    public RegistryClient(ImageReference reference, @Nullable RegistryCredentials credentials, Settings settings) {
        this.reference = reference;
        this.credentials = credentials;
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.insecure()) {
            builder.sslContext(TrustingTls.context());
        }
        this.http = builder.build();
    }

    public ImageReference reference() {
        return reference;
    }

    /**
     * The repository's API root. An insecure registry may speak plain HTTP or HTTPS with a certificate
     * that is not verified (a self-signed registry); a probe of {@code /v2/} tells which.
     */
    URI base() throws IOException {
        if (scheme == null) {
            scheme = settings.insecure() ? probeInsecure() : "https";
        }
        return URI.create(scheme + "://" + reference.registry() + "/v2/" + reference.repository() + "/");
    }

    /**
     * Asks {@code /v2/} over plain HTTP (no credentials are sent): a registry that answers it in HTTP
     * speaks HTTP; one that drops the connection, or says it was sent HTTP on an HTTPS port, speaks TLS.
     */
    private String probeInsecure() throws IOException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + reference.registry() + "/v2/"))
                    .timeout(settings.connectTimeout())
                    .GET()
                    .build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String start;
            try (InputStream in = response.body()) {
                start = new String(in.readNBytes(PROBE_ANSWER_BYTES), StandardCharsets.UTF_8);
            }
            boolean tlsPort = response.statusCode() == 400 && start.contains("HTTPS");
            return tlsPort ? "https" : "http"; // any other HTTP answer means the registry speaks HTTP
        } catch (IOException e) {
            return "https";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public Response manifest(String referenceOrDigest) throws IOException {
        return get(base().resolve("manifests/" + referenceOrDigest), ACCEPT_MANIFESTS);
    }

    /**
     * A repository's tag list: the entries that are tag names, and how many were not (the registry is not trusted
     * to send only names; one with a slash or a control character would become part of a URL or a message).
     */
    public record TagList(List<String> tags, int notTagNames) {
        public TagList {
            tags = List.copyOf(tags);
        }
    }

    /**
     * Every tag of the repository, following the {@code Link: <...>; rel="next"} pagination; at most
     * {@code maxTags}, so a registry cannot keep a scan listing forever.
     */
    public TagList tags(int maxTags) throws IOException {
        List<String> tags = new ArrayList<>();
        int notTagNames = 0;
        URI next = base().resolve("tags/list?n=100");
        for (int page = 0; next != null && page < 1000 && tags.size() < maxTags; page++) {
            Response response = get(next, "application/json");
            JsonNode list;
            try (InputStream in = response.body()) {
                list = JSON.readTree(LimitedInputStream.readAll(in, 16L * 1024 * 1024, "tag list"));
            }
            for (JsonNode tag : list.path("tags")) {
                if (!isTagName(tag)) {
                    notTagNames++;
                } else if (tags.size() < maxTags) {
                    tags.add(tag.asText());
                }
            }
            next = nextPage(next, response.link());
        }
        return new TagList(tags, notTagNames);
    }

    /** The distribution spec's tag grammar: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}. */
    static boolean isTagName(JsonNode tag) {
        String name = tag.isTextual() ? tag.asText() : "";
        if (name.isEmpty() || name.length() > 128 || name.charAt(0) == '.' || name.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '.'
                    || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static @Nullable URI nextPage(URI current, @Nullable String link) throws IOException {
        if (link == null) {
            return null;
        }
        Matcher m = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?").matcher(link);
        return m.find() ? resolveRemote(current, m.group(1), "the next page of its tag list") : null;
    }

    /**
     * {@code reference}, a URL a registry sent (a redirect, a next page, a token realm), resolved against
     * {@code base}; an IOException that does not echo it when it is no http(s) URL with a host, where the URI and
     * HTTP classes would throw an unchecked exception.
     */
    static URI resolveRemote(URI base, String reference, String what) throws IOException {
        URI resolved;
        try {
            resolved = base.resolve(new URI(reference));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException(redact(base) + ": " + what + " is not a URL");
        }
        String scheme = String.valueOf(resolved.getScheme()).toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || resolved.getHost() == null) {
            throw new IOException(redact(base) + ": " + what + " is not an http(s) URL with a host");
        }
        return resolved;
    }

    public Response blob(String digest) throws IOException {
        return get(base().resolve("blobs/" + digest), "*/*");
    }

    /** A GET with authentication, manual redirects and retries. A 404 is reported as {@link NotFoundException}. */
    Response get(URI uri, String accept) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt <= settings.retries(); attempt++) {
            try {
                return getOnce(uri, accept);
            } catch (RetryableException e) {
                last = e;
                if (attempt < settings.retries()) {
                    sleep(e.retryAfter != null ? e.retryAfter : Duration.ofMillis(500L << attempt));
                }
            }
        }
        throw new IOException(
                "giving up on " + redact(uri) + " after " + (settings.retries() + 1) + " attempts: "
                        + (last == null ? "" : last.getMessage()),
                last);
    }

    private Response getOnce(URI start, String accept) throws IOException {
        URI uri = start;
        boolean retriedAuth = false;
        for (int hop = 0; hop <= settings.maxRedirects(); hop++) {
            boolean sameHost = sameOrigin(uri);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(settings.requestTimeout())
                    .header("Accept", accept)
                    .GET();
            if (sameHost && authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new RetryableException(
                        redact(uri) + ": "
                                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                        null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            int status = response.statusCode();
            if (status == 200) {
                return new Response(
                        response.body(),
                        response.headers().firstValue("Content-Type").orElse(null),
                        response.headers().firstValue("Docker-Content-Digest").orElse(null),
                        response.headers().firstValueAsLong("Content-Length").orElse(-1),
                        response.headers().firstValue("Link").orElse(null));
            }
            response.body().close();
            if (status >= 300 && status < 400) {
                Optional<String> location = response.headers().firstValue("Location");
                if (location.isEmpty()) {
                    throw new IOException(redact(uri) + ": redirect " + status + " without a Location");
                }
                uri = resolveRemote(uri, location.get(), "the Location of its redirect " + status);
                continue;
            }
            if (status == 401 && sameHost && !retriedAuth) {
                retriedAuth = true;
                authenticate(response.headers().firstValue("WWW-Authenticate").orElse(""));
                hop--;
                continue;
            }
            if (status == 401 || status == 403) {
                throw new IOException(reference.registry() + " refused access to " + reference.repository() + " (HTTP "
                        + status
                        + (credentials == null ? "; no credentials were given" : "; the credentials were not accepted")
                        + ")");
            }
            if (status == 404) {
                throw new NotFoundException(redact(uri) + ": not found (HTTP 404)");
            }
            if (status == 429 || status >= 500) {
                throw new RetryableException(redact(uri) + ": HTTP " + status, retryAfter(response));
            }
            throw new IOException(redact(uri) + ": HTTP " + status);
        }
        throw new IOException(redact(start) + ": more than " + settings.maxRedirects() + " redirects");
    }

    private void authenticate(String challenge) throws IOException {
        String scheme = challenge.trim().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        if (scheme.equals("basic")) {
            if (credentials == null) {
                throw new IOException(reference.registry()
                        + " asks for a user name and password (use --username and --password-stdin, "
                        + "or docker login)");
            }
            authorization = credentials.basicHeader();
            return;
        }
        if (!scheme.equals("bearer")) {
            throw new IOException(reference.registry() + " asks for an unsupported authentication scheme: " + scheme);
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
        String realm = params.get("realm");
        if (realm == null || realm.isEmpty()) {
            throw new IOException(reference.registry() + ": bearer challenge without a realm");
        }
        StringBuilder query = new StringBuilder();
        if (params.containsKey("service")) {
            query.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8));
        }
        String scope = params.getOrDefault("scope", "repository:" + reference.repository() + ":pull");
        query.append(query.length() == 0 ? "" : "&")
                .append("scope=")
                .append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        URI tokenUri = resolveRemote(
                base(), realm + (realm.contains("?") ? "&" : "?") + query, "the token realm of its bearer challenge");
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenUri)
                .timeout(settings.requestTimeout())
                .GET();
        if (credentials != null) {
            request.header("Authorization", credentials.basicHeader());
        }
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException(
                            "token service " + tokenUri.getHost() + " answered HTTP " + response.statusCode());
                }
                JsonNode token = JSON.readTree(LimitedInputStream.readAll(body, 1024 * 1024, "token response"));
                String value =
                        token.path("token").asText(token.path("access_token").asText(""));
                if (value.isEmpty()) {
                    throw new IOException("token service " + tokenUri.getHost() + " returned no token");
                }
                authorization = "Bearer " + value;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private boolean sameOrigin(URI uri) {
        String authority = uri.getAuthority();
        return authority != null && authority.equalsIgnoreCase(reference.registry());
    }

    private static String redact(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
    }

    private static @Nullable Duration retryAfter(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Retry-After")
                .map(v -> {
                    try {
                        return Duration.ofSeconds(Math.max(0, Math.min(60, Long.parseLong(v.trim()))));
                    } catch (NumberFormatException e) {
                        return null;
                    }
                })
                .orElse(null);
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The registry has no such manifest or blob. */
    public static final class NotFoundException extends IOException {
        NotFoundException(String message) {
            super(message);
        }
    }

    private static final class RetryableException extends IOException {
        final @Nullable Duration retryAfter;

        RetryableException(String message, @Nullable Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }
    }
}
