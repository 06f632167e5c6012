package dev.palisade.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A registry written for the tests, serving an OCI layout directory over the Distribution API on
 * 127.0.0.1, with the misbehaviours a hostile or broken registry shows: a bearer-token flow, blobs
 * redirected to another host, endless redirects, endless 401s, tampered blobs, a huge manifest, a
 * connection cut in the middle of a layer. It records the Authorization headers each host received.
 */
public final class FakeRegistry implements AutoCloseable {
    public enum Behaviour {
        NORMAL,
        BEARER,
        REDIRECT_BLOBS_ELSEWHERE,
        REDIRECT_LOOP,
        UNAUTHORIZED_FOREVER,
        TAMPERED_BLOB,
        HUGE_MANIFEST,
        CUT_LAYER,
        THROTTLED_ONCE,
        THROTTLED_FOREVER,
        /** A bearer challenge whose realm is no URL: a space in its host. */
        MALFORMED_REALM,
        /** A bearer challenge whose realm is a URL of another scheme than http(s). */
        FILE_REALM,
        /** Manifests redirect to a Location that is no URL (a space in its host). */
        MALFORMED_REDIRECT,
        /** Manifests redirect to a file: URL. */
        FILE_REDIRECT,
        /** The first manifest request is throttled with a negative Retry-After. */
        NEGATIVE_RETRY_AFTER,
        /** The tag list's next page is a Link that is no URL. */
        MALFORMED_NEXT_PAGE,
        /**
         * The tag list's second page also lists entries that are not tag names: a path, a terminal escape, an empty
         * name, a number, a leading dash and a name of 129 characters.
         */
        NOT_TAG_NAMES
    }

    private final HttpServer server;
    private final HttpServer elsewhere;
    private final Path layout;
    private final Behaviour behaviour;
    private final String repository;
    public final List<String> authorizationsSeen = new CopyOnWriteArrayList<>();
    public final List<String> authorizationsSeenElsewhere = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean throttled = new java.util.concurrent.atomic.AtomicBoolean();

    private static final Pattern DIGEST = Pattern.compile("\"digest\"\\s*:\\s*\"(sha256|sha512):([a-f0-9]+)\"");

