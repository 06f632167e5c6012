package dev.palisade.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.testing.LocalRegistry;
import dev.palisade.testing.Scans;
import dev.palisade.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a new user starts it, from the jar: {@code palisade server --data-dir DIR} on the
 * embedded store, the first admin token read from DIR/admin-token, a scan pushed with the CLI, an
 * advisory added to the mirror and an update that finds it without a second upload, and a server
 * killed with SIGKILL in the middle of a scan that, restarted, finishes it and stores it once.
 */
class ServerIT {
    private static final Path JAR = Path.of("target/palisade.jar").toAbsolutePath();
    private static final Path JVM_APP = Scans.shared().resolve("corpus/jvm-app.tar");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();

    @TempDir
    Path temp;

    private Path mirror;
    private Path data;
    private int port;

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void shouldKeepAPushedScanFindANewAdvisoryWithoutAReuploadAndSurviveAKillMidScan() throws Exception {
        mirror = temp.resolve("vulndata");
        dev.palisade.testing.OsvMirrors.copy(TestDatabase.mirror().getParent(), mirror);
        data = temp.resolve("data");
        port = freePort();
        Process server = startServer();
        String admin = Files.readString(data.resolve("admin-token")).strip();
        assertThat(Files.getPosixFilePermissions(data.resolve("admin-token")))
                .containsExactlyInAnyOrder(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        String scanner = api("POST", "/api/v1/tokens", admin, "{\"name\": \"ci\", \"role\": \"scanner\"}", 201)
                .path("token")
                .asText();

        // a scan pushed from the CLI, which has no database of its own
        Path sbom = temp.resolve("bom.json");
        Files.writeString(
                sbom,
                """
                {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                 "components": [
                   {"type": "library", "name": "snakeyaml", "version": "1.30", "purl": "pkg:maven/org.yaml/snakeyaml@1.30"},
                   {"type": "library", "name": "widget", "version": "1.0.0", "purl": "pkg:maven/com.example.palisade/widget@1.0.0"}
                 ]}
                """);
        // the token comes from the environment, never the command line
        ProcessBuilder push = new ProcessBuilder(
                        "java",
                        "-jar",
                        JAR.toString(),
                        "sbom",
                        sbom.toString(),
                        "--server",
                        base(),
                        "--application",
                        "shop",
                        "--model",
                        "container",
                        "--cache-dir",
                        temp.resolve("client-cache").toString(),
                        "--offline",
                        "-f",
                        "json")
                .redirectError(temp.resolve("push.err").toFile())
                .redirectOutput(temp.resolve("push.out").toFile());
        push.environment().put("PALISADE_TOKEN", scanner);
        Process pushing = push.start();
        processes.add(pushing);
        assertThat(pushing.waitFor())
                .as(Files.readString(temp.resolve("push.err")))
                .isZero();
        String pushed = Files.readString(temp.resolve("push.out"));
        assertThat(json.readTree(pushed).path("vulnerabilities").findValuesAsText("id"))
                .contains("CVE-2022-25857");
        JsonNode before = api("GET", "/api/v1/applications/shop/findings", admin, null, 200);
        assertThat(before.path("findings").findValuesAsText("id"))
                .contains("CVE-2022-25857")
                .doesNotContain("PALISADE-TEST-2026-0001");

        // a new advisory in the mirror: the update finds it in the stored inventory
        dev.palisade.testing.OsvMirrors.addAdvisory(
                mirror.resolve("osv/Maven/all.zip"),
                "PALISADE-TEST-2026-0001",
                "com.example.palisade:widget",
                "CRITICAL",
                "1.0.1");
        JsonNode update = api("POST", "/api/v1/database/update", admin, "", 200);
        assertThat(update.path("rebuilt").asBoolean()).isTrue();
        assertThat(update.path("newFindings").asInt()).isEqualTo(1);
        assertThat(api("GET", "/api/v1/applications/shop/findings", admin, null, 200)
                        .path("findings")
                        .findValuesAsText("id"))
                .contains("PALISADE-TEST-2026-0001");

        // kill -9 in the middle of a scan the server runs itself
        try (LocalRegistry registry = LocalRegistry.start(null, null)) {
            registry.push(JVM_APP, "corpus/app:1.0");
            api(
                    "POST",
                    "/api/v1/watches",
                    admin,
                    "{\"application\": \"shop\", \"reference\": \"" + registry.host() + "/corpus/app:1.0\"}",
                    201);
            awaitJob(admin, "running");
            server.destroyForcibly().waitFor();
            assertThat(api("GET", "/healthz", null, null, -1)).isNull();

            startServer();
            JsonNode done = awaitJob(admin, "done");
            assertThat(log()).contains("1 scan job(s) of a server that stopped mid-scan put back in the queue");
            assertThat(done.path("attempts").asInt()).isEqualTo(1);
            JsonNode jobs = api("GET", "/api/v1/jobs", admin, null, 200).path("jobs");
            assertThat(jobs).hasSize(1);
            JsonNode findings = api("GET", "/api/v1/applications/shop/findings", admin, null, 200);
            List<Long> scansOfTheImage = new ArrayList<>();
            findings.path("findings").forEach(f -> {
                if (f.path("target").asText().equals(registry.host() + "/corpus/app:1.0")) {
                    scansOfTheImage.add(f.path("scanId").asLong());
                }
            });
            assertThat(scansOfTheImage)
                    .isNotEmpty()
                    .containsOnly(done.path("scanId").asLong());
            assertThat(findings.path("findings").findValuesAsText("id")).contains("CVE-2021-44228");
        }
    }

    private Process startServer() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        "java",
                        "-jar",
                        JAR.toString(),
                        "server",
                        "--data-dir",
                        data.toString(),
                        "--listen",
                        "127.0.0.1:" + port,
                        "--db-mirror",
                        mirror.resolve("osv").toString(),
                        "--cache-dir",
                        temp.resolve("cache").toString(),
                        "--db-update-interval",
                        "off",
                        "--watch-poll",
                        "1s",
                        "--insecure")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        temp.resolve("server.log").toFile()));
        Process server = builder.start();
        processes.add(server);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            assertThat(server.isAlive()).as(log()).isTrue();
            JsonNode ready = api("GET", "/readyz", null, null, -1);
            if (ready != null && ready.path("status").asText().equals("ready")) {
                return server;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the server did not get ready: " + log());
    }

    private JsonNode awaitJob(String token, String state) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode job : api("GET", "/api/v1/jobs", token, null, 200).path("jobs")) {
                assertThat(job.path("state").asText()).as(job + "\n" + log()).isNotEqualTo("failed");
                if (job.path("state").asText().equals(state)) {
                    return job;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no job " + state + ": " + log());
    }

    private String log() {
        try {
            return Files.readString(temp.resolve("server.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The response's JSON, or null when the server cannot be reached (status -1: any status). */
    private JsonNode api(String method, String path, String token, String body, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (status == -1) {
                return null;
            }
            throw e;
        }
        if (status != -1) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        }
        return json.readTree(response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
