package dev.palisade.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.assess.Assessment;
import dev.palisade.assess.render.AssessmentFormat;
import dev.palisade.match.Severity;
import dev.palisade.policy.ResultPolicy;
import dev.palisade.policy.Suppressions;
import dev.palisade.registry.TagPattern;
import dev.palisade.report.ReportFormat;
import dev.palisade.scan.ScanPipeline;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.LimitExceededException;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.StructuredText;
import dev.palisade.source.image.ImageReference;
import dev.palisade.source.remote.SshDestination;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The JSON API under {@code /api/v1}, and {@code /healthz}. Every API route names the least role it
 * needs; a request without a known token gets 401, one whose token's role is too weak 403. Errors are
 * JSON objects with a message, never a stack trace.
 */
final class Api {
    /** The server's own image scans: what is watched, and the queue of jobs. */
    record Scans(WatchStore watches, JobQueue jobs, ImageScans runner) {}

    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
    private static final Map<String, DeploymentModel> MODELS = Map.of(
            "function", DeploymentModel.FUNCTION, "container", DeploymentModel.CONTAINER, "vm", DeploymentModel.VM);
    private static final String CALLER = "palisade.caller";
    private static final String STARTED = "palisade.started";
    private static final int DEFAULT_PAGE = 1000;
    private static final int MAX_PAGE = 10_000;

    private final ObjectMapper json = new ObjectMapper();
    private final InventoryService service;
    private final ServerStore store;
    private final Tokens tokens;
    private final TokenStore tokenStore;
    private final AuditLog audit;
    private final Scans scans;
    private final WebhookStore webhooks;
    private final SuppressionStore suppressions;
    private final ServerMetrics metrics;
    private final StoredPortfolio portfolio;
    private final long maxUploadBytes;
    private final ServerLog log;

    Api(
            InventoryService service,
            ServerStore store,
            Tokens tokens,
            TokenStore tokenStore,
            AuditLog audit,
            Scans scans,
            WebhookStore webhooks,
            SuppressionStore suppressions,
            ServerMetrics metrics,
            StoredPortfolio portfolio,
            long maxUploadBytes,
            ServerLog log) {
        this.service = service;
        this.store = store;
        this.tokens = tokens;
        this.tokenStore = tokenStore;
        this.audit = audit;
        this.scans = scans;
        this.webhooks = webhooks;
        this.suppressions = suppressions;
        this.metrics = metrics;
        this.portfolio = portfolio;
        this.maxUploadBytes = maxUploadBytes;
        this.log = log;
    }

