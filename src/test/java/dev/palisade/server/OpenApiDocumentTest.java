package dev.palisade.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.testing.TestDatabase;
import dev.palisade.vulndb.DirectoryMirror;
import dev.palisade.vulndb.sqlite.DatabaseUpdater;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document served at {@code GET /api/v1/openapi.json}: well formed on its own, and true to
 * what a real server answers on the routes it serves (every field it writes documented, every field the
 * document requires written, every route refusing the roles below the one documented).
 */
class OpenApiDocumentTest {
    private static final String RESOURCE = "/dev/palisade/server/openapi.json";
    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final List<String> ROLES = List.of("admin", "scanner", "viewer");
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}/]+)}");

    private static final String ADMIN = "admin-" + "a".repeat(40);
    private static final String SCANNER = "scanner-" + "b".repeat(40);
    private static final String VIEWER = "viewer-" + "c".repeat(40);
    private static final Map<String, String> TOKEN_OF_ROLE =
            Map.of("admin", ADMIN, "scanner", SCANNER, "viewer", VIEWER);
    private static final long MAX_UPLOAD = 64 * 1024;

    /** Documented routes the server may not serve yet; any other documented route must be served. */
    private static final Set<String> ANNOUNCED = Set.of(
            "GET /api/v1/openapi.json",
            "GET /metrics",
            "POST /api/v1/webhooks",
            "GET /api/v1/webhooks",
            "DELETE /api/v1/webhooks/{id}",
            "GET /api/v1/webhooks/{id}/deliveries",
            "POST /api/v1/watches",
            "GET /api/v1/watches",
            "DELETE /api/v1/watches/{id}",
            "POST /api/v1/watches/{id}/check",
            "GET /api/v1/jobs",
            "GET /api/v1/applications/{application}/history");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode document;

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE + " on the class path").isNotNull();
            document = JSON.readTree(in);
        }
    }

    @Test
    void shouldBeAnOpenApi31DocumentWithInfoPathsAndDeclaredTags() {
        assertThat(document.path("openapi").asText()).matches("3\\.1\\.\\d+");
        assertThat(document.path("info").path("title").asText()).isNotBlank();
        assertThat(document.path("info").path("version").asText()).isNotBlank();
        assertThat(document.path("paths").size()).isGreaterThan(0);
        Set<String> tags = new HashSet<>(document.path("tags").findValuesAsText("name"));
        for (Operation op : operations()) {
            assertThat(op.node().path("tags")).as(op.key()).isNotEmpty();
            op.node().path("tags").forEach(tag -> assertThat(tags).as(op.key()).contains(tag.asText()));
        }
    }

    @Test
    void shouldResolveEveryReferenceInsideTheDocument() {
        List<String> refs = new ArrayList<>();
        collectReferences(document, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).as("references point inside the document").startsWith("#/");
            assertThat(document.at(JsonPointer.compile(ref.substring(1))).isMissingNode())
                    .as("%s resolves", ref)
                    .isFalse();
        }
    }

    @Test
    void shouldGiveEveryOperationResponsesAUniqueIdItsPathParametersARoleAndSecurity() {
        Set<String> schemes = new HashSet<>();
        document.path("components").path("securitySchemes").fieldNames().forEachRemaining(schemes::add);
        assertThat(schemes).isNotEmpty();
        Set<String> ids = new HashSet<>();
        for (Operation op : operations()) {
            assertThat(op.node().path("responses").size())
                    .as(op.key() + " has responses")
                    .isGreaterThan(0);
            String id = op.node().path("operationId").asText();
            assertThat(id).as(op.key() + " operationId").isNotBlank();
            assertThat(ids.add(id)).as("operationId %s is unique", id).isTrue();
            if (op.webhook()) {
                continue;
            }
            Set<String> declared = new HashSet<>();
            for (JsonNode p : op.parameters()) {
                if (p.path("in").asText().equals("path")) {
                    assertThat(p.path("required").asBoolean())
                            .as(op.key() + " " + p)
                            .isTrue();
                    declared.add(p.path("name").asText());
                }
            }
            Set<String> templated = new HashSet<>();
            Matcher m = TEMPLATE.matcher(op.path());
            while (m.find()) {
                templated.add(m.group(1));
            }
            assertThat(declared).as(op.key() + " path parameters").isEqualTo(templated);

            JsonNode security = op.node().has("security") ? op.node().get("security") : document.path("security");
            boolean open = op.path().equals("/healthz") || op.path().equals("/readyz");
            if (open) {
                assertThat(security).as(op.key() + " needs no token").isEmpty();
                assertThat(op.node().has("x-palisade-role")).as(op.key()).isFalse();
            } else {
                assertThat(security).as(op.key() + " needs a token").isNotEmpty();
                security.forEach(requirement -> requirement.fieldNames().forEachRemaining(name -> assertThat(schemes)
                        .as(op.key())
                        .contains(name)));
                assertThat(ROLES).as(op.key() + " x-palisade-role").contains(role(op));
                assertThat(op.node().path("responses").has("401"))
                        .as(op.key() + " documents 401")
                        .isTrue();
                assertThat(op.node().path("responses").has("403"))
                        .as(op.key() + " documents 403 exactly when a weaker role exists")
                        .isEqualTo(!role(op).equals("viewer"));
            }
        }
    }

    @Test
    void shouldDescribeWhatTheRealServerAnswers() throws Exception {
        try (PalisadeServer server = start()) {
            Checker checker = new Checker(server.port());

            checker.check("GET", "/healthz", checker.get("/healthz", null));
            checker.check("GET", "/readyz", checker.get("/readyz", null));

            HttpResponse<byte[]> submitted = checker.post(
                    "/api/v1/sboms?application=shop&target=web&model=container&severity=HIGH,critical&exit-code=3",
                    SCANNER,
                    sbom());
            checker.check("POST", "/api/v1/sboms", submitted);
            String scanId = submitted.headers().firstValue("X-Palisade-Scan-Id").orElseThrow();
            checker.check(
                    "POST",
                    "/api/v1/applications/{application}/inventories",
                    checker.post(
                            "/api/v1/applications/shop/inventories?target=fn&model=Function&kind=function&format=cyclonedx",
                            SCANNER,
                            sbom()));
            checker.check(
                    "POST",
                    "/api/v1/applications/{application}/inventories",
                    checker.post(
                            "/api/v1/applications/shop/inventories?target=vm&model=vm&format=table", SCANNER, sbom()));

            checker.check(
                    "POST",
                    "/api/v1/applications/{application}/inventories",
                    checker.post(
                            "/api/v1/applications/shop/inventories?target=vm&model=vm&format=SARIF&ignore-unfixed=true",
                            SCANNER,
                            sbom()));
            byte[] upgraded = new String(sbom(), StandardCharsets.UTF_8)
                    .replace("1.30", "2.2")
                    .getBytes(StandardCharsets.UTF_8);
            checker.check(
                    "POST",
                    "/api/v1/applications/{application}/inventories",
                    checker.post(
                            "/api/v1/applications/shop/inventories?target=web&model=container", SCANNER, upgraded));
            // the upgrade resolved the first inventory's findings there
            HttpResponse<byte[]> resolved = checker.get("/api/v1/scans/" + scanId, VIEWER);
            assertThat(JSON.readTree(resolved.body()).path("findings").findValuesAsText("status"))
                    .as("resolved findings, with a resolvedAt, are checked too")
                    .contains("resolved");
            checker.check("GET", "/api/v1/scans/{id}", resolved);

            checker.check("GET", "/api/v1/applications", checker.get("/api/v1/applications", VIEWER));
            HttpResponse<byte[]> firstPage =
                    checker.get("/api/v1/applications/shop/findings?status=all&limit=1", VIEWER);
            assertThat(JSON.readTree(firstPage.body()).path("next").isTextual()).isTrue();
            checker.check("GET", "/api/v1/applications/{application}/findings", firstPage);
            checker.check(
                    "GET",
                    "/api/v1/applications/{application}/findings",
                    checker.get("/api/v1/applications/shop/findings", VIEWER));

            String suppressions = "/api/v1/applications/{application}/suppressions";
            byte[] exception = ("{\"id\": \"CVE-2022-25857\", \"package\": \"pkg:maven/org.yaml/snakeyaml\","
                            + " \"reason\": \"only trusted YAML\", \"owner\": \"team-payments\","
                            + " \"expires\": \"2099-12-31\"}")
                    .getBytes(StandardCharsets.UTF_8);
            HttpResponse<byte[]> made = checker.post("/api/v1/applications/shop/suppressions", ADMIN, exception);
            assertThat(made.statusCode()).isEqualTo(201);
            checker.check("POST", suppressions, made);
            checker.check(
                    "POST",
                    suppressions,
                    checker.post(
                            "/api/v1/applications/shop/suppressions", ADMIN, "{}".getBytes(StandardCharsets.UTF_8)));
            HttpResponse<byte[]> marked = checker.get("/api/v1/applications/shop/findings?status=all", VIEWER);
            assertThat(marked.body()).asString(StandardCharsets.UTF_8).contains("\"suppression\"");
            checker.check("GET", "/api/v1/applications/{application}/findings", marked);
            byte[] check = "{\"id\": \"PAL-1001\", \"path\": \"Dockerfile\", \"reason\": \"r\", \"owner\": \"o\"}"
                    .getBytes(StandardCharsets.UTF_8);
            long checkId = JSON.readTree(checker.post("/api/v1/applications/shop/suppressions", ADMIN, check)
                            .body())
                    .path("id")
                    .asLong();
            checker.check(
                    "DELETE",
                    suppressions + "/{id}",
                    checker.delete("/api/v1/applications/shop/suppressions/" + checkId, ADMIN));
            checker.check(
                    "DELETE",
                    suppressions + "/{id}",
                    checker.delete("/api/v1/applications/shop/suppressions/" + checkId, ADMIN)); // 404
            checker.check(
                    "GET", suppressions, checker.get("/api/v1/applications/shop/suppressions?status=all", VIEWER));
            checker.check("GET", suppressions, checker.get("/api/v1/applications/nowhere/suppressions", VIEWER));

            checker.check("POST", "/api/v1/admin/rematch", checker.post("/api/v1/admin/rematch", ADMIN, new byte[0]));
            checker.check(
                    "POST", "/api/v1/database/update", checker.post("/api/v1/database/update", ADMIN, new byte[0]));

            byte[] ci = "{\"name\": \"ci@example\", \"role\": \"scanner\"}".getBytes(StandardCharsets.UTF_8);
            checker.check("POST", "/api/v1/tokens", checker.post("/api/v1/tokens", ADMIN, ci));
            checker.check("POST", "/api/v1/tokens", checker.post("/api/v1/tokens", ADMIN, ci)); // 409
            checker.check("DELETE", "/api/v1/tokens/{name}", checker.delete("/api/v1/tokens/ci@example", ADMIN));
            checker.check("GET", "/api/v1/tokens", checker.get("/api/v1/tokens", ADMIN)); // with a revokedAt
            checker.check("GET", "/api/v1/audit", checker.get("/api/v1/audit?limit=2", ADMIN));
            checker.check("GET", "/api/v1/audit", checker.get("/api/v1/audit", ADMIN));

            checker.check("GET", "/api/v1/assessment", checker.get("/api/v1/assessment", VIEWER));
            checker.check("GET", "/api/v1/assessment", checker.get("/api/v1/assessment?format=html", VIEWER));
            checker.check("GET", "/api/v1/assessment", checker.get("/api/v1/assessment?format=markdown", VIEWER));

            // errors
            checker.check("GET", "/api/v1/assessment", checker.get("/api/v1/assessment?format=pdf", VIEWER));
            checker.check(
                    "GET",
                    "/api/v1/applications/{application}/findings",
                    checker.get("/api/v1/applications/shop/findings?limit=0", VIEWER));
            checker.check("GET", "/api/v1/scans/{id}", checker.get("/api/v1/scans/424242", VIEWER));
            byte[] oversized = new byte[(int) MAX_UPLOAD + 1];
            java.util.Arrays.fill(oversized, (byte) ' ');
            checker.check(
                    "POST",
                    "/api/v1/applications/{application}/inventories",
                    checker.post("/api/v1/applications/shop/inventories?target=web&model=vm", SCANNER, oversized));

            // every documented route: served (or announced and not yet served), refusing no token and weaker roles
            Set<String> unserved = new TreeSet<>();
            for (Operation op : operations()) {
                if (op.webhook()) {
                    continue;
                }
                String url = op.path()
                        .replace("{application}", "shop")
                        .replace("{id}", "1")
                        .replace("{name}", "nobody");
                HttpResponse<byte[]> anonymous = checker.send(op.method(), url, null);
                if (op.path().equals("/healthz") || op.path().equals("/readyz")) {
                    continue;
                }
                if (notServed(anonymous)) {
                    unserved.add(op.key());
                    continue;
                }
                checker.check(op.method(), op.path(), anonymous);
                assertThat(anonymous.statusCode())
                        .as(op.key() + " without a token")
                        .isEqualTo(401);
                int weaker = ROLES.indexOf(role(op)) + 1;
                if (weaker < ROLES.size()) {
                    HttpResponse<byte[]> refused = checker.send(op.method(), url, TOKEN_OF_ROLE.get(ROLES.get(weaker)));
                    checker.check(op.method(), op.path(), refused);
                    assertThat(refused.statusCode())
                            .as(op.key() + " with a " + ROLES.get(weaker) + " token")
                            .isEqualTo(403);
                }
                if (op.method().equals("GET")) {
                    HttpResponse<byte[]> allowed = checker.send("GET", url, TOKEN_OF_ROLE.get(role(op)));
                    checker.check("GET", op.path(), allowed);
                    assertThat(allowed.statusCode())
                            .as(op.key() + " with a " + role(op) + " token")
                            .isNotIn(401, 403);
                    if (op.path().equals("/api/v1/openapi.json") && allowed.statusCode() == 200) {
                        assertThat(JSON.readTree(allowed.body())).isEqualTo(document);
                    }
                }
            }
            assertThat(ANNOUNCED).as("only announced routes may be unserved").containsAll(unserved);
            assertThat(checker.checked)
                    .as("every route the server serves was checked with a real answer")
                    .containsAll(operations().stream()
                            .filter(op -> !op.webhook() && !unserved.contains(op.key()))
                            .map(Operation::key)
                            .toList());
        }
    }

    /** A route the server has answers 401 to a request without a token before anything else; one it has not, 404. */
    private static boolean notServed(HttpResponse<byte[]> anonymous) {
        return anonymous.statusCode() == 404;
    }

    private PalisadeServer start() throws IOException {
        DatabaseUpdater updater = new DatabaseUpdater(temp.resolve("cache"), Clock.systemUTC(), message -> {});
        InventoryService.DatabaseUpdates updates = () -> {
            DirectoryMirror osv = new DirectoryMirror(TestDatabase.mirror());
            DatabaseUpdater.Result result = updater.update(
                    osv,
                    new DirectoryMirror(TestDatabase.mirror().resolveSibling("kev")),
                    "known_exploited_vulnerabilities.json",
                    osv.ecosystems(),
                    false);
            return new InventoryService.DatabaseUpdate(result.rebuilt(), result.changes());
        };
        Tokens tokens = Tokens.parse(
                "lead admin " + ADMIN + "\nci scanner " + SCANNER + "\nauditor viewer " + VIEWER + "\n", "test tokens");
        return PalisadeServer.start(new PalisadeServer.Config(
                "127.0.0.1",
                0,
                new Storage.Sqlite(temp.resolve("data").resolve("server.sqlite")),
                temp.resolve("data"),
                tokens,
                MAX_UPLOAD,
                updater.databaseFile(),
                updates,
                null,
                Clock.systemUTC(),
                "test",
                2,
                PalisadeServer.ImageScanning.off(),
                null,
                (level, message) -> {}));
    }

    /** Sends requests and checks each answer against what the document says of its route and status. */
    private final class Checker {
        private final int port;
        final Set<String> checked = new LinkedHashSet<>();

        Checker(int port) {
            this.port = port;
        }

        HttpResponse<byte[]> get(String url, @Nullable String token) throws Exception {
            return send("GET", url, token);
        }

        HttpResponse<byte[]> delete(String url, @Nullable String token) throws Exception {
            return send("DELETE", url, token);
        }

        HttpResponse<byte[]> post(String url, @Nullable String token, byte[] body) throws Exception {
            HttpRequest.Builder request = request(url, token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        HttpResponse<byte[]> send(String method, String url, @Nullable String token) throws Exception {
            HttpRequest.Builder request = request(url, token).method(method, HttpRequest.BodyPublishers.noBody());
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        private HttpRequest.Builder request(String url, @Nullable String token) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + url));
            return token == null ? builder : builder.header("Authorization", "Bearer " + token);
        }

        void check(String method, String path, HttpResponse<byte[]> response) throws IOException {
            String key = method + " " + path;
            String what = key + " answering " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8)
                            .lines()
                            .findFirst()
                            .orElse("");
            JsonNode operation = document.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
            assertThat(operation.isObject()).as(key + " is documented").isTrue();
            JsonNode documented = operation.path("responses").path(Integer.toString(response.statusCode()));
            assertThat(documented.isObject())
                    .as(what + ": the status is documented")
                    .isTrue();
            documented = resolve(documented);
            checked.add(key);

            Iterator<Map.Entry<String, JsonNode>> headers =
                    documented.path("headers").fields();
            while (headers.hasNext()) {
                Map.Entry<String, JsonNode> header = headers.next();
                JsonNode spec = resolve(header.getValue());
                String value = response.headers().firstValue(header.getKey()).orElse(null);
                if (value == null) {
                    assertThat(spec.path("required").asBoolean())
                            .as(what + ": header " + header.getKey())
                            .isFalse();
                    continue;
                }
                JsonNode schema = spec.path("schema");
                JsonNode parsed = schema.path("type").asText().equals("integer")
                        ? JSON.getNodeFactory().numberNode(Long.parseLong(value))
                        : JSON.getNodeFactory().textNode(value);
                assertThat(mismatches(schema, parsed, header.getKey())).as(what).isEmpty();
            }

            JsonNode content = documented.path("content");
            if (content.isMissingNode() || content.isEmpty()) {
                assertThat(response.body()).as(what + ": no body").isEmpty();
                return;
            }
            String contentType =
                    mediaType(response.headers().firstValue("Content-Type").orElse(""));
            JsonNode media = null;
            for (Iterator<String> types = content.fieldNames(); types.hasNext(); ) {
                String type = types.next();
                if (mediaType(type).equals(contentType)) {
                    media = content.get(type);
                }
            }
            assertThat(media)
                    .as(what + ": the content type " + contentType + " is documented")
                    .isNotNull();
            if (contentType.equals("application/json") || contentType.endsWith("+json")) {
                JsonNode body = JSON.readTree(response.body());
                assertThat(mismatches(Objects.requireNonNull(media).path("schema"), body, "body"))
                        .as(what)
                        .isEmpty();
            }
        }
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
    }

    /**
     * Where {@code value} departs from {@code schema}: types, enums, patterns, date-times, bounds, required
     * fields, and every field the value has unless the schema lists no properties or says
     * {@code additionalProperties: true} (a document defined elsewhere: CycloneDX, SARIF).
     */
    static List<String> mismatches(JsonNode schema, JsonNode value, String where) {
        JsonNode s = resolve(schema);
        List<String> found = new ArrayList<>();
        if (s.has("oneOf")) {
            int matching = 0;
            List<String> why = new ArrayList<>();
            for (JsonNode alternative : s.get("oneOf")) {
                List<String> m = mismatches(alternative, value, where);
                if (m.isEmpty()) {
                    matching++;
                }
                why.addAll(m);
            }
            if (matching != 1) {
                found.add(where + ": matches " + matching + " of the oneOf alternatives " + why);
            }
            return found;
        }
        if (s.has("type")) {
            Set<String> types = new HashSet<>();
            if (s.get("type").isArray()) {
                s.get("type").forEach(t -> types.add(t.asText()));
            } else {
                types.add(s.get("type").asText());
            }
            if (!types.contains(jsonType(value)) && !(types.contains("number") && value.isNumber())) {
                found.add(where + ": a " + jsonType(value) + " (" + value + "), documented as " + types);
                return found;
            }
        }
        if (s.has("const") && !s.get("const").equals(value)) {
            found.add(where + ": " + value + " is not the documented " + s.get("const"));
        }
        if (s.has("enum") && !contains(s.get("enum"), value)) {
            found.add(where + ": " + value + " is not one of " + s.get("enum"));
        }
        if (value.isTextual()) {
            if (s.has("pattern")
                    && !Pattern.compile(s.get("pattern").asText())
                            .matcher(value.asText())
                            .find()) {
                found.add(where + ": '" + value.asText() + "' does not match " + s.get("pattern"));
            }
            if (s.path("format").asText().equals("date-time")) {
                try {
                    OffsetDateTime.parse(value.asText());
                } catch (DateTimeParseException e) {
                    found.add(where + ": '" + value.asText() + "' is not a date-time");
                }
            }
        }
        if (value.isNumber()) {
            if (s.has("minimum") && value.asDouble() < s.get("minimum").asDouble()) {
                found.add(where + ": " + value + " is below " + s.get("minimum"));
            }
            if (s.has("maximum") && value.asDouble() > s.get("maximum").asDouble()) {
                found.add(where + ": " + value + " is above " + s.get("maximum"));
            }
        }
        if (value.isObject()) {
            for (JsonNode required : s.path("required")) {
                if (!value.has(required.asText())) {
                    found.add(where + ": the required field '" + required.asText() + "' is missing");
                }
            }
            JsonNode properties = s.path("properties");
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (properties.has(field.getKey())) {
                    found.addAll(
                            mismatches(properties.get(field.getKey()), field.getValue(), where + "." + field.getKey()));
                } else if (properties.isObject()
                        && !s.path("additionalProperties").asBoolean(false)) {
                    found.add(where + ": the field '" + field.getKey() + "' is not documented");
                }
            }
        }
        if (value.isArray() && s.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                found.addAll(mismatches(s.get("items"), value.get(i), where + "[" + i + "]"));
            }
        }
        return found;
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode v : values) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String jsonType(JsonNode value) {
        if (value.isNull()) {
            return "null";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        return value.isArray() ? "array" : "object";
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int depth = 0; current.has("$ref"); depth++) {
            assertThat(depth).as("a $ref chain ends").isLessThan(10);
            current =
                    document.at(JsonPointer.compile(current.get("$ref").asText().substring(1)));
        }
        return current;
    }

    private static void collectReferences(JsonNode node, List<String> refs) {
        if (node.isObject() && node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectReferences(child, refs));
    }

    /** One documented operation: under {@code paths}, or a webhook the server calls. */
    private record Operation(String method, String path, JsonNode node, List<JsonNode> parameters, boolean webhook) {
        String key() {
            return method + " " + path;
        }
    }

    private static String role(Operation op) {
        return op.node().path("x-palisade-role").asText();
    }

    private static List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (String section : List.of("paths", "webhooks")) {
            for (Iterator<Map.Entry<String, JsonNode>> items =
                            document.path(section).fields();
                    items.hasNext(); ) {
                Map.Entry<String, JsonNode> item = items.next();
                for (Iterator<String> keys = item.getValue().fieldNames(); keys.hasNext(); ) {
                    String key = keys.next();
                    if (!METHODS.contains(key)) {
                        continue;
                    }
                    JsonNode op = item.getValue().get(key);
                    List<JsonNode> parameters = new ArrayList<>();
                    item.getValue().path("parameters").forEach(p -> parameters.add(resolve(p)));
                    op.path("parameters").forEach(p -> parameters.add(resolve(p)));
                    operations.add(new Operation(
                            key.toUpperCase(Locale.ROOT), item.getKey(), op, parameters, section.equals("webhooks")));
                }
            }
        }
        return operations;
    }

    /** snakeyaml 1.30: several findings, one fixed and some not. */
    private static byte[] sbom() {
        return """
                {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                 "components": [
                   {"type": "library", "name": "snakeyaml", "version": "1.30", "purl": "pkg:maven/org.yaml/snakeyaml@1.30"}
                 ]}
                """
                .getBytes(StandardCharsets.UTF_8);
    }
}
