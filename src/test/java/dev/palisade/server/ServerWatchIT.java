package dev.palisade.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.registry.RegistryClient;
import dev.palisade.testing.LocalRegistry;
import dev.palisade.testing.Scans;
import dev.palisade.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server scanning images by itself: a repository in a real registry (Debian's docker-registry on
 * 127.0.0.1) is watched; each tag is scanned once, and again only when the digest behind it changes.
 */
class ServerWatchIT {
    private static final Path JVM_APP = Scans.shared().resolve("corpus/jvm-app.tar");
    private static final Path DEBIAN = Scans.shared().resolve("corpus/debian-bookworm-minbase.tar");
    private static final String ADMIN = "admin-" + "a".repeat(40);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> logged = new CopyOnWriteArrayList<>();

    @TempDir
    Path temp;

    @Test
    void shouldScanEveryTagOfAWatchedRepositoryAndRescanOnlyATagWhoseDigestChanged() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(null, null)) {
            registry.push(JVM_APP, "corpus/app:1.0");
            registry.push(DEBIAN, "corpus/app:base");
            registry.push(DEBIAN, "corpus/other:1.0");
            try (PalisadeServer server = PalisadeServer.start(new PalisadeServer.Config(
                    "127.0.0.1",
                    0,
                    new Storage.Sqlite(temp.resolve("server.sqlite")),
                    temp,
                    Tokens.parse("lead admin " + ADMIN, "test tokens"),
                    1 << 20,
                    TestDatabase.databaseFile(),
                    InventoryService.DatabaseUpdate::unchanged,
                    null,
                    Clock.systemUTC(),
                    "test",
                    2,
                    new PalisadeServer.ImageScanning(
                            reference -> new RegistryClient(reference, null, RegistryClient.Settings.defaults(true)),
                            dev.palisade.source.image.ImageSources.Platform.linux("amd64"),
                            Duration.ofMillis(200)),
                    null,
                    (level, message) -> logged.add(message)))) {
                String base = "http://127.0.0.1:" + server.port();
                JsonNode watch = send(
                        base,
                        "POST",
                        "/api/v1/watches",
                        "{\"application\": \"shop\", \"reference\": \"" + registry.host()
                                + "/corpus/app\", \"tags\": \"[0-9.]+|base\", \"interval\": \"1h\"}",
                        201);
                long id = watch.path("id").asLong();

                List<JsonNode> done = awaitDoneJobs(base, 2);
                assertThat(done)
                        .extracting(j -> j.path("target").asText())
                        .containsExactlyInAnyOrder(
                                registry.host() + "/corpus/app:1.0", registry.host() + "/corpus/app:base");
                JsonNode findings = send(base, "GET", "/api/v1/applications/shop/findings", null, 200);
                List<String> log4j = new ArrayList<>();
                findings.path("findings").forEach(f -> {
                    if (f.path("id").asText().equals("CVE-2021-44228")) {
                        log4j.add(f.path("target").asText());
                    }
                });
                assertThat(log4j)
                        .containsOnly(registry.host() + "/corpus/app:1.0")
                        .isNotEmpty();

                // nothing changed: a check queues nothing
                assertThat(send(base, "POST", "/api/v1/watches/" + id + "/check", "", 202)
                                .path("queued")
                                .asInt())
                        .isZero();

                // the tag now points at another image: only that tag is scanned again
                registry.push(DEBIAN, "corpus/app:1.0");
                assertThat(send(base, "POST", "/api/v1/watches/" + id + "/check", "", 202)
                                .path("queued")
                                .asInt())
                        .isEqualTo(1);
                awaitDoneJobs(base, 3);
                JsonNode after = send(base, "GET", "/api/v1/applications/shop/findings", null, 200);
                assertThat(after.path("findings").findValuesAsText("id")).doesNotContain("CVE-2021-44228");
                JsonNode history = send(base, "GET", "/api/v1/applications/shop/history", null, 200);
                assertThat(history.path("events")).anySatisfy(e -> {
                    assertThat(e.path("event").asText()).isEqualTo("resolved");
                    assertThat(e.path("vulnerabilityId").asText()).isEqualTo("CVE-2021-44228");
                });
                JsonNode audit = send(base, "GET", "/api/v1/audit", null, 200);
                assertThat(audit.path("entries").findValuesAsText("action")).contains("watch.create", "watch.check");
            }
        }
    }

    private List<JsonNode> awaitDoneJobs(String base, int count) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            JsonNode jobs = send(base, "GET", "/api/v1/jobs", null, 200).path("jobs");
            List<JsonNode> done = new ArrayList<>();
            for (JsonNode j : jobs) {
                assertThat(j.path("state").asText()).as(j.toString()).isNotEqualTo("failed");
                if (j.path("state").asText().equals("done")) {
                    done.add(j);
                }
            }
            if (done.size() >= count) {
                return done;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("fewer than " + count + " scan jobs done; server log: " + logged);
    }

    private JsonNode send(String base, String method, String path, String body, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + ADMIN)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json.readTree(response.body());
    }
}