    void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.maxRequestSize = maxUploadBytes;
        config.http.prefer405over404 = true; // PUT on a GET route is 405, not "no such endpoint"
        config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        config.routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        config.routes.beforeMatched(this::authorize);
        config.routes.after(this::measure);
        config.routes.get("/metrics", this::metrics, Tokens.Role.VIEWER);
        config.routes.get("/api/v1/openapi.json", this::openApi, Tokens.Role.VIEWER);
        config.routes.get("/healthz", this::health);
        config.routes.get("/readyz", this::ready);
        config.routes.post("/api/v1/sboms", this::submitSbom, Tokens.Role.SCANNER);
        config.routes.post("/api/v1/applications/{application}/inventories", this::submit, Tokens.Role.SCANNER);
        config.routes.get("/api/v1/applications", this::applications, Tokens.Role.VIEWER);
        config.routes.get("/api/v1/applications/{application}/findings", this::findings, Tokens.Role.VIEWER);
        config.routes.get("/api/v1/scans/{id}", this::scan, Tokens.Role.VIEWER);
        config.routes.post("/api/v1/admin/rematch", this::rematch, Tokens.Role.ADMIN);
        config.routes.post("/api/v1/database/update", this::update, Tokens.Role.ADMIN);
        config.routes.post("/api/v1/tokens", this::createToken, Tokens.Role.ADMIN);
        config.routes.get("/api/v1/tokens", this::listTokens, Tokens.Role.ADMIN);
        config.routes.delete("/api/v1/tokens/{name}", this::revokeToken, Tokens.Role.ADMIN);
        config.routes.get("/api/v1/audit", this::auditLog, Tokens.Role.ADMIN);
        config.routes.post("/api/v1/watches", this::addWatch, Tokens.Role.ADMIN);
        config.routes.get("/api/v1/watches", this::listWatches, Tokens.Role.VIEWER);
        config.routes.delete("/api/v1/watches/{id}", this::deleteWatch, Tokens.Role.ADMIN);
        config.routes.post("/api/v1/watches/{id}/check", this::checkWatch, Tokens.Role.ADMIN);
        config.routes.get("/api/v1/jobs", this::listJobs, Tokens.Role.VIEWER);
        config.routes.post("/api/v1/webhooks", this::addWebhook, Tokens.Role.ADMIN);
        config.routes.get("/api/v1/webhooks", this::listWebhooks, Tokens.Role.ADMIN);
        config.routes.delete("/api/v1/webhooks/{id}", this::deleteWebhook, Tokens.Role.ADMIN);
        config.routes.get("/api/v1/webhooks/{id}/deliveries", this::webhookDeliveries, Tokens.Role.ADMIN);
        config.routes.get("/api/v1/applications/{application}/history", this::history, Tokens.Role.VIEWER);
        config.routes.get("/api/v1/applications/{application}/scans", this::scans, Tokens.Role.VIEWER);
        config.routes.get("/api/v1/assessment", this::assessment, Tokens.Role.VIEWER);
        config.routes.post("/api/v1/applications/{application}/suppressions", this::addSuppression, Tokens.Role.ADMIN);
        config.routes.get(
                "/api/v1/applications/{application}/suppressions", this::listSuppressions, Tokens.Role.VIEWER);
        config.routes.delete(
                "/api/v1/applications/{application}/suppressions/{id}", this::revokeSuppression, Tokens.Role.ADMIN);
        config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> {
            String allowed = e.getDetails().get("availableMethods");
            if (e.getStatus() == 405 && allowed != null) {
                ctx.header("Allow", allowed); // RFC 9110: a 405 names the methods the resource takes
            }
            error(ctx, e.getStatus(), e.getMessage());
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            log.error("internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
            error(ctx, 500, "internal error; the server's log says more");
        });
        config.routes.error(404, ctx -> {
            if (ctx.endpoints().matchedHttpEndpoint() == null) { // not a route's own 404 (no such application...)
                error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
        config.routes.error(405, ctx -> error(ctx, 405, ctx.method() + " is not allowed on " + ctx.path()));
    }

    private void authorize(Context ctx) {
        Tokens.Role needed = ctx.routeRoles().stream()
                .filter(Tokens.Role.class::isInstance)
                .map(Tokens.Role.class::cast)
                .findFirst()
                .orElse(null);
        if (needed == null) {
            return; // health
        }
        String authorization = ctx.header("Authorization");
        Optional<Tokens.Caller> known = tokens.authenticate(authorization);
        if (known.isEmpty()) {
            try {
                known = tokenStore.authenticate(authorization);
            } catch (SQLException e) {
                log.error("cannot check a token: the storage failed: " + e.getMessage());
                throw new ApiException(503, "the server's storage is unavailable; try again later");
            }
        }
        Tokens.Caller caller = known.orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Bearer realm=\"palisade\"");
            return new ApiException(401, "a token is required: send 'Authorization: Bearer TOKEN'");
        });
        if (!caller.role().allows(needed)) {
            throw new ApiException(
                    403,
                    "this token's role (" + caller.role().name().toLowerCase(Locale.ROOT)
                            + ") may not do this; it needs " + needed.name().toLowerCase(Locale.ROOT));
        }
        ctx.attribute(CALLER, caller);
    }

    private void measure(Context ctx) {
        Long started = ctx.attribute(STARTED);
        io.javalin.router.Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        // the route's pattern, not the path: a label per application or scan id would grow without end
        String route = endpoint == null ? "unmatched" : endpoint.path;
        metrics.request(
                ctx.method().name(),
                route,
                ctx.statusCode(),
                java.time.Duration.ofNanos(started == null ? 0 : System.nanoTime() - started));
    }

    private void openApi(Context ctx) throws IOException {
        try (InputStream in = Api.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IOException("the OpenAPI document is missing from the jar");
            }
            ctx.status(200).contentType("application/json").result(in.readAllBytes());
        }
    }

    private void metrics(Context ctx) {
        ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    private void health(Context ctx) {
        boolean up = store.healthy();
        ObjectNode body = json.createObjectNode().put("status", up ? "ok" : "storage unavailable");
        send(ctx, up ? 200 : 503, body);
    }

    /** Ready to take inventories: the storage answers and the vulnerability database can be read. */
    private void ready(Context ctx) {
        String database;
        try {
            database = service.databaseBuiltAt();
        } catch (IOException e) {
            log.warn("not ready: the vulnerability database cannot be read: " + e.getMessage());
            database = null;
        }
        boolean storage = store.healthy();
        ObjectNode body = json.createObjectNode()
                .put("status", storage && database != null ? "ready" : "not ready")
                .put("storage", storage)
                .put("databaseBuiltAt", database);
        send(ctx, storage && database != null ? 200 : 503, body);
    }

    /** {@code POST /api/v1/sboms?application=NAME&target=NAME&model=...}: an SBOM document to store and match. */
    private void submitSbom(Context ctx) throws Exception {
        submit(ctx, name(required(ctx, "application"), "application"));
    }

    /** {@code POST /api/v1/applications/NAME/inventories?target=...}: what {@code --server} sends. */
    private void submit(Context ctx) throws Exception {
        submit(ctx, name(ctx.pathParam("application"), "application"));
    }

    private void submit(Context ctx, String application) throws Exception {
        String target = label(required(ctx, "target"), "target");
        String modelText = required(ctx, "model").toLowerCase(Locale.ROOT);
        DeploymentModel model = MODELS.get(modelText);
        if (model == null) {
            throw new ApiException(
                    400, "model: unknown deployment model '" + modelText + "' (use function, container or vm)");
        }
        String reference =
                ctx.queryParam("reference") == null ? target : label(ctx.queryParam("reference"), "reference");
        ArtifactKind kind = kind(ctx.queryParam("kind"));
        ReportFormat format = format(ctx.queryParam("format"));
        ResultPolicy policy = policy(ctx);
        byte[] body = body(ctx);
        Tokens.Caller caller = caller(ctx);
        InventoryService.Submitted submitted;
        long started = System.nanoTime();
        try {
            submitted = service.submit(
                    new InventoryService.Submission(application, target, model, kind, reference, body, caller.name()));
        } catch (InventoryService.UnreadableInventoryException e) {
            metrics.scan("upload", "refused", java.time.Duration.ofNanos(System.nanoTime() - started));
            throw new ApiException(400, "the body is not a CycloneDX or SPDX JSON document: " + e.getMessage());
        } catch (InventoryService.OversizedInventoryException e) {
            metrics.scan("upload", "refused", java.time.Duration.ofNanos(System.nanoTime() - started));
            throw new ApiException(413, "not stored: " + e.getMessage() + "; submit it in parts");
        }
        metrics.scan("upload", "stored", java.time.Duration.ofNanos(System.nanoTime() - started));
        audit.add(
                caller.name(),
                "scan.submit",
                application + "/" + target,
                "scan " + submitted.scanId() + ", "
                        + submitted.result().inventory().packages().size() + " packages, "
                        + submitted.changes().added().size() + " new findings, "
                        + submitted.changes().resolved().size() + " resolved");
        ScanPipeline.Report report = service.report(submitted.result(), policy);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.writer(false).write(report.model(), out);
        ctx.status(201)
                .header("Location", "/api/v1/scans/" + submitted.scanId())
                .header("X-Palisade-Scan-Id", Long.toString(submitted.scanId()))
                .header("X-Palisade-Exit-Code", Integer.toString(report.exitCode()))
                .contentType(
                        switch (format) {
                            case TABLE, TEMPLATE -> "text/plain; charset=utf-8";
                            case HTML -> "text/html; charset=utf-8";
                            default -> "application/json";
                        })
                .result(out.toByteArray());
    }

    /** What the stored inventory was built from; an uploaded SBOM by default. */
    private static ArtifactKind kind(@Nullable String text) {
        if (text == null) {
            return ArtifactKind.SBOM;
        }
        try {
            ArtifactKind kind = ArtifactKind.valueOf(text.toUpperCase(Locale.ROOT));
            if (kind != ArtifactKind.CONFIG) {
                return kind;
            }
        } catch (IllegalArgumentException e) {
            // said below
        }
        throw new ApiException(400, "kind: use image, rootfs, directory, function or sbom");
    }

    private static ReportFormat format(@Nullable String text) {
        if (text == null) {
            return ReportFormat.JSON;
        }
        return ReportFormat.parse(text)
                .filter(f -> f != ReportFormat.TEMPLATE)
                .orElseThrow(
                        () -> new ApiException(400, "format: use table, json, cyclonedx, spdx-json, sarif or html"));
    }

    /**
     * The filters of the report returned (the stored findings are never filtered): {@code severity}
     * (comma-separated), {@code ignore-unfixed}, and {@code exit-code}, given back in {@code X-Palisade-Exit-Code}.
     */
    private static ResultPolicy policy(Context ctx) {
        Set<Severity> severities = EnumSet.allOf(Severity.class);
        String severity = ctx.queryParam("severity");
        if (severity != null) {
            severities = EnumSet.noneOf(Severity.class);
            for (String s : severity.split(",", -1)) { // an empty name is refused, not read as "no severity at all"
                try {
                    severities.add(Severity.valueOf(s.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new ApiException(400, "severity: use UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL");
                }
            }
        }
        String unfixed = ctx.queryParam("ignore-unfixed");
        if (unfixed != null && !unfixed.equals("true") && !unfixed.equals("false")) {
            throw new ApiException(400, "ignore-unfixed: true or false");
        }
        boolean ignoreUnfixed = "true".equals(unfixed);
        int exitCode = (int) number(ctx, "exit-code", 0, 255, 0);
        return new ResultPolicy(severities, ignoreUnfixed, Suppressions.none(), exitCode);
    }

    private byte[] body(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxUploadBytes) {
            refuseOversized(ctx);
            throw new ApiException(413, "the body is " + declared + " bytes; the limit is " + maxUploadBytes);
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = LimitedInputStream.readAll(in, maxUploadBytes, "the body");
        } catch (LimitExceededException e) {
            refuseOversized(ctx);
            throw new ApiException(413, String.valueOf(e.getMessage()));
        }
        if (body.length == 0) {
            throw new ApiException(400, "the body is empty: send the SBOM (CycloneDX or SPDX JSON)");
        }
        return body;
    }

    /**
     * Before refusing a body that is too large, reads and drops what the client is still sending, up to
     * twice the limit ("lingering close", as web servers do): closing on unread data resets the connection,
     * and the client, still writing, would never see the 413. A larger body gets the reset.
     */
    private void refuseOversized(Context ctx) {
        ctx.header("Connection", "close");
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            long left = 2 * maxUploadBytes;
            for (int n = in.read(buffer); n > 0 && left > 0; n = in.read(buffer)) {
                left -= n;
            }
        } catch (IOException e) {
            // the client gave up: nothing to answer
        }
    }

    private void applications(Context ctx) throws SQLException {
        ArrayNode list = json.createArrayNode();
        for (ServerStore.ApplicationSummary a : store.applications()) {
            list.addObject()
                    .put("name", a.name())
                    .put("createdAt", a.createdAt().toString())
                    .put("targets", a.targets())
                    .put("openFindings", a.openFindings());
        }
        ObjectNode body = json.createObjectNode();
        body.set("applications", list);
        send(ctx, 200, body);
    }

    /**
     * {@code GET /api/v1/assessment?format=json|html|markdown|table}: the portfolio assessment of every
     * stored application, in the views of {@code palisade assess}.
     */
    private void assessment(Context ctx) throws SQLException, IOException {
        String text = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        AssessmentFormat format;
        try {
            format = AssessmentFormat.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "format: use json, html, markdown or table");
        }
        Assessment assessment = portfolio.assess();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.write(assessment, out);
        ctx.status(200)
                .contentType(
                        switch (format) {
                            case JSON -> "application/json";
                            case HTML -> "text/html; charset=utf-8";
                            case MARKDOWN -> "text/markdown; charset=utf-8";
                            default -> "text/plain; charset=utf-8";
                        })
                .header("X-Content-Type-Options", "nosniff")
                .result(out.toByteArray());
    }

    private void findings(Context ctx) throws SQLException {
        String application = name(ctx.pathParam("application"), "application");
        String status = ctx.queryParam("status") == null ? "open" : ctx.queryParam("status");
        if (!status.equals("open") && !status.equals("all")) {
            throw new ApiException(400, "status: use open (the default) or all");
        }
        long offset = number(ctx, "offset", 0, Long.MAX_VALUE, 0);
        int limit = (int) number(ctx, "limit", 1, MAX_PAGE, DEFAULT_PAGE);
        // one more than asked tells whether there is a next page
        List<ServerStore.FindingRow> rows = store.findings(application, status.equals("all"), offset, limit + 1)
                .orElseThrow(() -> new ApiException(404, "no application named '" + application + "'"));
        ObjectNode body = json.createObjectNode().put("application", application);
        ArrayNode list = findingList(rows.subList(0, Math.min(limit, rows.size())), true);
        markSuppressed(list, rows, suppressions.active(application));
        body.set("findings", list);
        body.put(
                "next",
                rows.size() > limit
                        ? "/api/v1/applications/" + application + "/findings?status=" + status + "&offset="
                                + (offset + limit) + "&limit=" + limit
                        : null);
        send(ctx, 200, body);
    }

    private void scan(Context ctx) throws SQLException {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new ApiException(400, "a scan id is a number");
        }
        long offset = number(ctx, "offset", 0, Long.MAX_VALUE, 0);
        int limit = (int) number(ctx, "limit", 1, MAX_PAGE, DEFAULT_PAGE);
        ServerStore.ScanRecord scan =
                store.scan(id, offset, limit).orElseThrow(() -> new ApiException(404, "no scan with id " + id));
        ObjectNode body = json.createObjectNode()
                .put("id", scan.id())
                .put("application", scan.application())
                .put("target", scan.target())
                .put("model", scan.model())
                .put("kind", scan.kind())
                .put("reference", scan.reference())
                .put("packages", scan.packageCount())
                .put("submittedAt", scan.submittedAt().toString())
                .put("submittedBy", scan.submittedBy())
                .put("matchedAt", scan.matchedAt().toString());
        ObjectNode database = body.putObject("database").put("builtAt", scan.databaseBuiltAt());
        ArrayNode sources = database.putArray("sources");
        for (String source : scan.databaseSources().split("\n")) {
            if (!source.isEmpty()) {
                sources.add(source);
            }
        }
        body.put("findingCount", scan.findingCount());
        body.set("findings", findingList(scan.findings(), false));
        body.put(
                "next",
                offset + scan.findings().size() < scan.findingCount()
                        ? "/api/v1/scans/" + id + "?offset=" + (offset + limit) + "&limit=" + limit
                        : null);
        ArrayNode misconfigurations = body.putArray("misconfigurations");
        for (ServerStore.StoredMisconfiguration m : store.misconfigurations(id)) {
            misconfigurations
                    .addObject()
                    .put("id", m.checkId())
                    .put("severity", m.severity())
                    .put("title", m.title())
                    .put("path", m.path())
                    .put("line", m.line())
                    .put("message", m.message());
        }
        send(ctx, 200, body);
    }

    private void rematch(Context ctx) throws Exception {
        InventoryService.Rematch rematch = service.rematchAll();
        audit.add(caller(ctx).name(), "database.rematch", "every stored inventory", describe(rematch));
        send(ctx, 200, rematchJson(json.createObjectNode(), rematch));
    }

    private void update(Context ctx) throws Exception {
        InventoryService.Update update;
        long started = System.nanoTime();
        try {
            update = service.updateAndRematch();
            metrics.rematch(update.rematch().inventories(), java.time.Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            audit.add(caller(ctx).name(), "database.update", "vulnerability database", "failed: " + e.getMessage());
            throw new ApiException(
                    502, "the database update failed: " + e.getMessage() + "; the previous database is still used");
        }
        audit.add(caller(ctx).name(), "database.update", "vulnerability database", describe(update));
        ObjectNode body = json.createObjectNode().put("rebuilt", update.rebuilt());
        if (update.changedKeys() >= 0) {
            body.put("changedPackages", update.changedKeys());
        } else {
            body.putNull("changedPackages"); // not known: every inventory was matched again
        }
        send(ctx, 200, rematchJson(body, update.rematch()));
    }

    /** One line on an update, for the log and the audit log. */
    static String describe(InventoryService.Update update) {
        return "database " + (update.rebuilt() ? "updated" : "up to date") + ", "
                + (update.changedKeys() < 0 ? "every package" : update.changedKeys() + " packages") + " changed; "
                + describe(update.rematch());
    }

    static String describe(InventoryService.Rematch r) {
        return r.inventories() + " inventories matched again with the database built " + r.databaseBuiltAt() + ": "
                + r.added() + " new findings, " + r.resolved() + " resolved, " + r.reopened() + " reopened"
                + (r.failures().isEmpty() ? "" : ", " + r.failures().size() + " failed");
    }

    private static Tokens.Caller caller(Context ctx) {
        return Objects.requireNonNull(ctx.attribute(CALLER), "authenticated before this route");
    }

    /** {@code POST /api/v1/tokens} with {@code {"name": "...", "role": "admin|scanner|viewer"}}: the token, shown once. */
    private void createToken(Context ctx) throws Exception {
        JsonNode request = jsonBody(ctx);
        String name = tokenName(text(request, "name"));
        Tokens.Role role = Tokens.Role.parse(text(request, "role"))
                .orElseThrow(() -> new ApiException(400, "role: use admin, scanner or viewer"));
        TokenStore.IssuedToken issued;
        try {
            issued = tokenStore.create(name, role, caller(ctx).name());
        } catch (TokenStore.NameTakenException e) {
            throw new ApiException(409, String.valueOf(e.getMessage()));
        }
        audit.add(caller(ctx).name(), "token.create", name, "role " + role.spelling());
        ctx.header("Cache-Control", "no-store");
        send(
                ctx,
                201,
                json.createObjectNode()
                        .put("name", issued.name())
                        .put("role", issued.role().spelling())
                        .put("token", issued.token()));
    }

    private void listTokens(Context ctx) throws SQLException {
        ArrayNode list = json.createArrayNode();
        for (TokenStore.TokenInfo t : tokenStore.list()) {
            list.addObject()
                    .put("name", t.name())
                    .put("role", t.role().spelling())
                    .put("createdAt", t.createdAt().toString())
                    .put("createdBy", t.createdBy())
                    .put(
                            "revokedAt",
                            t.revokedAt() == null ? null : t.revokedAt().toString());
        }
        ObjectNode body = json.createObjectNode();
        body.set("tokens", list);
        send(ctx, 200, body);
    }

    private void revokeToken(Context ctx) throws SQLException {
        String name = tokenName(ctx.pathParam("name"));
        if (!tokenStore.revoke(name)) {
            throw new ApiException(404, "no valid token named '" + name + "'");
        }
        audit.add(caller(ctx).name(), "token.revoke", name, "");
        ctx.status(204);
    }

    private void auditLog(Context ctx) throws SQLException {
        long offset = number(ctx, "offset", 0, Long.MAX_VALUE, 0);
        int limit = (int) number(ctx, "limit", 1, MAX_PAGE, DEFAULT_PAGE);
        List<AuditLog.Entry> entries = audit.entries(offset, limit + 1);
        ArrayNode list = json.createArrayNode();
        for (AuditLog.Entry e : entries.subList(0, Math.min(limit, entries.size()))) {
            list.addObject()
                    .put("id", e.id())
                    .put("at", e.at().toString())
                    .put("actor", e.actor())
                    .put("action", e.action())
                    .put("subject", e.subject())
                    .put("detail", e.detail());
        }
        ObjectNode body = json.createObjectNode();
        body.set("entries", list);
        body.put(
                "next", entries.size() > limit ? "/api/v1/audit?offset=" + (offset + limit) + "&limit=" + limit : null);
        send(ctx, 200, body);
    }

    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("([0-9]{1,6})(s|m|h|d)");

    /**
     * {@code POST /api/v1/watches} with {@code {"application", "reference", "tags"?, "model"?, "interval"?}}:
     * a repository ({@code HOST/REPO}, every tag or those matching {@code tags}) or one image, scanned now
     * and again whenever a tag's digest changes, checked every {@code interval}. With
     * {@code {"application", "host": "ssh://USER@HOST[:PORT]", "skipDirs"?, "interval"?}} instead: a host,
     * scanned over SSH with the server's own key now and again every {@code interval}, stored as a vm.
     */
    private void addWatch(Context ctx) throws Exception {
        JsonNode request = jsonBody(ctx);
        String application = name(text(request, "application"), "application");
        if (request.has("host")) {
            addHostWatch(ctx, request, application);
            return;
        }
        if (request.has("skipDirs")) {
            throw new ApiException(400, "skipDirs: only with a host");
        }
        String reference = label(text(request, "reference"), "reference");
        if (ImageReference.parse(reference).isEmpty()) {
            throw new ApiException(
                    400, "reference: not an image reference (HOST/REPO, HOST/REPO:TAG or HOST/REPO@sha256:...)");
        }
        String tags = optionalText(request, "tags");
        if (tags != null) {
            if (!ImageScans.isRepository(reference)) {
                throw new ApiException(400, "tags: only with a repository reference (HOST/REPO), not one image");
            }
            if (tags.length() > 256) {
                throw new ApiException(400, "tags: at most 256 characters");
            }
            try {
                TagPattern.compile(tags);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "tags: " + e.getMessage());
            }
        }
        String modelText = optionalText(request, "model");
        String model = modelText == null ? "container" : modelText.toLowerCase(Locale.ROOT);
        if (!MODELS.containsKey(model)) {
            throw new ApiException(400, "model: use function, container or vm");
        }
        WatchStore.Watch watch = scans.watches()
                .add(
                        new WatchStore.NewWatch(
                                WatchStore.Kind.IMAGE,
                                application,
                                reference,
                                tags,
                                List.of(),
                                model,
                                interval(request)),
                        caller(ctx).name(),
                        audit);
        scans.runner().wake();
        send(ctx, 201, watchJson(json.createObjectNode(), watch));
    }

    private static final int MAX_SKIP_DIRS = 256;

    private void addHostWatch(Context ctx, JsonNode request, String application) throws Exception {
        if (request.has("reference") || request.has("tags")) {
            throw new ApiException(400, "host: a watch names a host or an image reference, not both");
        }
        if (!scans.runner().scansHosts()) {
            throw new ApiException(
                    400,
                    "host: this server has no SSH key to reach hosts with; start it with --ssh-key FILE and"
                            + " --ssh-known-hosts FILE");
        }
        SshDestination destination;
        try {
            destination = SshDestination.parse(label(text(request, "host"), "host"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "host: " + e.getMessage());
        }
        String modelText = optionalText(request, "model");
        if (modelText != null && !modelText.equalsIgnoreCase("vm")) {
            throw new ApiException(400, "model: a host is a vm");
        }
        List<String> skips = new ArrayList<>();
        JsonNode skipDirs = request.get("skipDirs");
        if (skipDirs != null && !skipDirs.isNull()) {
            if (!skipDirs.isArray() || skipDirs.size() > MAX_SKIP_DIRS) {
                throw new ApiException(400, "skipDirs: a list of at most " + MAX_SKIP_DIRS + " directories");
            }
            for (JsonNode dir : skipDirs) {
                if (!dir.isTextual()) {
                    throw new ApiException(400, "skipDirs: a list of directories (strings)");
                }
                skips.add(label(dir.asText(), "skipDirs"));
            }
        }
        WatchStore.Watch watch = scans.watches()
                .add(
                        new WatchStore.NewWatch(
                                WatchStore.Kind.HOST,
                                application,
                                destination.toString(),
                                null,
                                skips,
                                "vm",
                                interval(request)),
                        caller(ctx).name(),
                        audit);
        scans.runner().wake();
        send(ctx, 201, watchJson(json.createObjectNode(), watch));
    }

    private static java.time.Duration interval(JsonNode request) {
        String intervalText = optionalText(request, "interval");
        java.time.Duration interval = intervalText == null ? java.time.Duration.ofHours(6) : duration(intervalText);
        if (interval.compareTo(java.time.Duration.ofMinutes(1)) < 0) {
            throw new ApiException(400, "interval: at least 1m");
        }
        return interval;
    }

    private static java.time.Duration duration(String text) {
        java.util.regex.Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new ApiException(400, "interval: a number and a unit, e.g. 30m, 6h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "s":
                return java.time.Duration.ofSeconds(n);
            case "m":
                return java.time.Duration.ofMinutes(n);
            case "h":
                return java.time.Duration.ofHours(n);
            default:
                return java.time.Duration.ofDays(n);
        }
    }

    private ObjectNode watchJson(ObjectNode node, WatchStore.Watch w) {
        node.put("id", w.id()).put("kind", w.kind().column()).put("application", w.application());
        if (w.kind() == WatchStore.Kind.HOST) {
            node.put("host", w.reference());
            w.skipDirectories().forEach(node.putArray("skipDirs")::add);
        } else {
            node.put("reference", w.reference()).put("tags", w.tagPattern());
        }
        return node.put("model", w.model())
                .put("interval", w.interval().toMinutes() + "m")
                .put("createdAt", w.createdAt().toString())
                .put("createdBy", w.createdBy())
                .put(
                        "lastCheckedAt",
                        w.lastCheckedAt() == null ? null : w.lastCheckedAt().toString())
                .put("lastError", w.lastError());
    }

    private void listWatches(Context ctx) throws SQLException {
        ArrayNode list = json.createArrayNode();
        for (WatchStore.Watch w : scans.watches().list()) {
            watchJson(list.addObject(), w);
        }
        ObjectNode body = json.createObjectNode();
        body.set("watches", list);
        send(ctx, 200, body);
    }

    private long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new ApiException(400, "an id is a number");
        }
    }

    private void deleteWatch(Context ctx) throws SQLException {
        long id = id(ctx);
        WatchStore.Watch watch =
                scans.watches().find(id).orElseThrow(() -> new ApiException(404, "no watch with id " + id));
        scans.watches().delete(id);
        audit.add(caller(ctx).name(), "watch.delete", watch.reference(), "id " + id);
        ctx.status(204);
    }

    private void checkWatch(Context ctx) throws SQLException {
        long id = id(ctx);
        WatchStore.Watch watch =
                scans.watches().find(id).orElseThrow(() -> new ApiException(404, "no watch with id " + id));
        int queued = scans.runner().check(watch);
        scans.runner().wake();
        audit.add(caller(ctx).name(), "watch.check", watch.reference(), queued + " scans queued");
        WatchStore.Watch checked = scans.watches().find(id).orElse(watch);
        send(ctx, 202, json.createObjectNode().put("queued", queued).put("lastError", checked.lastError()));
    }

    private void listJobs(Context ctx) throws SQLException {
        String stateText = ctx.queryParam("state");
        JobQueue.State state = null;
        if (stateText != null) {
            try {
                state = JobQueue.State.valueOf(stateText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "state: use queued, running, done or failed");
            }
        }
        long offset = number(ctx, "offset", 0, Long.MAX_VALUE, 0);
        int limit = (int) number(ctx, "limit", 1, MAX_PAGE, DEFAULT_PAGE);
        List<JobQueue.Job> jobs = scans.jobs().list(state, offset, limit + 1);
        ArrayNode list = json.createArrayNode();
        for (JobQueue.Job j : jobs.subList(0, Math.min(limit, jobs.size()))) {
            list.addObject()
                    .put("id", j.id())
                    .put("state", j.state())
                    .put("application", j.application())
                    .put("target", j.target())
                    .put("reference", j.reference())
                    .put("attempts", j.attempts())
                    .put("createdAt", j.createdAt().toString())
                    .put(
                            "startedAt",
                            j.startedAt() == null ? null : j.startedAt().toString())
                    .put(
                            "finishedAt",
                            j.finishedAt() == null ? null : j.finishedAt().toString())
                    .put("scanId", j.scanId())
                    .put("error", j.error());
        }
        ObjectNode body = json.createObjectNode();
        body.set("jobs", list);
        body.put(
                "next",
                jobs.size() > limit
                        ? "/api/v1/jobs?" + (state == null ? "" : "state=" + state.spelling() + "&") + "offset="
                                + (offset + limit) + "&limit=" + limit
                        : null);
        send(ctx, 200, body);
    }

    private void history(Context ctx) throws SQLException {
        String application = name(ctx.pathParam("application"), "application");
        long offset = number(ctx, "offset", 0, Long.MAX_VALUE, 0);
        int limit = (int) number(ctx, "limit", 1, MAX_PAGE, DEFAULT_PAGE);
        List<ServerStore.HistoryEvent> events = store.history(application, offset, limit + 1)
                .orElseThrow(() -> new ApiException(404, "no application named '" + application + "'"));
        ArrayNode list = json.createArrayNode();
        for (ServerStore.HistoryEvent e : events.subList(0, Math.min(limit, events.size()))) {
            ObjectNode node = list.addObject()
                    .put("at", e.at().toString())
                    .put("event", e.event())
                    .put("target", e.target())
                    .put("model", e.model())
                    .put("vulnerabilityId", e.vulnerabilityId())
                    .put("severity", e.severity())
                    .put("kevDueDate", e.kevDueDate())
                    .put("databaseBuiltAt", e.databaseBuiltAt());
            node.putObject("package").put("purl", e.purl());
        }
        ObjectNode body = json.createObjectNode().put("application", application);
        body.set("events", list);
        body.put(
                "next",
                events.size() > limit
                        ? "/api/v1/applications/" + application + "/history?offset=" + (offset + limit) + "&limit="
                                + limit
                        : null);
        send(ctx, 200, body);
    }

    /**
     * {@code POST /api/v1/webhooks} with {@code {"url", "secret", "format"?, "events"?}}: every delivery is
     * signed with the secret, which is never shown again.
     */
    private void addWebhook(Context ctx) throws Exception {
        JsonNode request = jsonBody(ctx);
        String url = text(request, "url");
        String secret = text(request, "secret");
        String format = optionalText(request, "format");
        List<String> events = null;
        JsonNode eventsNode = request.get("events");
        if (eventsNode != null && !eventsNode.isNull()) {
            if (!eventsNode.isArray() || eventsNode.size() > 16) {
                throw new ApiException(400, "events: an array of event types");
            }
            events = new java.util.ArrayList<>();
            for (JsonNode e : eventsNode) {
                if (!e.isTextual()) {
                    throw new ApiException(400, "events: an array of event types");
                }
                events.add(e.asText());
            }
        }
        WebhookStore.Registered registered;
        try {
            registered = webhooks.add(url, secret, format, events, caller(ctx).name(), audit);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, String.valueOf(e.getMessage()));
        }
        send(ctx, 201, webhookJson(json.createObjectNode(), registered));
    }

    private ObjectNode webhookJson(ObjectNode node, WebhookStore.Registered r) {
        node.put("id", r.webhook().id())
                .put("url", r.webhook().displayUrl())
                .put("format", r.webhook().format().wireName());
        ArrayNode events = node.putArray("events");
        new java.util.TreeSet<>(r.webhook().events().stream()
                        .map(ServerEvent.Type::wireName)
                        .toList())
                .forEach(events::add);
        return node.put("createdAt", r.createdAt().toString()).put("createdBy", r.createdBy());
    }

    private void listWebhooks(Context ctx) throws SQLException {
        ArrayNode list = json.createArrayNode();
        for (WebhookStore.Registered r : webhooks.active()) {
            webhookJson(list.addObject(), r);
        }
        ObjectNode body = json.createObjectNode();
        body.set("webhooks", list);
        send(ctx, 200, body);
    }

    private void deleteWebhook(Context ctx) throws SQLException {
        long id = id(ctx);
        WebhookStore.Registered r =
                webhooks.find(id).orElseThrow(() -> new ApiException(404, "no webhook with id " + id));
        webhooks.delete(id);
        audit.add(caller(ctx).name(), "webhook.delete", r.webhook().displayUrl(), "id " + id);
        ctx.status(204);
    }

    private void webhookDeliveries(Context ctx) throws SQLException {
        long id = id(ctx);
        if (webhooks.find(id).isEmpty()) {
            throw new ApiException(404, "no webhook with id " + id);
        }
        long offset = number(ctx, "offset", 0, Long.MAX_VALUE, 0);
        int limit = (int) number(ctx, "limit", 1, MAX_PAGE, DEFAULT_PAGE);
        List<WebhookStore.Delivery> deliveries = webhooks.deliveries(id, offset, limit + 1);
        ArrayNode list = json.createArrayNode();
        for (WebhookStore.Delivery d : deliveries.subList(0, Math.min(limit, deliveries.size()))) {
            list.addObject()
                    .put("deliveryId", d.deliveryId())
                    .put("attempt", d.attempt())
                    .put("at", d.at().toString())
                    .put("status", d.status())
                    .put("error", d.error())
                    .put("delivered", d.delivered())
                    .put("final", d.isFinal());
        }
        ObjectNode body = json.createObjectNode();
        body.set("deliveries", list);
        body.put(
                "next",
                deliveries.size() > limit
                        ? "/api/v1/webhooks/" + id + "/deliveries?offset=" + (offset + limit) + "&limit=" + limit
                        : null);
        send(ctx, 200, body);
    }

    /** {@code GET /api/v1/applications/NAME/scans}: every stored scan, newest first (coverage and cadence). */
    private void scans(Context ctx) throws SQLException {
        String application = name(ctx.pathParam("application"), "application");
        long offset = number(ctx, "offset", 0, Long.MAX_VALUE, 0);
        int limit = (int) number(ctx, "limit", 1, MAX_PAGE, DEFAULT_PAGE);
        List<ServerStore.ScanSummary> scans = store.scans(application, offset, limit + 1)
                .orElseThrow(() -> new ApiException(404, "no application named '" + application + "'"));
        ArrayNode list = json.createArrayNode();
        for (ServerStore.ScanSummary s : scans.subList(0, Math.min(limit, scans.size()))) {
            list.addObject()
                    .put("id", s.id())
                    .put("target", s.target())
                    .put("model", s.model())
                    .put("submittedAt", s.submittedAt().toString())
                    .put("submittedBy", s.submittedBy())
                    .put("databaseBuiltAt", s.databaseBuiltAt());
        }
        ObjectNode body = json.createObjectNode().put("application", application);
        body.set("scans", list);
        body.put(
                "next",
                scans.size() > limit
                        ? "/api/v1/applications/" + application + "/scans?offset=" + (offset + limit) + "&limit="
                                + limit
                        : null);
        send(ctx, 200, body);
    }

    private static @Nullable String optionalText(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ApiException(400, field + ": a string");
        }
        return wellFormed(field, value.asText());
    }

    /**
     * {@code value}, refused when it holds a NUL or half of a surrogate pair ({@code "\ud800"} is valid JSON): stored
     * as UTF-8 such a secret became {@code ?}s, a different HMAC key than the one given, and PostgreSQL refuses a NUL.
     */
    private static String wellFormed(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean paired = Character.isHighSurrogate(c)
                    ? i + 1 < value.length() && Character.isLowSurrogate(value.charAt(++i))
                    : !Character.isLowSurrogate(c);
            if (c == 0 || !paired) {
                throw new ApiException(400, field + ": not valid text (a NUL or half of a surrogate pair)");
            }
        }
        return value;
    }

    private static final int MAX_JSON_REQUEST = 64 * 1024;

    /**
     * Requests are read strictly: a field named twice, or anything after the object, is refused rather than read
     * one way here and another way by a proxy or a client library in front of the server.
     */
    private static final com.fasterxml.jackson.databind.ObjectReader REQUESTS = new ObjectMapper()
            .reader()
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .withFeatures(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** A small JSON object (a token, a webhook): bounded, and an object. */
    private JsonNode jsonBody(Context ctx) throws IOException {
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = LimitedInputStream.readAll(in, MAX_JSON_REQUEST, "the body");
        } catch (LimitExceededException e) {
            refuseOversized(ctx);
            throw new ApiException(413, String.valueOf(e.getMessage()));
        }
        JsonNode node;
        try {
            node = REQUESTS.readTree(body);
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw new ApiException(
                    400, "the body is beyond the JSON parser's limits: " + StructuredText.limitReason(e));
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            throw new ApiException(
                    400,
                    String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")
                            ? "the body names a field twice"
                            : "the body is not JSON");
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            throw new ApiException(400, "the body is not one JSON value: there is more after it");
        } catch (IOException e) {
            throw new ApiException(400, "the body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "the body must be a JSON object");
        }
        return node;
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || !value.isTextual()) {
            throw new ApiException(400, field + ": a string is required");
        }
        return wellFormed(field, value.asText());
    }

    private static String tokenName(String value) {
        if (!value.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")) {
            throw new ApiException(
                    400, "name: 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
        return value;
    }

    private ObjectNode rematchJson(ObjectNode body, InventoryService.Rematch rematch) {
        body.put("inventories", rematch.inventories())
                .put("newFindings", rematch.added())
                .put("resolvedFindings", rematch.resolved())
                .put("reopenedFindings", rematch.reopened())
                .put("databaseBuiltAt", rematch.databaseBuiltAt());
        ArrayNode failures = body.putArray("failures");
        rematch.failures().forEach(failures::add);
        return body;
    }

    /** Adds to each listed finding the stored exception in force that covers it, if any. */
    private void markSuppressed(
            ArrayNode list, List<ServerStore.FindingRow> rows, List<SuppressionStore.Suppression> active) {
        for (int i = 0; i < list.size(); i++) {
            ServerStore.FindingRow f = rows.get(i);
            for (SuppressionStore.Suppression s : active) {
                if (s.covers(f.target(), f.vulnerabilityId(), f.packageName(), f.purl())) {
                    ((ObjectNode) list.get(i)).set("suppression", suppressionJson(json.createObjectNode(), s));
                    break;
                }
            }
        }
    }

    /**
     * {@code POST /api/v1/applications/NAME/suppressions} with {@code {"id", "package"? | "path"?, "target"?,
     * "reason", "owner", "expires"?}}: an exception, approved by the admin whose token made it.
     */
    private void addSuppression(Context ctx) throws Exception {
        String application = name(ctx.pathParam("application"), "application");
        if (!store.applicationExists(application)) {
            throw new ApiException(404, "no application named '" + application + "'");
        }
        JsonNode request = jsonBody(ctx);
        String findingId = label(text(request, "id"), "id");
        String pkg = optionalText(request, "package");
        String path = optionalText(request, "path");
        if (pkg != null && path != null) {
            throw new ApiException(
                    400, "package and path: give one (a package for a vulnerability, a path for a check)");
        }
        String targetName = optionalText(request, "target");
        String reason = text(request, "reason").strip();
        if (reason.isEmpty() || reason.length() > 2000 || reason.chars().anyMatch(Character::isISOControl)) {
            throw new ApiException(400, "reason: 1 to 2000 characters, without control characters");
        }
        String owner = label(text(request, "owner").strip(), "owner");
        String expiresText = optionalText(request, "expires");
        java.time.LocalDate expires = null;
        if (expiresText != null) {
            try {
                expires = java.time.LocalDate.parse(expiresText);
            } catch (java.time.format.DateTimeParseException e) {
                throw new ApiException(400, "expires: a date, YYYY-MM-DD");
            }
            if (expires.isBefore(suppressions.today())) {
                throw new ApiException(400, "expires: " + expires + " has passed");
            }
        }
        String kind = path != null || findingId.startsWith("PAL-")
                ? SuppressionStore.MISCONFIGURATION
                : SuppressionStore.VULNERABILITY;
        SuppressionStore.Suppression made = suppressions.add(
                new SuppressionStore.NewSuppression(
                        application,
                        targetName == null ? null : label(targetName, "target"),
                        findingId,
                        pkg != null ? label(pkg, "package") : path == null ? null : label(path, "path"),
                        kind,
                        reason,
                        owner,
                        expires),
                caller(ctx).name(),
                audit);
        send(ctx, 201, suppressionJson(json.createObjectNode(), made));
    }

    private void listSuppressions(Context ctx) throws SQLException {
        String application = name(ctx.pathParam("application"), "application");
        if (!store.applicationExists(application)) {
            throw new ApiException(404, "no application named '" + application + "'");
        }
        String status = ctx.queryParam("status") == null ? "active" : ctx.queryParam("status");
        if (!status.equals("active") && !status.equals("all")) {
            throw new ApiException(400, "status: use active (the default) or all");
        }
        List<SuppressionStore.Suppression> found =
                status.equals("all") ? suppressions.list(application) : suppressions.active(application);
        ArrayNode list = json.createArrayNode();
        found.forEach(s -> suppressionJson(list.addObject(), s));
        ObjectNode body = json.createObjectNode().put("application", application);
        body.set("suppressions", list);
        send(ctx, 200, body);
    }

    private void revokeSuppression(Context ctx) throws SQLException {
        String application = name(ctx.pathParam("application"), "application");
        long id = id(ctx);
        if (!suppressions.revoke(application, id, caller(ctx).name(), audit)) {
            throw new ApiException(404, "no suppression in force with id " + id + " in '" + application + "'");
        }
        ctx.status(204);
    }

    private static ObjectNode suppressionJson(ObjectNode node, SuppressionStore.Suppression s) {
        return node.put("id", s.id())
                .put("findingId", s.findingId())
                .put("kind", s.kind())
                .put("subject", s.subject())
                .put("target", s.target())
                .put("reason", s.reason())
                .put("owner", s.owner())
                .put("approvedBy", s.approvedBy())
                .put("expires", s.expires() == null ? null : s.expires().toString())
                .put("createdAt", s.createdAt().toString())
                .put("revokedAt", s.revokedAt() == null ? null : s.revokedAt().toString())
                .put("revokedBy", s.revokedBy());
    }

    private ArrayNode findingList(List<ServerStore.FindingRow> rows, boolean withTarget) {
        ArrayNode list = json.createArrayNode();
        for (ServerStore.FindingRow f : rows) {
            ObjectNode node = list.addObject();
            if (withTarget) {
                node.put("target", f.target()).put("model", f.model()).put("scanId", f.scanId());
            }
            node.put("id", f.vulnerabilityId())
                    .put("severity", f.severity())
                    .put("status", f.status())
                    .put("title", f.title());
            node.putObject("package")
                    .put("purl", f.purl())
                    .put("name", f.packageName())
                    .put("version", f.packageVersion());
            node.put("fixedVersion", f.fixedVersion())
                    .put("firstSeen", f.firstSeen().toString());
            node.put(
                    "resolvedAt", f.resolvedAt() == null ? null : f.resolvedAt().toString());
        }
        return list;
    }

    private static long number(Context ctx, String parameter, long min, long max, long absent) {
        String text = ctx.queryParam(parameter);
        if (text == null) {
            return absent;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ApiException(400, parameter + ": a number from " + min + " to " + max);
    }

    private static String required(Context ctx, String parameter) {
        String value = ctx.queryParam(parameter);
        if (value == null || value.isEmpty()) {
            throw new ApiException(400, "the query parameter '" + parameter + "' is required");
        }
        return value;
    }

    /** A target's name or reference (an image reference, a path): printable, bounded. */
    private static String label(String value, String what) {
        if (value.isEmpty() || value.length() > 512 || value.chars().anyMatch(Character::isISOControl)) {
            throw new ApiException(400, what + ": 1 to 512 characters, without control characters");
        }
        return value;
    }

    private static String name(String value, String what) {
        if (!value.matches(NAME)) {
            throw new ApiException(
                    400,
                    what + ": a name is 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return value;
    }

    private void error(Context ctx, int status, @Nullable String message) {
        send(
                ctx,
                status,
                json.createObjectNode()
                        .put("error", message == null ? "error " + status : message)
                        .put("status", status));
    }

    private void send(Context ctx, int status, ObjectNode body) {
        try {
            ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a JSON response", e);
        }
    }
}