    public FakeRegistry(Path layout, String repository, Behaviour behaviour) throws IOException {
        this.layout = layout;
        this.repository = repository;
        this.behaviour = behaviour;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.elsewhere = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        elsewhere.createContext("/", exchange -> {
            authorizationsSeenElsewhere.add(
                    String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String hex = exchange.getRequestURI()
                    .getPath()
                    .substring(exchange.getRequestURI().getPath().lastIndexOf('/') + 1);
            send(exchange, 200, Files.readAllBytes(layout.resolve("blobs/sha256/" + hex)), "application/octet-stream");
        });
        server.start();
        elsewhere.start();
    }

    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        authorizationsSeen.add(String.valueOf(auth));
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/token")) {
            send(exchange, 200, "{\"token\":\"fake-token-123\"}".getBytes(StandardCharsets.UTF_8), "application/json");
            return;
        }
        if (behaviour == Behaviour.UNAUTHORIZED_FOREVER
                || (behaviour == Behaviour.BEARER && !"Bearer fake-token-123".equals(auth))) {
            exchange.getResponseHeaders()
                    .add(
                            "WWW-Authenticate",
                            "Bearer realm=\"http://" + host() + "/token\",service=\"fake\",scope=\"repository:"
                                    + repository + ":pull\"");
            send(exchange, 401, new byte[0], "application/json");
            return;
        }
        if ((behaviour == Behaviour.MALFORMED_REDIRECT || behaviour == Behaviour.FILE_REDIRECT)
                && path.contains("/manifests/")) {
            exchange.getResponseHeaders()
                    .add(
                            "Location",
                            behaviour == Behaviour.FILE_REDIRECT ? "file:///etc/passwd" : "http://to ken/manifest");
            send(exchange, 307, new byte[0], "text/plain");
            return;
        }
        if (behaviour == Behaviour.NEGATIVE_RETRY_AFTER
                && path.contains("/manifests/")
                && throttled.compareAndSet(false, true)) {
            exchange.getResponseHeaders().add("Retry-After", "-5");
            send(exchange, 429, new byte[0], "text/plain");
            return;
        }
        if (behaviour == Behaviour.FILE_REALM) {
            exchange.getResponseHeaders()
                    .add("WWW-Authenticate", "Bearer realm=\"file:///etc/passwd\",service=\"fake\"");
            send(exchange, 401, new byte[0], "application/json");
            return;
        }
        if (behaviour == Behaviour.MALFORMED_REALM) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://to ken/x\",service=\"fake\"");
            send(exchange, 401, new byte[0], "application/json");
            return;
        }
        if (behaviour == Behaviour.THROTTLED_ONCE
                && path.contains("/manifests/")
                && throttled.compareAndSet(false, true)) {
            exchange.getResponseHeaders().add("Retry-After", "1");
            send(exchange, 429, new byte[0], "text/plain");
            return;
        }
        if (behaviour == Behaviour.THROTTLED_FOREVER && path.contains("/manifests/")) {
            exchange.getResponseHeaders().add("Retry-After", "2");
            send(exchange, 429, new byte[0], "text/plain");
            return;
        }
        if (behaviour == Behaviour.REDIRECT_LOOP) {
            exchange.getResponseHeaders().add("Location", path);
            send(exchange, 307, new byte[0], "text/plain");
            return;
        }
        String prefix = "/v2/" + repository + "/";
        if (!path.startsWith(prefix)) {
            send(exchange, 404, new byte[0], "text/plain");
            return;
        }
        String rest = path.substring(prefix.length());
        if (rest.equals("tags/list")) {
            // two pages: the second only reachable through the Link header, as the Distribution API paginates
            boolean second = exchange.getRequestURI().getQuery() != null
                    && exchange.getRequestURI().getQuery().contains("last=");
            if (!second) {
                exchange.getResponseHeaders()
                        .add(
                                "Link",
                                behaviour == Behaviour.MALFORMED_NEXT_PAGE
                                        ? "<http://to ken/tags>; rel=\"next\""
                                        : "</v2/" + repository + "/tags/list?n=2&last=1.1>; rel=\"next\"");
            }
            String tags = second ? "[\"2.0\",\"latest\"]" : "[\"1.0\",\"1.1\"]";
            if (second && behaviour == Behaviour.NOT_TAG_NAMES) {
                tags = "[\"2.0\",\"../../blobs/x\",\"\\u001b]0;owned\\u0007\",\"\",7,\"-rc\",\"" + "a".repeat(129)
                        + "\",\"latest\"]";
            }
            send(
                    exchange,
                    200,
                    ("{\"name\":\"" + repository + "\",\"tags\":" + tags + "}").getBytes(StandardCharsets.UTF_8),
                    "application/json");
            return;
        }
        if (rest.startsWith("manifests/")) {
            String reference = rest.substring("manifests/".length());
            byte[] manifest;
            if (reference.startsWith("sha256:") || reference.startsWith("sha512:")) {
                manifest = Files.readAllBytes(layout.resolve("blobs/" + reference.replace(':', '/')));
            } else {
                String index = Files.readString(layout.resolve("index.json"));
                Matcher digest = DIGEST.matcher(index);
                manifest = digest.find()
                        ? Files.readAllBytes(layout.resolve("blobs/" + digest.group(1) + "/" + digest.group(2)))
                        : new byte[0];
            }
            if (behaviour == Behaviour.HUGE_MANIFEST) {
                manifest = new byte[100 * 1024 * 1024];
            }
            send(exchange, 200, manifest, "application/vnd.oci.image.manifest.v1+json");
            return;
        }
        if (rest.startsWith("blobs/sha256:") || rest.startsWith("blobs/sha512:")) {
            String hex = rest.substring("blobs/sha256:".length());
            byte[] blob = Files.readAllBytes(
                    layout.resolve("blobs/" + rest.substring("blobs/".length()).replace(':', '/')));
            boolean isLayer = blob.length > 2 && (blob[0] & 0xff) == 0x1f && (blob[1] & 0xff) == 0x8b;
            if (behaviour == Behaviour.REDIRECT_BLOBS_ELSEWHERE) {
                exchange.getResponseHeaders()
                        .add(
                                "Location",
                                "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/storage/" + hex);
                send(exchange, 307, new byte[0], "text/plain");
                return;
            }
            if (behaviour == Behaviour.TAMPERED_BLOB && isLayer) {
                blob = blob.clone();
                blob[blob.length - 9] ^= 0x01;
            }
            if (behaviour == Behaviour.CUT_LAYER && isLayer) {
                exchange.sendResponseHeaders(200, blob.length);
                OutputStream out = exchange.getResponseBody();
                out.write(blob, 0, blob.length / 2);
                out.flush();
                exchange.getHttpContext().getServer();
                exchange.close(); // the rest never comes
                return;
            }
            send(exchange, 200, blob, "application/octet-stream");
            return;
        }
        send(exchange, 404, new byte[0], "text/plain");
    }

    private static void send(HttpExchange exchange, int status, byte[] body, @Nullable String type) throws IOException {
        if (type != null) {
            exchange.getResponseHeaders().add("Content-Type", type);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
        elsewhere.stop(0);
    }
}
