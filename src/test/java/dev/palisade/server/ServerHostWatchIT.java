package dev.palisade.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.scan.RegistryAccess;
import dev.palisade.source.image.ImageSources;
import dev.palisade.source.remote.SshSettings;
import dev.palisade.testing.LocalSshd;
import dev.palisade.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server scanning hosts by itself: Debian's sshd on a loopback port is watched over SSH with the
 * server's own key and known hosts, scanned, and scanned again once its interval has passed on the
 * server's clock; the same sshd under a name whose known key is another one is never scanned and the
 * refusal is the watch's last error. To stay quick, every top-level directory but {@code etc} is skipped.
 */
class ServerHostWatchIT {
    private static final String ADMIN = "admin-" + "a".repeat(40);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-30T06:00:00Z"));

    @TempDir
    Path temp;

    @Test
    void shouldScanAWatchedHostRescanItAfterItsIntervalAndRecordARefusedHostKey() throws Exception {
        try (LocalSshd sshd = LocalSshd.start()) {
            Path other = temp.resolve("other_host_key");
            LocalSshd.keygen(other, "ed25519", "");
            Path known = temp.resolve("known_hosts");
            // localhost is this sshd too, but the key known for it is another one
            Files.writeString(
                    known,
                    sshd.knownHostsLine() + "\n[localhost]:" + sshd.port() + " "
                            + Files.readString(temp.resolve("other_host_key.pub"))
                                    .strip() + "\n");
            SshSettings access = SshSettings.of(List.of(sshd.clientKey()), null, "none", known, false);
            try (PalisadeServer server = PalisadeServer.start(config(access))) {
                String base = "http://127.0.0.1:" + server.port();
                String address = sshd.address();
                JsonNode watch = send(
                        base,
                        "POST",
                        "/api/v1/watches",
                        hostWatch(address, "1h").toString(),
                        201);
                long id = watch.path("id").asLong();
                assertThat(watch.path("kind").asText()).isEqualTo("host");
                assertThat(watch.path("host").asText()).isEqualTo(address);
                assertThat(watch.path("model").asText()).isEqualTo("vm");
                OpenApiDocumentTest.load();
                assertThat(OpenApiDocumentTest.mismatches(schema("Watch"), watch, "watch"))
                        .isEmpty();

                List<JsonNode> scans = awaitScans(base, 1);
                JsonNode first = send(
                        base, "GET", "/api/v1/scans/" + scans.get(0).path("id").asLong(), null, 200);
                assertThat(first.path("target").asText()).isEqualTo(address);
                assertThat(first.path("model").asText()).isEqualTo("vm");
                assertThat(first.path("kind").asText()).isEqualTo("rootfs");
                assertThat(first.path("reference").asText()).isEqualTo(address);
                assertThat(first.path("submittedBy").asText()).isEqualTo("watch " + id);

                // before the interval has passed, nothing is scanned again
                Thread.sleep(1000);
                assertThat(scans(base)).hasSize(1);

                clock.set(clock.instant().plus(Duration.ofMinutes(61)));
                List<JsonNode> both = awaitScans(base, 2);
                assertThat(both).extracting(s -> s.path("target").asText()).containsOnly(address);
                JsonNode watched =
                        send(base, "GET", "/api/v1/watches", null, 200).path("watches");
                assertThat(watched).hasSize(1);
                assertThat(watched.get(0).path("lastError").isNull()).isTrue();

                String impostor = "ssh://" + System.getProperty("user.name") + "@localhost:" + sshd.port();
                long impostorId = send(
                                base,
                                "POST",
                                "/api/v1/watches",
                                hostWatch(impostor, "1h").toString(),
                                201)
                        .path("id")
                        .asLong();
                JsonNode refused = await(
                        base,
                        w -> w.path("id").asLong() == impostorId
                                && !w.path("lastError").isNull());
                assertThat(refused.path("lastError").asText())
                        .startsWith(impostor + ": ")
                        .contains("the host key has CHANGED");
                assertThat(scans(base)).hasSize(2);
                // the server never adds a key it does not know
                assertThat(Files.readString(known))
                        .doesNotContain("[localhost]:" + sshd.port() + " ssh-ed25519 "
                                + Files.readString(sshd.directory().resolve("host_ed25519.pub"))
                                        .strip()
                                        .split(" ")[1]);
            }
        }
    }

    @Test
    void shouldRefuseAHostWatchWhenTheServerHasNoKey() throws Exception {
        try (PalisadeServer server = PalisadeServer.start(config(null))) {
            String base = "http://127.0.0.1:" + server.port();
            JsonNode answer = send(
                    base,
                    "POST",
                    "/api/v1/watches",
                    hostWatch("ssh://scan@10.0.0.5", "6h").toString(),
                    400);
            assertThat(answer.path("error").asText()).contains("--ssh-key");
            assertThat(send(base, "GET", "/api/v1/watches", null, 200).path("watches"))
                    .isEmpty();
        }
    }

    private PalisadeServer.Config config(@Nullable SshSettings access) throws Exception {
        return new PalisadeServer.Config(
                "127.0.0.1",
                0,
                new Storage.Sqlite(temp.resolve("server.sqlite")),
                temp,
                Tokens.parse("lead admin " + ADMIN, "test tokens"),
                1 << 20,
                TestDatabase.databaseFile(),
                InventoryService.DatabaseUpdate::unchanged,
                null,
                clock,
                "test",
                1,
                new PalisadeServer.ImageScanning(
                        RegistryAccess.offline(), ImageSources.Platform.linux("amd64"), Duration.ofMillis(200), access),
                null,
                (level, message) -> logged.add(message));
    }

    private ObjectNode hostWatch(String address, String interval) throws Exception {
        ObjectNode body = json.createObjectNode()
                .put("application", "fleet")
                .put("host", address)
                .put("interval", interval);
        ArrayNode skips = body.putArray("skipDirs");
        try (Stream<Path> top = Files.list(Path.of("/"))) {
            top.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.equals("etc"))
                    .sorted()
                    .forEach(skips::add);
        }
        return body;
    }

    private static JsonNode schema(String name) {
        return new ObjectMapper().createObjectNode().put("$ref", "#/components/schemas/" + name);
    }

    private List<JsonNode> scans(String base) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JsonNode answer = send(base, "GET", "/api/v1/applications/fleet/scans", null, 0);
        answer.path("scans").forEach(out::add);
        return out;
    }

    private List<JsonNode> awaitScans(String base, int count) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            List<JsonNode> scans = scans(base);
            if (scans.size() >= count) {
                return scans;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("fewer than " + count + " scans stored; jobs: "
                + send(base, "GET", "/api/v1/jobs", null, 200) + "; server log: " + logged);
    }

    private JsonNode await(String base, Predicate<JsonNode> wanted) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode w : send(base, "GET", "/api/v1/watches", null, 200).path("watches")) {
                if (wanted.test(w)) {
                    return w;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no such watch; server log: " + logged);
    }

    /** Sends a request; {@code status} 0 takes any answer (a missing application is a 404). */
    private JsonNode send(String base, String method, String path, @Nullable String body, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (status != 0) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        }
        return response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
    }

    private static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
