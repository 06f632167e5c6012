package dev.palisade.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.testing.LocalPostgres;
import dev.palisade.testing.TestDatabase;
import dev.palisade.vulndb.DirectoryMirror;
import dev.palisade.vulndb.sqlite.DatabaseUpdater;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server end to end, once on the embedded SQLite store and once on a real PostgreSQL: the real
 * vulnerability database built from the pinned mirror (copied, so a test can add an advisory to it),
 * and real HTTP on a free loopback port.
 */
@ParameterizedClass(name = "on {0}")
@ValueSource(strings = {"sqlite", "postgresql"})
class PalisadeServerTest {
    @Parameter
    String storageKind;

    @RegisterExtension
    static final LocalPostgres POSTGRES = new LocalPostgres();

    private static final String ADMIN = "admin-" + "a".repeat(40);
    private static final String SCANNER = "scanner-" + "b".repeat(40);
    private static final String VIEWER = "viewer-" + "c".repeat(40);
    private static final long MAX_UPLOAD = 64 * 1024;
    private static final Instant SUBMITTED = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant UPDATED = Instant.parse("2026-03-02T10:00:00Z");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final MovableClock clock = new MovableClock(SUBMITTED);

    @TempDir
    Path temp;

    private Path mirror;
    private PalisadeServer server;
    private Storage storage;
    private InventoryService.DatabaseUpdates updates;
    private Path vulnerabilityDatabase;
    private PalisadeServer.Tls tls;
    private final List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        mirror = temp.resolve("vulndata");
        dev.palisade.testing.OsvMirrors.copy(TestDatabase.mirror().getParent(), mirror);
        Path cache = temp.resolve("cache");
        DatabaseUpdater updater = new DatabaseUpdater(cache, clock, message -> {});
        updates = () -> {
            DirectoryMirror osv = new DirectoryMirror(mirror.resolve("osv"));
            DatabaseUpdater.Result result = updater.update(
                    osv,
                    new DirectoryMirror(mirror.resolve("kev")),
                    "known_exploited_vulnerabilities.json",
                    osv.ecosystems(),
                    false);
            return new InventoryService.DatabaseUpdate(result.rebuilt(), result.changes());
        };
        vulnerabilityDatabase = updater.databaseFile();
        if (storageKind.equals("sqlite")) {
            storage = new Storage.Sqlite(temp.resolve("data").resolve("server.sqlite"));
        } else {
            LocalPostgres.Database database = POSTGRES.newDatabase();
            storage = new Storage.Postgresql(database.jdbcUrl(), database.user(), database.password());
        }
        server = start(testTokens(), temp.resolve("data"));
    }

    private PalisadeServer start(Tokens tokens, Path dataDirectory) throws IOException {
        return start(tokens, dataDirectory, "test");
    }

    private PalisadeServer start(Tokens tokens, Path dataDirectory, String version) throws IOException {
        return start(tokens, dataDirectory, version, MAX_UPLOAD);
    }

    private PalisadeServer start(Tokens tokens, Path dataDirectory, String version, long maxUpload) throws IOException {
        return PalisadeServer.start(new PalisadeServer.Config(
                "127.0.0.1",
                0,
                storage,
                dataDirectory,
                tokens,
                maxUpload,
                vulnerabilityDatabase,
                updates,
                null,
                clock,
                version,
                2,
                PalisadeServer.ImageScanning.off(),
                tls,
                (level, message) -> logged.add(message)));
    }

    @Test
    void shouldStoreAHostWatchNextToAnImageWatchAndRefuseABadOne() throws Exception {
        // no key configured: a host watch is refused, and nothing is stored
        HttpResponse<byte[]> noKey = post(
                "/api/v1/watches",
                ADMIN,
                "{\"application\": \"fleet\", \"host\": \"ssh://scan@127.0.0.1:1\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(json.readTree(noKey.body()).path("error").asText()).contains("--ssh-key", "--ssh-known-hosts");

        server.close();
        Path known = Files.writeString(temp.resolve("known_hosts"), "");
        server = PalisadeServer.start(new PalisadeServer.Config(
                "127.0.0.1",
                0,
                storage,
                temp.resolve("data"),
                Tokens.parse("lead admin " + ADMIN, "test tokens"),
                MAX_UPLOAD,
                vulnerabilityDatabase,
                updates,
                null,
                clock,
                "test",
                2,
                new PalisadeServer.ImageScanning(
                        dev.palisade.scan.RegistryAccess.offline(),
                        dev.palisade.source.image.ImageSources.Platform.linux("amd64"),
                        null,
                        dev.palisade.source.remote.SshSettings.of(
                                List.of(temp.resolve("id_ed25519")), null, "none", known, false)),
                null,
                (level, message) -> logged.add(message)));
        for (String bad : List.of(
                "{\"application\": \"fleet\", \"host\": \"ssh://scan:secret@127.0.0.1:1\"}",
                "{\"application\": \"fleet\", \"host\": \"web-1\"}",
                "{\"application\": \"fleet\", \"host\": \"ssh://scan@127.0.0.1:1\", \"reference\": \"r.example/a\"}",
                "{\"application\": \"fleet\", \"host\": \"ssh://scan@127.0.0.1:1\", \"model\": \"container\"}",
                "{\"application\": \"fleet\", \"host\": \"ssh://scan@127.0.0.1:1\", \"skipDirs\": \"/home\"}",
                "{\"application\": \"shop\", \"reference\": \"r.example/a\", \"skipDirs\": [\"/home\"]}",
                // tag patterns RE2 cannot take, or whose counted repetitions compile to a million steps
                "{\"application\": \"shop\", \"reference\": \"r.example/a\", \"tags\": \"(?=1)[0-9]+\"}",
                "{\"application\": \"shop\", \"reference\": \"r.example/a\", \"tags\": \"(a{1000}){1000}\"}")) {
            HttpResponse<byte[]> refused = post("/api/v1/watches", ADMIN, bad.getBytes(StandardCharsets.UTF_8));
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).doesNotContain("secret");
        }
        HttpResponse<byte[]> host = post(
                "/api/v1/watches",
                ADMIN,
                ("{\"application\": \"fleet\", \"host\": \"ssh://scan@127.0.0.1:1\", \"interval\": \"2h\","
                                + " \"skipDirs\": [\"/home\", \"srv/backups\"]}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(host.statusCode())
                .as(new String(host.body(), StandardCharsets.UTF_8))
                .isEqualTo(201);
        HttpResponse<byte[]> image = post(
                "/api/v1/watches",
                ADMIN,
                "{\"application\": \"shop\", \"reference\": \"r.example/a:1\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(image.statusCode()).isEqualTo(201);

        JsonNode watches = json.readTree(get("/api/v1/watches", ADMIN).body()).path("watches");
        assertThat(watches).hasSize(2);
        JsonNode hostWatch = watches.get(0);
        assertThat(hostWatch.path("kind").asText()).isEqualTo("host");
        assertThat(hostWatch.path("host").asText()).isEqualTo("ssh://scan@127.0.0.1:1");
        assertThat(hostWatch.path("model").asText()).isEqualTo("vm");
        assertThat(hostWatch.path("interval").asText()).isEqualTo("120m");
        assertThat(hostWatch.path("skipDirs")).extracting(JsonNode::asText).containsExactly("/home", "srv/backups");
        assertThat(hostWatch.has("reference")).isFalse();
        JsonNode imageWatch = watches.get(1);
        assertThat(imageWatch.path("kind").asText()).isEqualTo("image");
        assertThat(imageWatch.path("reference").asText()).isEqualTo("r.example/a:1");
        assertThat(imageWatch.has("skipDirs")).isFalse();
    }

    @Test
    void shouldMakeTheFirstAdminTokenWriteItOnlyToAFileAndLetItMakeTheOthers() throws Exception {
        server.close();
        Path data = temp.resolve("fresh-data");
        if (storage instanceof Storage.Sqlite) {
            storage = new Storage.Sqlite(data.resolve("server.sqlite"));
        } else {
            LocalPostgres.Database database = POSTGRES.newDatabase();
            storage = new Storage.Postgresql(database.jdbcUrl(), database.user(), database.password());
        }
        server = start(Tokens.none(), data);
        Path tokenFile = data.resolve("admin-token");
        assertThat(Files.getPosixFilePermissions(tokenFile))
                .containsExactlyInAnyOrder(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        String admin = Files.readString(tokenFile).strip();
        assertThat(admin).startsWith("pal_").hasSizeGreaterThan(40);
        assertThat(logged).anySatisfy(line -> assertThat(line).contains(tokenFile.toString()));
        assertThat(logged).noneSatisfy(line -> assertThat(line).contains(admin));

        HttpResponse<byte[]> made = post(
                "/api/v1/tokens", admin, "{\"name\": \"ci\", \"role\": \"scanner\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(made.statusCode())
                .as(new String(made.body(), StandardCharsets.UTF_8))
                .isEqualTo(201);
        String scanner = json.readTree(made.body()).path("token").asText();
        String viewer = json.readTree(post(
                                "/api/v1/tokens",
                                admin,
                                "{\"name\": \"auditor\", \"role\": \"viewer\"}".getBytes(StandardCharsets.UTF_8))
                        .body())
                .path("token")
                .asText();
        assertThat(scanner).startsWith("pal_").isNotEqualTo(viewer).isNotEqualTo(admin);

        assertThat(post("/api/v1/sboms?application=shop&target=web&model=container", scanner, sbom())
                        .statusCode())
                .isEqualTo(201);
        assertThat(ids(getJson("/api/v1/applications/shop/findings", viewer, 200)
                        .path("findings")))
                .contains("CVE-2022-25857");
        assertError(post("/api/v1/sboms?application=shop&target=web&model=container", viewer, sbom()), 403);
        assertError(
                post(
                        "/api/v1/tokens",
                        scanner,
                        "{\"name\": \"x\", \"role\": \"admin\"}".getBytes(StandardCharsets.UTF_8)),
                403);
        assertError(
                post(
                        "/api/v1/tokens",
                        admin,
                        "{\"name\": \"ci\", \"role\": \"viewer\"}".getBytes(StandardCharsets.UTF_8)),
                409);
        assertError(
                post("/api/v1/tokens", admin, "{\"name\": \"x\", \"role\": \"root\"}".getBytes(StandardCharsets.UTF_8)),
                400);
        assertError(
                post(
                        "/api/v1/tokens",
                        admin,
                        "{\"name\": \"../x\", \"role\": \"viewer\"}".getBytes(StandardCharsets.UTF_8)),
                400);
        assertError(post("/api/v1/tokens", admin, "not json".getBytes(StandardCharsets.UTF_8)), 400);
        HttpResponse<byte[]> deep =
                post("/api/v1/tokens", admin, ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8));
        assertError(deep, 400);
        assertThat(json.readTree(deep.body()).path("error").asText())
                .startsWith("the body is beyond the JSON parser's limits: document nesting depth (1001) exceeds the"
                        + " maximum allowed (1000)");

        JsonNode listed = getJson("/api/v1/tokens", admin, 200);
        assertThat(listed.toString())
                .doesNotContain(scanner)
                .doesNotContain(admin)
                .doesNotContain(viewer);
        assertThat(listed.path("tokens").findValuesAsText("name")).containsExactly("admin", "auditor", "ci");

        assertThat(send(request("/api/v1/tokens/auditor", admin).DELETE()).statusCode())
                .isEqualTo(204);
        assertError(get("/api/v1/applications", viewer), 401);

        JsonNode audit = getJson("/api/v1/audit", admin, 200).path("entries");
        assertThat(audit.findValuesAsText("action"))
                .containsSubsequence("token.revoke", "scan.submit", "token.create", "token.create", "token.create");
        assertThat(audit.toString()).doesNotContain(scanner).doesNotContain(admin);

        // a restart keeps the tokens, the results, and makes no second admin
        server.close();
        Files.delete(tokenFile);
        server = start(Tokens.none(), data);
        assertThat(tokenFile).doesNotExist();
        assertThat(ids(getJson("/api/v1/applications/shop/findings", scanner, 200)
                        .path("findings")))
                .contains("CVE-2022-25857");
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldMatchAnUploadedSbomStoreItAndListItsFindings() throws Exception {
        HttpResponse<byte[]> posted =
                post("/api/v1/applications/shop/inventories?model=container&target=web", SCANNER, sbom());
        assertThat(posted.statusCode()).isEqualTo(201);
        JsonNode report = json.readTree(posted.body());
        assertThat(ids(report.path("vulnerabilities"))).contains("CVE-2022-25857");
        assertThat(report.path("artifact").path("name").asText()).isEqualTo("web");
        long scanId =
                Long.parseLong(posted.headers().firstValue("X-Palisade-Scan-Id").orElseThrow());

        JsonNode findings = getJson("/api/v1/applications/shop/findings", VIEWER, 200);
        JsonNode snakeyaml = find(findings.path("findings"), "CVE-2022-25857");
        assertThat(snakeyaml.path("target").asText()).isEqualTo("web");
        assertThat(snakeyaml.path("model").asText()).isEqualTo("container");
        assertThat(snakeyaml.path("severity").asText()).isEqualTo("HIGH");
        assertThat(snakeyaml.path("status").asText()).isEqualTo("open");
        assertThat(snakeyaml.path("package").path("purl").asText()).isEqualTo("pkg:maven/org.yaml/snakeyaml@1.30");
        assertThat(Instant.parse(snakeyaml.path("firstSeen").asText())).isEqualTo(SUBMITTED);

        List<String> paged = new ArrayList<>();
        String page = "/api/v1/applications/shop/findings?limit=2";
        while (page != null) {
            JsonNode body = getJson(page, VIEWER, 200);
            assertThat(body.path("findings").size()).isLessThanOrEqualTo(2);
            paged.addAll(ids(body.path("findings")));
            page = body.path("next").isNull() ? null : body.path("next").asText();
        }
        assertThat(paged).isEqualTo(ids(findings.path("findings"))).hasSizeGreaterThan(2);
        assertThat(getJson("/api/v1/applications/shop/findings", VIEWER, 200)
                        .path("next")
                        .isNull())
                .isTrue();

        JsonNode scan = getJson("/api/v1/scans/" + scanId, VIEWER, 200);
        assertThat(scan.path("submittedBy").asText()).isEqualTo("ci");
        assertThat(scan.path("application").asText()).isEqualTo("shop");
        assertThat(scan.path("packages").asInt()).isEqualTo(2);
        assertThat(scan.path("database").path("builtAt").asText()).isNotEmpty();
        assertThat(ids(scan.path("findings"))).containsExactlyInAnyOrderElementsOf(ids(findings.path("findings")));
        assertThat(scan.path("findingCount").asInt())
                .isEqualTo(findings.path("findings").size());
        assertThat(scan.path("next").isNull()).isTrue();

        List<String> scanPaged = new ArrayList<>();
        String scanPage = "/api/v1/scans/" + scanId + "?limit=2";
        while (scanPage != null) {
            JsonNode body = getJson(scanPage, VIEWER, 200);
            assertThat(body.path("findings").size()).isLessThanOrEqualTo(2);
            assertThat(body.path("findingCount").asInt())
                    .isEqualTo(scan.path("findingCount").asInt());
            scanPaged.addAll(ids(body.path("findings")));
            scanPage = body.path("next").isNull() ? null : body.path("next").asText();
        }
        assertThat(scanPaged).isEqualTo(ids(scan.path("findings")));
        JsonNode pastTheEnd = getJson("/api/v1/scans/" + scanId + "?offset=1000", VIEWER, 200);
        assertThat(pastTheEnd.path("findings")).isEmpty();
        assertThat(pastTheEnd.path("findingCount").asInt())
                .isEqualTo(scan.path("findingCount").asInt());
        assertThat(pastTheEnd.path("next").isNull()).isTrue();
        assertError(get("/api/v1/scans/" + scanId + "?limit=10001", VIEWER), 400);

        JsonNode applications = getJson("/api/v1/applications", VIEWER, 200);
        assertThat(applications.path("applications")).hasSize(1);
        assertThat(applications.path("applications").get(0).path("name").asText())
                .isEqualTo("shop");
        assertThat(applications.path("applications").get(0).path("openFindings").asInt())
                .isEqualTo(findings.path("findings").size());
    }

    /** A webhook receiver on loopback: every delivery's body and signature header. */
    private record Received(byte[] body, String signature, String delivery) {}

    @Test
    void shouldSignAndDeliverNewResolvedAndOverdueFindingsToAWebhook() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<Received> received = new java.util.concurrent.LinkedBlockingQueue<>();
        com.sun.net.httpserver.HttpServer receiver =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(
                    body,
                    exchange.getRequestHeaders().getFirst(WebhookSigner.SIGNATURE_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookSigner.DELIVERY_HEADER)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String secret = "webhook-secret-" + "s".repeat(20);
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            assertError(
                    post(
                            "/api/v1/webhooks",
                            ADMIN,
                            ("{\"url\": \"ftp://x/\", \"secret\": \"" + secret + "\"}")
                                    .getBytes(StandardCharsets.UTF_8)),
                    400);
            assertError(
                    post(
                            "/api/v1/webhooks",
                            ADMIN,
                            ("{\"url\": \"" + url + "\", \"secret\": \"short\"}").getBytes(StandardCharsets.UTF_8)),
                    400);
            // found by a red-team pass: each of these was accepted (a secret of lone surrogates was stored as ?s)
            for (String hostile : List.of(
                    "{\"url\": \"" + url + "\", \"secret\": \"" + "\\ud800".repeat(16) + "\"}",
                    "{\"url\": \"" + url + "\", \"secret\": \"" + secret + "\\u0000\"}",
                    "{\"url\": \"" + url + "\", \"secret\": \"" + secret + "\", \"secret\": \"" + secret + "x\"}",
                    "{\"url\": \"" + url + "\", \"secret\": \"" + secret + "\"} {\"url\": \"http://elsewhere/\"}")) {
                assertError(post("/api/v1/webhooks", ADMIN, hostile.getBytes(StandardCharsets.UTF_8)), 400);
            }
            assertError(
                    post(
                            "/api/v1/webhooks",
                            SCANNER,
                            ("{\"url\": \"" + url + "\", \"secret\": \"" + secret + "\"}")
                                    .getBytes(StandardCharsets.UTF_8)),
                    403);
            HttpResponse<byte[]> registered = post(
                    "/api/v1/webhooks",
                    ADMIN,
                    ("{\"url\": \"" + url + "\", \"secret\": \"" + secret + "\"}").getBytes(StandardCharsets.UTF_8));
            assertThat(registered.statusCode()).isEqualTo(201);
            long webhookId = json.readTree(registered.body()).path("id").asLong();
            assertThat(new String(registered.body(), StandardCharsets.UTF_8)).doesNotContain(secret);

            assertThat(post("/api/v1/sboms?application=shop&target=web&model=container", SCANNER, sbom())
                            .statusCode())
                    .isEqualTo(201);
            JsonNode first = events(received.poll(30, java.util.concurrent.TimeUnit.SECONDS), secret);
            assertThat(first).allSatisfy(e -> {
                assertThat(e.path("type").asText()).isEqualTo("finding.new");
                assertThat(e.path("application").asText()).isEqualTo("shop");
                assertThat(e.path("target").asText()).isEqualTo("web");
            });
            JsonNode snakeyaml = first.findParents("vulnerabilityId").stream()
                    .filter(f -> f.path("vulnerabilityId").asText().equals("CVE-2022-25857"))
                    .findFirst()
                    .orElseThrow();
            assertThat(snakeyaml.path("severity").asText()).isEqualTo("HIGH");
            assertThat(snakeyaml.path("patchDue").asText()).isEqualTo("2026-03-31"); // high: 30 days after 03-01

            dev.palisade.testing.OsvMirrors.addAdvisory(
                    mirror.resolve("osv/Maven/all.zip"),
                    "PALISADE-TEST-2026-0001",
                    "com.example.palisade:widget",
                    "HIGH",
                    "1.0.1");
            clock.set(UPDATED);
            postJson("/api/v1/database/update", ADMIN, 200);
            JsonNode added = events(received.poll(30, java.util.concurrent.TimeUnit.SECONDS), secret);
            assertThat(added.findValuesAsText("vulnerabilityId")).containsExactly("PALISADE-TEST-2026-0001");

            // the upgraded image fixes CVE-2022-25857: resolved
            byte[] upgraded = new String(sbom(), StandardCharsets.UTF_8)
                    .replace("snakeyaml@1.30", "snakeyaml@1.33")
                    .replace("\"1.30\"", "\"1.33\"")
                    .getBytes(StandardCharsets.UTF_8);
            post("/api/v1/sboms?application=shop&target=web&model=container", SCANNER, upgraded);
            JsonNode afterUpgrade = events(received.poll(30, java.util.concurrent.TimeUnit.SECONDS), secret);
            assertThat(afterUpgrade.findParents("type")).anySatisfy(e -> {
                assertThat(e.path("type").asText()).isEqualTo("finding.resolved");
                assertThat(e.path("finding").path("vulnerabilityId").asText()).isEqualTo("CVE-2022-25857");
            });

            // 31 days on, the open high findings are overdue: announced once
            clock.set(Instant.parse("2026-04-02T00:00:00Z"));
            assertThat(server.announceOverdue()).isPositive();
            JsonNode overdue = events(received.poll(30, java.util.concurrent.TimeUnit.SECONDS), secret);
            assertThat(overdue)
                    .allSatisfy(e -> assertThat(e.path("type").asText()).isEqualTo("patch.overdue"));
            assertThat(server.announceOverdue()).isZero();

            // the receiver has the last body before the server has recorded its answer
            JsonNode deliveries = getJson("/api/v1/webhooks/" + webhookId + "/deliveries", ADMIN, 200);
            for (int i = 0; i < 100 && deliveries.path("deliveries").size() < 4; i++) {
                Thread.sleep(100);
                deliveries = getJson("/api/v1/webhooks/" + webhookId + "/deliveries", ADMIN, 200);
            }
            assertThat(deliveries.path("deliveries")).hasSize(4).allSatisfy(d -> {
                assertThat(d.path("delivered").asBoolean()).isTrue();
                assertThat(d.path("status").asInt()).isEqualTo(204);
            });
            assertThat(getJson("/api/v1/webhooks", ADMIN, 200).toString()).doesNotContain(secret);
            assertThat(getJson("/api/v1/audit", ADMIN, 200).path("entries").findValuesAsText("action"))
                    .contains("webhook.create");
            assertThat(received).isEmpty();
        } finally {
            receiver.stop(0);
        }
    }

    /** The events of one delivery, after checking its signature. */
    private JsonNode events(Received delivery, String secret) throws IOException {
        assertThat(delivery).as("a delivery within 30 s").isNotNull();
        assertThat(WebhookSigner.verify(
                        secret,
                        delivery.signature(),
                        delivery.body(),
                        clock.instant(),
                        java.time.Duration.ofMinutes(5)))
                .as(delivery.signature())
                .isTrue();
        assertThat(WebhookSigner.verify(
                        "another-secret-0123456789",
                        delivery.signature(),
                        delivery.body(),
                        clock.instant(),
                        java.time.Duration.ofMinutes(5)))
                .isFalse();
        return json.readTree(delivery.body()).path("events");
    }

    @Test
    void shouldGiveTheEvidencePackTheHistoryOfScansAndFixes() throws Exception {
        assertThat(post("/api/v1/sboms?application=shop&target=web&model=container", SCANNER, sbom())
                        .statusCode())
                .isEqualTo(201);
        clock.set(Instant.parse("2026-04-15T10:00:00Z")); // 45 days on: past the high findings' 30 days
        byte[] upgraded = new String(sbom(), StandardCharsets.UTF_8)
                .replace("snakeyaml@1.30", "snakeyaml@1.33")
                .replace("\"1.30\"", "\"1.33\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(post("/api/v1/sboms?application=shop&target=web&model=container", SCANNER, upgraded)
                        .statusCode())
                .isEqualTo(201);
        dev.palisade.evidence.History history = new dev.palisade.evidence.ServerHistory(path -> {
                    try {
                        return get(path, VIEWER).body();
                    } catch (Exception e) {
                        throw new IOException(e);
                    }
                })
                .read();
        assertThat(history.scans())
                .extracting(dev.palisade.evidence.History.Scan::at)
                .containsExactlyInAnyOrder(SUBMITTED, Instant.parse("2026-04-15T10:00:00Z"));
        dev.palisade.evidence.History.Sighting fixed = history.sightings().stream()
                .filter(s -> s.vulnerabilityId().equals("CVE-2022-25857"))
                .findFirst()
                .orElseThrow();
        assertThat(fixed.firstSeen()).isEqualTo(SUBMITTED);
        assertThat(fixed.fixedAt()).isEqualTo(Instant.parse("2026-04-15T10:00:00Z"));
        dev.palisade.evidence.EvidencePack pack = dev.palisade.evidence.EvidencePack.of(
                history,
                dev.palisade.evidence.Soc2Criteria.load(
                        dev.palisade.checks.CheckCatalog.load().all()),
                Instant.parse("2026-04-20T00:00:00Z"),
                java.time.Duration.ofDays(90),
                java.time.Duration.ofDays(60));
        assertThat(pack.sla())
                .filteredOn(e -> e.sighting().vulnerabilityId().equals("CVE-2022-25857"))
                .singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo(dev.palisade.evidence.EvidencePack.SlaStatus.MISSED));
        assertThat(pack.coverage()).singleElement().satisfies(c -> {
            assertThat(c.scans()).isEqualTo(2);
            assertThat(c.meetsCadence()).isTrue();
        });
    }

    @Test
    void shouldKeepExceptionsWithOwnerAndApproverAndListThemInTheEvidenceRegister() throws Exception {
        assertThat(post("/api/v1/sboms?application=shop&target=web&model=container", SCANNER, sbom())
                        .statusCode())
                .isEqualTo(201);
        byte[] exception = ("{\"id\": \"CVE-2022-25857\", \"package\": \"pkg:maven/org.yaml/snakeyaml\","
                        + " \"reason\": \"only trusted YAML is parsed\", \"owner\": \"team-payments\","
                        + " \"expires\": \"2026-06-30\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(post("/api/v1/applications/shop/suppressions", SCANNER, exception)
                        .statusCode())
                .isEqualTo(403);
        assertError(post("/api/v1/applications/nowhere/suppressions", ADMIN, exception), 404);
        assertError(
                post(
                        "/api/v1/applications/shop/suppressions",
                        ADMIN,
                        "{\"id\": \"CVE-1\"}".getBytes(StandardCharsets.UTF_8)),
                400);
        HttpResponse<byte[]> made = post("/api/v1/applications/shop/suppressions", ADMIN, exception);
        assertThat(made.statusCode()).isEqualTo(201);
        JsonNode suppression = json.readTree(made.body());
        assertThat(suppression.path("approvedBy").asText()).isEqualTo("lead");
        assertThat(suppression.path("owner").asText()).isEqualTo("team-payments");
        assertThat(suppression.path("kind").asText()).isEqualTo("vulnerability");
        byte[] check = ("{\"id\": \"PAL-1001\", \"path\": \"Dockerfile\", \"reason\": \"build image only\","
                        + " \"owner\": \"team-platform\"}")
                .getBytes(StandardCharsets.UTF_8);
        long checkException = json.readTree(post("/api/v1/applications/shop/suppressions", ADMIN, check)
                        .body())
                .path("id")
                .asLong();

        JsonNode findings = getJson("/api/v1/applications/shop/findings", VIEWER, 200);
        JsonNode snakeyaml = find(findings.path("findings"), "CVE-2022-25857");
        assertThat(snakeyaml.path("suppression").path("id").asLong())
                .isEqualTo(suppression.path("id").asLong());
        assertThat(findings.path("findings"))
                .filteredOn(f -> !f.path("id").asText().equals("CVE-2022-25857"))
                .allSatisfy(f -> assertThat(f.has("suppression")).isFalse());

        clock.set(Instant.parse("2026-04-15T10:00:00Z"));
        assertThat(send(request("/api/v1/applications/shop/suppressions/" + checkException, ADMIN)
                                .DELETE())
                        .statusCode())
                .isEqualTo(204);
        assertThat(send(request("/api/v1/applications/shop/suppressions/" + checkException, ADMIN)
                                .DELETE())
                        .statusCode())
                .isEqualTo(404);
        assertThat(getJson("/api/v1/applications/shop/suppressions", VIEWER, 200)
                        .path("suppressions"))
                .extracting(n -> n.path("findingId").asText())
                .containsExactly("CVE-2022-25857");
        clock.set(Instant.parse("2026-07-01T00:00:00Z")); // past its expiry: no longer in force
        assertThat(find(
                                getJson("/api/v1/applications/shop/findings", VIEWER, 200)
                                        .path("findings"),
                                "CVE-2022-25857")
                        .has("suppression"))
                .isFalse();

        dev.palisade.evidence.History history = new dev.palisade.evidence.ServerHistory(path -> {
                    try {
                        return get(path, VIEWER).body();
                    } catch (Exception e) {
                        throw new IOException(e);
                    }
                })
                .read();
        assertThat(history.problems()).isEmpty();
        assertThat(history.exceptions())
                .extracting(
                        dev.palisade.evidence.History.Exception::kind,
                        dev.palisade.evidence.History.Exception::findingId,
                        dev.palisade.evidence.History.Exception::subject,
                        dev.palisade.evidence.History.Exception::owner,
                        dev.palisade.evidence.History.Exception::approvedBy,
                        dev.palisade.evidence.History.Exception::expires)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "vulnerability",
                                "CVE-2022-25857",
                                "pkg:maven/org.yaml/snakeyaml",
                                "team-payments",
                                "lead",
                                "2026-06-30"),
                        org.assertj.core.groups.Tuple.tuple(
                                "misconfiguration", "PAL-1001", "Dockerfile", "team-platform", "lead", null));
        // a period that starts after the check exception was revoked lists only the other
        dev.palisade.evidence.EvidencePack pack = dev.palisade.evidence.EvidencePack.of(
                history,
                dev.palisade.evidence.Soc2Criteria.load(
                        dev.palisade.checks.CheckCatalog.load().all()),
                Instant.parse("2026-06-01T00:00:00Z"),
                java.time.Duration.ofDays(30),
                java.time.Duration.ofDays(60));
        assertThat(pack.exceptions())
                .extracting(dev.palisade.evidence.History.Exception::findingId)
                .containsExactly("CVE-2022-25857");
    }

    @Test
    void shouldMatchEveryStoredInventoryAgainWhenANewVersionStarts() throws Exception {
        assertThat(post("/api/v1/sboms?application=shop&target=web&model=container", SCANNER, sbom())
                        .statusCode())
                .isEqualTo(201);
        Tokens tokens = Tokens.parse("lead admin " + ADMIN, "test tokens");
        server.close();
        server = start(tokens, temp.resolve("data"), "test");
        assertThat(logged).noneSatisfy(line -> assertThat(line).contains("->"));
        server.close();
        server = start(tokens, temp.resolve("data"), "test-2");
        assertThat(logged).anySatisfy(line -> assertThat(line)
                .startsWith("Palisade test -> test-2: 1 inventories matched again"));
        assertThat(getJson("/api/v1/audit", ADMIN, 200).path("entries").findValuesAsText("detail"))
                .anySatisfy(detail -> assertThat(detail).startsWith("Palisade test -> test-2"));
    }

    @Test
    void shouldServeHttpsFromAKeyStoreAndNotPlainHttp() throws Exception {
        server.close();
        Path keyStore = temp.resolve("server.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "palisade",
                        "-keyalg",
                        "EC",
                        "-dname",
                        "CN=palisade.test",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keyStore.toString(),
                        "-storepass",
                        "store-secret")
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(output).isZero();
        tls = new PalisadeServer.Tls(keyStore, "store-secret");
        server = start(
                Tokens.parse("lead admin " + ADMIN + "\nauditor viewer " + VIEWER, "test tokens"),
                temp.resolve("data"));

        java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(keyStore)) {
            trusted.load(in, "store-secret".toCharArray());
        }
        javax.net.ssl.TrustManagerFactory trust =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(context).build();
        HttpResponse<String> health = https.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/api/v1/applications"))
                        .header("Authorization", "Bearer " + VIEWER)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json.readTree(health.body()).path("applications").isArray()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> get("/healthz", null))
                .isInstanceOf(IOException.class);
    }

    @Test
    void shouldShowPrometheusScansOpenFindingsAndRequestsByRoute() throws Exception {
        assertThat(post("/api/v1/sboms?application=shop&target=web&model=container", SCANNER, sbom())
                        .statusCode())
                .isEqualTo(201);
        post(
                "/api/v1/sboms?application=shop&target=web&model=container",
                SCANNER,
                "[]".getBytes(StandardCharsets.UTF_8));
        assertError(get("/metrics", null), 401);
        HttpResponse<byte[]> scraped = get("/metrics", VIEWER);
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        java.util.Map<String, Double> samples = new java.util.HashMap<>();
        for (String line : new String(scraped.body(), StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        assertThat(samples).containsEntry("palisade_scans_total{outcome=\"stored\",source=\"upload\"}", 1.0);
        assertThat(samples).containsEntry("palisade_scans_total{outcome=\"refused\",source=\"upload\"}", 1.0);
        int high = getJson("/api/v1/applications/shop/findings", VIEWER, 200)
                .path("findings")
                .findValuesAsText("severity")
                .stream()
                .filter("HIGH"::equals)
                .toList()
                .size();
        assertThat(high).isPositive();
        assertThat(samples).containsEntry("palisade_open_findings{severity=\"HIGH\"}", (double) high);
        assertThat(samples).containsEntry("palisade_job_queue_depth", 0.0);
        assertThat(samples.get("palisade_vulnerability_database_age_seconds")).isNotNull();
        assertThat(samples)
                .containsEntry(
                        "palisade_http_requests_seconds_count{method=\"POST\",route=\"/api/v1/sboms\",status=\"201\"}",
                        1.0);
    }

    @Test
    void shouldFilterOnlyTheReturnedReportAndKeepEveryFinding() throws Exception {
        HttpResponse<byte[]> posted = post(
                "/api/v1/applications/shop/inventories?model=container&target=web&severity=HIGH&exit-code=3",
                SCANNER,
                sbom());
        assertThat(posted.statusCode()).isEqualTo(201);
        assertThat(posted.headers().firstValue("X-Palisade-Exit-Code")).hasValue("3");
        JsonNode reported = json.readTree(posted.body()).path("vulnerabilities");
        assertThat(reported)
                .isNotEmpty()
                .allSatisfy(v -> assertThat(v.path("severity").asText()).isEqualTo("HIGH"));
        JsonNode stored =
                getJson("/api/v1/applications/shop/findings", VIEWER, 200).path("findings");
        assertThat(stored)
                .anySatisfy(f -> assertThat(f.path("severity").asText()).isNotEqualTo("HIGH"));
        assertThat(stored.size()).isGreaterThan(reported.size());
    }

    @Test
    void shouldRefuseASeverityFilterWithAnEmptyNameRatherThanReportNothing() throws Exception {
        // ",,".split(",") is empty: the filter kept no severity and the report said clean, exit code 0
        for (String severity : List.of(",,", ",", "HIGH,,CRITICAL", "HIGH,")) {
            HttpResponse<byte[]> posted = post(
                    "/api/v1/applications/shop/inventories?model=container&target=web&exit-code=3&severity=" + severity,
                    SCANNER,
                    sbom());
            assertThat(posted.statusCode()).as(severity).isEqualTo(400);
            assertThat(new String(posted.body(), StandardCharsets.UTF_8)).contains("severity: use UNKNOWN");
        }
    }

    @Test
    void shouldLetTheCommandLineSendOnlyTheInventoryAndPrintTheServersMatch() throws Exception {
        Path file = temp.resolve("bom.json");
        Files.write(file, sbom());
        Path emptyCache = Files.createDirectories(temp.resolve("no-database-here"));
        dev.palisade.testing.Cli.Result run = dev.palisade.testing.Cli.runWith(
                java.util.Map.of("PALISADE_TOKEN", SCANNER),
                "sbom",
                file.toString(),
                "--cache-dir",
                emptyCache.toString(),
                "--offline",
                "--server",
                "http://127.0.0.1:" + server.port(),
                "--application",
                "shop",
                "--target-name",
                "cli-web",
                "--model",
                "container",
                "-f",
                "json",
                "--severity",
                "HIGH",
                "--exit-code",
                "3");
        assertThat(run.exit()).as(run.err()).isEqualTo(3);
        JsonNode report = json.readTree(run.out());
        assertThat(ids(report.path("vulnerabilities"))).contains("CVE-2022-25857");
        assertThat(report.path("vulnerabilities"))
                .allSatisfy(v -> assertThat(v.path("severity").asText()).isEqualTo("HIGH"));
        assertThat(report.path("artifact").path("deploymentModel").asText()).isEqualTo("container");
        assertThat(emptyCache).isEmptyDirectory();
        JsonNode stored =
                getJson("/api/v1/applications/shop/findings", VIEWER, 200).path("findings");
        assertThat(find(stored, "CVE-2022-25857").path("target").asText()).isEqualTo("cli-web");

        dev.palisade.testing.Cli.Result refused = dev.palisade.testing.Cli.runWith(
                java.util.Map.of("PALISADE_TOKEN", VIEWER),
                "sbom",
                file.toString(),
                "--server",
                "http://127.0.0.1:" + server.port(),
                "--model",
                "container");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("403").contains("viewer");
    }

    @Test
    void shouldAcceptAnSpdxDocumentToo() throws Exception {
        String spdx =
                """
                {"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "fn",
                 "packages": [{"SPDXID": "SPDXRef-1", "name": "snakeyaml", "versionInfo": "1.30",
                   "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                                     "referenceLocator": "pkg:maven/org.yaml/snakeyaml@1.30"}]}]}
                """;
        HttpResponse<byte[]> posted = post(
                "/api/v1/applications/shop/inventories?model=function&target=fn",
                SCANNER,
                spdx.getBytes(StandardCharsets.UTF_8));
        assertThat(posted.statusCode()).isEqualTo(201);
        assertThat(ids(getJson("/api/v1/applications/shop/findings", VIEWER, 200)
                        .path("findings")))
                .contains("CVE-2022-25857");
    }

    @Test
    void shouldRefuseRequestsWithoutATokenOrWithTooWeakARole() throws Exception {
        assertError(post("/api/v1/applications/shop/inventories?model=container&target=web", null, sbom()), 401);
        assertError(get("/api/v1/applications", null), 401);
        assertError(get("/api/v1/applications", "not-a-known-token-" + "x".repeat(30)), 401);
        assertError(post("/api/v1/applications/shop/inventories?model=container&target=web", VIEWER, sbom()), 403);
        assertError(post("/api/v1/admin/rematch", SCANNER, new byte[0]), 403);
        assertThat(getJson("/api/v1/applications", VIEWER, 200).path("applications"))
                .isEmpty();
        assertThat(getJson("/healthz", null, 200).path("status").asText()).isEqualTo("ok");
        assertThat(getJson("/readyz", null, 200).path("databaseBuiltAt").asText())
                .isNotEmpty();
    }

    @Test
    void shouldRecordAFindingANewAdvisoryBringsAsNewWithoutASecondUpload() throws Exception {
        assertThat(post("/api/v1/applications/shop/inventories?model=container&target=web", SCANNER, sbom())
                        .statusCode())
                .isEqualTo(201);
        byte[] withoutWidget =
                """
                {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                 "components": [{"type": "library", "name": "snakeyaml", "version": "1.30",
                                 "purl": "pkg:maven/org.yaml/snakeyaml@1.30"}]}
                """
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(post("/api/v1/sboms?application=shop&target=api&model=function", SCANNER, withoutWidget)
                        .statusCode())
                .isEqualTo(201);
        JsonNode before =
                getJson("/api/v1/applications/shop/findings", VIEWER, 200).path("findings");
        assertThat(ids(before)).doesNotContain("PALISADE-TEST-2026-0001");

        JsonNode unchanged = postJson("/api/v1/admin/rematch", ADMIN, 200);
        assertThat(unchanged.path("inventories").asInt()).isEqualTo(2);
        assertThat(unchanged.path("newFindings").asInt()).isZero();

        JsonNode nothingNew = postJson("/api/v1/database/update", ADMIN, 200);
        assertThat(nothingNew.path("changedPackages").asInt()).isZero();
        assertThat(nothingNew.path("inventories").asInt()).isZero();

        dev.palisade.testing.OsvMirrors.addAdvisory(
                mirror.resolve("osv/Maven/all.zip"),
                "PALISADE-TEST-2026-0001",
                "com.example.palisade:widget",
                "HIGH",
                "1.0.1");
        clock.set(UPDATED);
        JsonNode update = postJson("/api/v1/database/update", ADMIN, 200);
        assertThat(update.path("rebuilt").asBoolean()).isTrue();
        assertThat(update.path("changedPackages").asInt()).isEqualTo(1);
        // only the inventory holding the package the advisory names is matched again
        assertThat(update.path("inventories").asInt()).isEqualTo(1);
        assertThat(update.path("newFindings").asInt()).isEqualTo(1);
        assertThat(update.path("resolvedFindings").asInt()).isZero();

        JsonNode after =
                getJson("/api/v1/applications/shop/findings", VIEWER, 200).path("findings");
        assertThat(ids(after))
                .containsAll(ids(before))
                .contains("PALISADE-TEST-2026-0001")
                .hasSize(before.size() + 1);
        JsonNode added = find(after, "PALISADE-TEST-2026-0001");
        assertThat(added.path("package").path("purl").asText())
                .isEqualTo("pkg:maven/com.example.palisade/widget@1.0.0");
        assertThat(Instant.parse(added.path("firstSeen").asText())).isEqualTo(UPDATED);
        assertThat(Instant.parse(find(after, "CVE-2022-25857").path("firstSeen").asText()))
                .isEqualTo(SUBMITTED);
    }

    @Test
    void shouldListTheNewestInventoryOfATargetAndKeepWhenEachFindingWasFirstSeen() throws Exception {
        assertThat(post("/api/v1/applications/shop/inventories?model=container&target=web", SCANNER, sbom())
                        .statusCode())
                .isEqualTo(201);
        clock.set(UPDATED);
        HttpResponse<byte[]> again =
                post("/api/v1/applications/shop/inventories?model=container&target=web", SCANNER, sbom());
        JsonNode findings =
                getJson("/api/v1/applications/shop/findings", VIEWER, 200).path("findings");
        assertThat(findings).isNotEmpty().allSatisfy(f -> {
            assertThat(f.path("scanId").asText())
                    .isEqualTo(again.headers().firstValue("X-Palisade-Scan-Id").orElseThrow());
            assertThat(Instant.parse(f.path("firstSeen").asText())).isEqualTo(SUBMITTED);
        });

        Instant upgradedAt = UPDATED.plusSeconds(3600);
        clock.set(upgradedAt);
        byte[] upgraded = new String(sbom(), StandardCharsets.UTF_8)
                .replace("snakeyaml@1.30", "snakeyaml@1.33")
                .replace("\"1.30\"", "\"1.33\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(post("/api/v1/applications/shop/inventories?model=container&target=web", SCANNER, upgraded)
                        .statusCode())
                .isEqualTo(201);
        JsonNode afterUpgrade =
                getJson("/api/v1/applications/shop/findings", VIEWER, 200).path("findings");
        // 1.31 fixed CVE-2022-25857; CVE-2022-1471 stays until 2.0, in another package version: a finding of its own
        assertThat(ids(afterUpgrade)).doesNotContain("CVE-2022-25857").contains("CVE-2022-1471");
        assertThat(Instant.parse(
                        find(afterUpgrade, "CVE-2022-1471").path("firstSeen").asText()))
                .isEqualTo(upgradedAt);
    }

    @Test
    void shouldAnswerHostileRequestsWithJsonErrors() throws Exception {
        byte[] oversized = new byte[(int) MAX_UPLOAD + 1];
        java.util.Arrays.fill(oversized, (byte) ' ');
        // the declared length is refused before a byte of the body is read (a client that sends the body
        // anyway races the refusal and the closed connection, so the request is written on the socket)
        assertRawError(
                "POST /api/v1/applications/shop/inventories?model=container&target=web HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + SCANNER + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + oversized.length + "\r\nConnection: close\r\n\r\n",
                413);
        assertError(
                post(
                        "/api/v1/applications/shop/inventories?model=container&target=web",
                        SCANNER,
                        "{\"bomFormat\": \"CycloneDX\", \"components\": [".getBytes(StandardCharsets.UTF_8)),
                400);
        assertError(
                post(
                        "/api/v1/applications/shop/inventories?model=container&target=web",
                        SCANNER,
                        "[1, 2, 3]".getBytes(StandardCharsets.UTF_8)),
                400);
        assertError(
                post("/api/v1/applications/shop/inventories?model=container&target=web", SCANNER, new byte[0]), 400);
        assertError(post("/api/v1/applications/shop/inventories?model=mainframe&target=web", SCANNER, sbom()), 400);
        assertError(post("/api/v1/applications/shop/inventories?model=container", SCANNER, sbom()), 400);
        assertError(post("/api/v1/applications/..%2Fetc/inventories?model=container&target=web", SCANNER, sbom()), 400);
        assertError(get("/api/v1/no-such-thing", VIEWER), 404);
        assertRawError("GET /api/v1/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 400);
        // a method the route does not take (404 before: "no such endpoint")
        HttpResponse<byte[]> put =
                send(request("/api/v1/applications", VIEWER).PUT(HttpRequest.BodyPublishers.noBody()));
        assertError(put, 405);
        assertThat(put.headers().firstValue("Allow"))
                .hasValueSatisfying(allow -> assertThat(allow).contains("GET").doesNotContain("PUT"));
        assertError(get("/api/v1/applications/nobody/findings", VIEWER), 404);
        assertError(get("/api/v1/scans/12345", VIEWER), 404);
        assertError(get("/api/v1/scans/not-a-number", VIEWER), 400);
        assertError(get("/api/v1/applications/shop/findings?limit=0", VIEWER), 400);
        assertError(get("/api/v1/applications/shop/findings?limit=100000000000", VIEWER), 400);
        assertError(get("/api/v1/applications/shop/findings?offset=-1", VIEWER), 400);
        // nothing of the refused uploads was stored
        assertThat(getJson("/api/v1/applications", VIEWER, 200).path("applications"))
                .isEmpty();
    }

    /**
     * Found by a red-team pass: the stored form of an inventory is larger than the upload, and was read back with the
     * upload limit, so one small upload of many tiny components broke the assessment (HTTP 500) and every later
     * rematch of its target. Such an upload is refused; what is stored stays readable.
     */
    @Test
    void shouldRefuseAnInventoryTheServerCouldNotReadBack() throws Exception {
        byte[] tiny = tinyComponents(Long.MAX_VALUE, MAX_UPLOAD - 200);
        assertThat(post("/api/v1/applications/shop/inventories?model=container&target=web", SCANNER, sbom())
                        .statusCode())
                .isEqualTo(201);

        HttpResponse<byte[]> refused =
                post("/api/v1/applications/shop/inventories?model=container&target=many", SCANNER, tiny);

        assertError(refused, 413);
        assertThat(json.readTree(refused.body()).path("error").asText()).contains("submit it in parts");
        assertThat(getJson("/api/v1/assessment", VIEWER, 200).toString()).contains("shop");
    }

    /**
     * Found by a red-team pass: an upload within the size limit can list a million tiny components, and the server
     * spent gigabytes of heap reading, matching and storing them. Reading stops past the most the server takes.
     */
    @Test
    void shouldRefuseAnInventoryOfMoreComponentsThanTheServerTakesBeforeReadingIt() throws Exception {
        server.close();
        server = start(testTokens(), temp.resolve("data"), "test", 8 << 20);
        byte[] many = tinyComponents(InventoryService.MAX_PACKAGES + 1, Long.MAX_VALUE);

        HttpResponse<byte[]> refused =
                post("/api/v1/applications/shop/inventories?model=container&target=many", SCANNER, many);

        assertError(refused, 413);
        assertThat(json.readTree(refused.body()).path("error").asText())
                .isEqualTo("not stored: it lists more than 100000 packages, the most the server takes per inventory;"
                        + " submit it in parts");
        getJson("/api/v1/applications/shop/findings", VIEWER, 404);
    }

    /** A CycloneDX SBOM of {@code count} components of a purl each, or as many as fit in about {@code length}. */
    private static byte[] tinyComponents(long count, long length) {
        StringBuilder components = new StringBuilder();
        for (long i = 0; i < count && components.length() < length; i++) {
            components
                    .append(i == 0 ? "" : ",")
                    .append("{\"purl\":\"pkg:npm/a")
                    .append(i)
                    .append("@1\"}");
        }
        return ("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[" + components + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The admin, scanner and viewer tokens the tests call with. */
    private static Tokens testTokens() {
        return Tokens.parse(
                "# test tokens\nlead admin " + ADMIN + "\nci scanner " + SCANNER + "\nauditor viewer " + VIEWER + "\n",
                "test tokens");
    }

    /** An inventory: Debian packages (of the base system) and the application's jars. */
    private static byte[] inventory(List<String> debianPackages, String snakeyaml) {
        List<String> components = new ArrayList<>();
        for (String name : debianPackages) {
            components.add("{\"type\": \"library\", \"name\": \"" + name + "\", \"version\": \"1.0-1\", \"purl\":"
                    + " \"pkg:deb/debian/" + name + "@1.0-1?distro=debian-12\"}");
        }
        components.add("{\"type\": \"library\", \"name\": \"snakeyaml\", \"version\": \"" + snakeyaml
                + "\", \"purl\": \"pkg:maven/org.yaml/snakeyaml@" + snakeyaml + "\"}");
        components.add("{\"type\": \"library\", \"name\": \"widget\", \"version\": \"1.0.0\", \"purl\":"
                + " \"pkg:maven/com.example.palisade/widget@1.0.0\"}");
        return ("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"version\": 1, \"components\": ["
                        + String.join(", ", components) + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldAssessTheStoredApplicationsAcrossModelsAsPalisadeAssessDoes() throws Exception {
        // the VM: five OS packages and the jars with snakeyaml 1.30; the container model: two images with
        // three OS packages between them and snakeyaml 2.2
        assertThat(post(
                                "/api/v1/sboms?application=shop&target=shop-vm&model=vm",
                                SCANNER,
                                inventory(List.of("base-files", "bash", "libc6", "openssh-server", "systemd"), "1.30"))
                        .statusCode())
                .isEqualTo(201);
        assertThat(post(
                                "/api/v1/sboms?application=shop&target=shop-web&model=container",
                                SCANNER,
                                inventory(List.of("base-files"), "2.2"))
                        .statusCode())
                .isEqualTo(201);
        assertThat(post(
                                "/api/v1/sboms?application=shop&target=shop-worker&model=container",
                                SCANNER,
                                inventory(List.of("base-files", "libc6"), "2.2"))
                        .statusCode())
                .isEqualTo(201);
        // the stored findings, read by the findings route: what the profiles must count
        java.util.Map<String, java.util.Map<String, Integer>> stored = new java.util.TreeMap<>();
        for (JsonNode f :
                getJson("/api/v1/applications/shop/findings", VIEWER, 200).path("findings")) {
            stored.computeIfAbsent(f.path("model").asText(), k -> new java.util.TreeMap<>())
                    .merge(f.path("severity").asText().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
        }
        int vmFindings =
                stored.get("vm").values().stream().mapToInt(Integer::intValue).sum();
        int containerFindings = stored.getOrDefault("container", java.util.Map.of()).values().stream()
                .mapToInt(Integer::intValue)
                .sum();
        int vmDue = stored.get("vm").getOrDefault("high", 0) + stored.get("vm").getOrDefault("critical", 0);
        assertThat(vmFindings).isGreaterThan(containerFindings);
        assertThat(vmDue).isPositive();

        // ten days after the first sighting, nothing is overdue yet, however old the advisories
        clock.set(SUBMITTED.plus(java.time.Duration.ofDays(10)));
        JsonNode early = getJson("/api/v1/assessment", VIEWER, 200);
        assertThat(profile(early, "shop", "vm").path("overdue").asInt()).isZero();
        clock.set(SUBMITTED.plus(java.time.Duration.ofDays(40)));
        JsonNode assessment = getJson("/api/v1/assessment", VIEWER, 200);

        assertThat(assessment.path("schemaVersion").asInt()).isEqualTo(1);
        JsonNode vm = profile(assessment, "shop", "vm");
        assertThat(vm.path("artifact").asText()).isEqualTo("shop-vm");
        assertThat(vm.path("osPackages").asInt()).isEqualTo(5);
        assertThat(vm.path("applicationLibraries").asInt()).isEqualTo(2);
        assertThat(vm.path("vulnerabilities").path("total").asInt()).isEqualTo(vmFindings);
        for (var severity : stored.get("vm").entrySet()) {
            assertThat(vm.path("vulnerabilities").path(severity.getKey()).asInt())
                    .as(severity.getKey())
                    .isEqualTo(severity.getValue());
        }
        assertThat(vm.path("overdue").asInt()).isEqualTo(vmDue);
        // what an inventory cannot show is unknown, never zero
        for (String unknown : List.of(
                "networkServices",
                "daemons",
                "runsAsRoot",
                "capabilities",
                "iamWildcards",
                "hardeningFindings",
                "secrets")) {
            assertThat(vm.path(unknown).isNull()).as(unknown).isTrue();
        }
        assertThat(texts(vm.path("teamPatches")))
                .isEqualTo(dev.palisade.assess.ModelData.load()
                        .responsibility(dev.palisade.source.DeploymentModel.VM)
                        .team());
        JsonNode container = profile(assessment, "shop", "container");
        assertThat(container.path("artifact").asText()).isEqualTo("shop-web, shop-worker");
        assertThat(container.path("osPackages").asInt()).isEqualTo(3);
        assertThat(container.path("applicationLibraries").asInt()).isEqualTo(4);
        assertThat(container.path("vulnerabilities").path("total").asInt()).isEqualTo(containerFindings);

        JsonNode shop = assessment.path("applications").get(0);
        assertThat(assessment.path("applications")).hasSize(1);
        assertThat(shop.path("models").findValuesAsText("model")).containsExactly("function", "container");
        for (JsonNode check : shop.path("models")) {
            assertThat(check.path("blockers")).as(check.path("model").asText()).isEmpty();
            assertThat(check.path("examined").asBoolean()).isFalse();
        }
        assertThat(texts(shop.path("models").get(0).path("unknown")))
                .contains("listening ports: unknown (only inventories were measured, not the artifact's files)");
        assertThat(texts(shop.path("models").get(1).path("unknown")))
                .contains("kernel modules: unknown (no VM root file system read to show /etc/modules)");
        // no evidence of blockers is no evidence of their absence: the application stays where it is
        JsonNode recommendation = shop.path("recommendation");
        assertThat(recommendation.path("current").asText()).isEqualTo("vm");
        assertThat(recommendation.path("recommended").asText()).isEqualTo("vm");
        assertThat(recommendation.path("reduction").isNull()).isTrue();
        assertThat(recommendation.path("summary").asText())
                .isEqualTo("stay a vm: no evidence read shows a more streamlined model free of blockers"
                        + " (see what is unknown)");
        // the move to a container is measured all the same
        JsonNode move = assessment.path("ranking").get(0);
        assertThat(assessment.path("ranking")).hasSize(1);
        assertThat(move.path("to").asText()).isEqualTo("container");
        assertThat(move.path("reduction").path("osPackages").asInt()).isEqualTo(2);
        assertThat(move.path("reduction").path("vulnerabilities").asInt()).isEqualTo(vmFindings - containerFindings);
        assertThat(move.path("reduction").path("networkServices").isNull()).isTrue();
        assertThat(assessment.path("totals").path("osPackages").path("now").asInt())
                .isEqualTo(5);
        assertThat(assessment.path("totals").path("networkServices").path("now").isNull())
                .isTrue();

        HttpResponse<byte[]> html = get("/api/v1/assessment?format=html", VIEWER);
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        String page = new String(html.body(), StandardCharsets.UTF_8);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("shop-worker");
        assertThat(java.util.regex.Pattern.compile(
                                "(?i)(src|href|action|srcset|poster|data)\\s*=\\s*[\"']?\\s*(https?:)?//|url\\(\\s*[\"']?\\s*(https?:)?//|@import|<script|<link|<iframe")
                        .matcher(page)
                        .find())
                .as("an external load in the HTML assessment")
                .isFalse();
        HttpResponse<byte[]> markdown = get("/api/v1/assessment?format=markdown", VIEWER);
        assertThat(markdown.headers().firstValue("Content-Type").orElse("")).startsWith("text/markdown");
        assertThat(new String(markdown.body(), StandardCharsets.UTF_8)).startsWith("# Portfolio assessment");
        assertError(get("/api/v1/assessment?format=pdf", VIEWER), 400);
        assertError(get("/api/v1/assessment", null), 401);

        // palisade assess --server: the same assessment, the same views
        dev.palisade.testing.Cli.Result cli = dev.palisade.testing.Cli.runWith(
                java.util.Map.of("PALISADE_TOKEN", VIEWER),
                "assess",
                "--server",
                "http://127.0.0.1:" + server.port(),
                "-f",
                "json");
        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(json.readTree(cli.out())).isEqualTo(assessment);
        Path written = temp.resolve("assessment.md");
        dev.palisade.testing.Cli.Result toFile = dev.palisade.testing.Cli.run(
                "assess",
                "--server",
                "http://127.0.0.1:" + server.port(),
                "--token",
                VIEWER,
                "-f",
                "markdown",
                "-o",
                written.toString());
        assertThat(toFile.exit()).as(toFile.err()).isZero();
        assertThat(Files.readAllBytes(written)).isEqualTo(markdown.body());
        dev.palisade.testing.Cli.Result anonymous =
                dev.palisade.testing.Cli.run("assess", "--server", "http://127.0.0.1:" + server.port());
        assertThat(anonymous.exit()).isEqualTo(2);
        assertThat(anonymous.err()).contains("--server needs a token");
        dev.palisade.testing.Cli.Result neither = dev.palisade.testing.Cli.run("assess");
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err()).contains("a PORTFOLIO file or --server URL");
    }

    @Test
    void shouldComputeTheAssessmentOnceUntilATargetHasANewerScanOrAMinuteHasPassed() throws Exception {
        assertThat(post(
                                "/api/v1/sboms?application=shop&target=shop-web&model=container",
                                SCANNER,
                                inventory(List.of("base-files"), "2.2"))
                        .statusCode())
                .isEqualTo(201);
        clock.set(SUBMITTED.plusSeconds(1));
        JsonNode first = getJson("/api/v1/assessment", VIEWER, 200);
        assertThat(get("/api/v1/assessment?format=markdown", VIEWER).statusCode())
                .isEqualTo(200);
        clock.set(SUBMITTED.plusSeconds(50));
        assertThat(getJson("/api/v1/assessment", VIEWER, 200)).isEqualTo(first);
        assertThat(assessmentsComputed()).isEqualTo(1.0);

        // a newer scan of a target is answered at once
        assertThat(post(
                                "/api/v1/sboms?application=shop&target=shop-worker&model=container",
                                SCANNER,
                                inventory(List.of("base-files", "libc6"), "2.2"))
                        .statusCode())
                .isEqualTo(201);
        JsonNode withWorker = getJson("/api/v1/assessment", VIEWER, 200);
        assertThat(profile(withWorker, "shop", "container").path("artifact").asText())
                .contains("shop-worker");
        assertThat(assessmentsComputed()).isEqualTo(2.0);

        // and the same scans again once a minute has passed: overdue counts move with the clock
        clock.set(SUBMITTED.plusSeconds(50).plus(StoredPortfolio.FRESH_FOR));
        getJson("/api/v1/assessment", VIEWER, 200);
        assertThat(assessmentsComputed()).isEqualTo(3.0);
    }

    private double assessmentsComputed() throws Exception {
        String scraped = new String(get("/metrics", VIEWER).body(), StandardCharsets.UTF_8);
        return scraped.lines()
                .filter(line -> line.startsWith("palisade_assessments_computed_total "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(0);
    }

    private static JsonNode profile(JsonNode assessment, String application, String model) {
        for (JsonNode a : assessment.path("applications")) {
            if (a.path("name").asText().equals(application)) {
                for (JsonNode p : a.path("profiles")) {
                    if (p.path("model").asText().equals(model)) {
                        return p;
                    }
                }
            }
        }
        throw new AssertionError("no " + model + " profile of " + application + " in " + assessment);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** snakeyaml 1.30 (CVE-2022-25857 among others) and a package no advisory names until one is added. */
    private static byte[] sbom() {
        return """
                {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                 "components": [
                   {"type": "library", "name": "snakeyaml", "version": "1.30", "purl": "pkg:maven/org.yaml/snakeyaml@1.30"},
                   {"type": "library", "name": "widget", "version": "1.0.0", "purl": "pkg:maven/com.example.palisade/widget@1.0.0"}
                 ]}
                """
                .getBytes(StandardCharsets.UTF_8);
    }

    private void assertError(HttpResponse<byte[]> response, int status) throws IOException {
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("error").asText())
                .isNotBlank()
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    /** A request the HTTP client would refuse to send, written on the socket as it is. */
    private void assertRawError(String request, int status) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 " + status + " ");
            assertThat(response.lines()
                            .filter(l -> l.regionMatches(true, 0, "Content-Type:", 0, 13))
                            .findFirst()
                            .orElse(""))
                    .contains("application/json");
            JsonNode body = json.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
            assertThat(body.path("status").asInt()).isEqualTo(status);
        }
    }

    private JsonNode getJson(String path, String token, int status) throws Exception {
        HttpResponse<byte[]> response = get(path, token);
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(status);
        return json.readTree(response.body());
    }

    private JsonNode postJson(String path, String token, int status) throws Exception {
        HttpResponse<byte[]> response = post(path, token, new byte[0]);
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(status);
        return json.readTree(response.body());
    }

    private HttpResponse<byte[]> get(String path, String token) throws Exception {
        return send(request(path, token).GET());
    }

    private HttpResponse<byte[]> post(String path, String token, byte[] body) throws Exception {
        return send(request(path, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<String> ids(JsonNode findings) {
        List<String> ids = new ArrayList<>();
        findings.forEach(f -> ids.add(f.path("id").asText()));
        return ids;
    }

    private static JsonNode find(JsonNode findings, String id) {
        for (JsonNode f : findings) {
            if (f.path("id").asText().equals(id)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + id + " in " + findings);
    }

    /** A clock the test moves: when the upload happened, then when the database changed. */
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
