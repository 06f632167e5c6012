package dev.palisade.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.checks.Misconfiguration;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import dev.palisade.match.Finding;
import dev.palisade.match.PatchPlan;
import dev.palisade.policy.Suppressions;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.Layer;
import dev.palisade.source.Problem;
import dev.palisade.source.host.ListeningSockets;
import dev.palisade.source.image.ImageMetadata;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Palisade's own JSON report (schema version 1, documented in docs/json-schema.md). Field order and
 * array order are fixed, so the same scan gives the same bytes.
 */
public final class JsonReportWriter implements ReportWriter {
    public static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private final boolean patchPlan;

    public JsonReportWriter() {
        this(false);
    }

    /** @param patchPlan add the patch plan of the OS packages (when vulnerabilities were scanned) */
    public JsonReportWriter(boolean patchPlan) {
        this.patchPlan = patchPlan;
    }

    @Override
    public String format() {
        return "json";
    }

    @Override
    public void write(ScanReport report, OutputStream out) throws IOException {
        JSON.writeValue(out, toJson(report));
        out.write('\n');
        out.flush();
    }

    /** The report as plain maps, lists and scalars: the model a user's template sees. */
    @SuppressWarnings("unchecked")
    static java.util.Map<String, Object> toModel(ScanReport report) throws IOException {
        return JSON.readValue(JSON.writeValueAsBytes(new JsonReportWriter().toJson(report)), java.util.Map.class);
    }

    ObjectNode toJson(ScanReport report) {
        Inventory inventory = report.inventory();
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        ObjectNode tool = root.putObject("tool");
        tool.put("name", "palisade");
        tool.put("version", report.toolVersion());
        root.put("createdAt", report.createdAt().toString());
        root.set("artifact", artifact(inventory.artifact()));
        if (inventory.os() != null) {
            root.set("os", os(inventory.os()));
        }
        root.putPOJO("packages", new StreamedArray<>(inventory.packages(), JsonReportWriter::pkg));
        report.findings().ifPresent(findings -> {
            ScanReport.DatabaseInfo db = report.database();
            if (db != null) {
                ObjectNode database = root.putObject("database");
                database.put("builtAt", db.builtAt());
                strings(database, "sources", db.sources());
                if (!report.missingData().isEmpty()) {
                    strings(database, "missingData", report.missingData());
                }
            }
            root.putPOJO("vulnerabilities", new StreamedArray<>(findings, f -> finding(f, report)));
            if (patchPlan) {
                root.set("patchPlan", patchPlan(PatchPlan.of(findings, inventory.packages(), inventory.os())));
            }
            if (!report.suppressed().isEmpty()) {
                ArrayNode suppressed = root.putArray("suppressed");
                for (Suppressions.Suppressed s : report.suppressed()) {
                    ObjectNode node = finding(s.finding(), report);
                    suppression(
                            node,
                            new Suppressions.Decision(s.source(), s.reason(), s.owner(), s.approvedBy(), s.expires()));
                    suppressed.add(node);
                }
            }
        });
        report.misconfigurationsOptional().ifPresent(found -> {
            root.putPOJO("misconfigurations", new StreamedArray<>(found, JsonReportWriter::misconfiguration));
        });
        if (!report.suppressedMisconfigurations().isEmpty()) {
            ArrayNode suppressedChecks = root.putArray("suppressedMisconfigurations");
            for (dev.palisade.policy.ResultPolicy.SuppressedCheck s : report.suppressedMisconfigurations()) {
                ObjectNode node = suppressedChecks.addObject();
                node.put("id", s.misconfiguration().check().id());
                node.put("path", s.misconfiguration().path());
                node.put("message", s.misconfiguration().message());
                node.put("reason", s.reason());
                suppression(node, s.decision());
            }
        }
        if (!report.listeningSockets().isEmpty()) {
            ArrayNode sockets = root.putArray("listeningSockets");
            for (ListeningSockets.Socket s : report.listeningSockets()) {
                ObjectNode node = sockets.addObject();
                node.put("protocol", s.protocol());
                node.put("address", s.address());
                node.put("port", s.port());
                node.put("reachableFromNetwork", s.reachableFromNetwork());
                ArrayNode owners = node.putArray("processes");
                s.owners().forEach(o -> owners.addObject().put("pid", o.pid()).put("name", o.name()));
            }
        }
        ArrayNode problems = root.putArray("problems");
        for (Problem problem : report.allProblems()) {
            ObjectNode node = problems.addObject();
            node.put("path", problem.path());
            putIfPresent(node, "layer", problem.layer());
            node.put("reason", problem.reason());
        }
        return root;
    }

    private static void suppression(ObjectNode node, Suppressions.Decision decision) {
        ObjectNode suppression = node.putObject("suppression");
        suppression.put("source", decision.source());
        suppression.put("reason", decision.reason());
        if (decision.owner() != null) {
            suppression.put("owner", decision.owner());
        }
        if (decision.approvedBy() != null) {
            suppression.put("approvedBy", decision.approvedBy());
        }
        if (decision.expires() != null) {
            suppression.put("expires", decision.expires().toString());
        }
    }

    private static ObjectNode patchPlan(PatchPlan plan) {
        ObjectNode node = JSON.createObjectNode();
        node.put("manager", plan.manager());
        if (!plan.command().isEmpty()) {
            node.put("command", plan.command());
        }
        ArrayNode packages = node.putArray("packages");
        for (PatchPlan.Upgrade u : plan.packages()) {
            ObjectNode p = packages.addObject();
            p.put("name", u.name());
            p.put("installedVersion", u.installed());
            p.put("fixedVersion", u.fixedVersion());
            p.put("install", u.argument());
            putIfPresent(p, "sourceName", u.sourceName());
            p.put("severity", u.severity().name());
            p.put("knownExploited", u.knownExploited());
            strings(p, "vulnerabilities", u.vulnerabilities());
        }
        if (!plan.leftOut().isEmpty()) {
            strings(node, "leftOut", plan.leftOut());
        }
        return node;
    }

    private static ObjectNode artifact(ArtifactDescription artifact) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", artifact.name());
        node.put("kind", artifact.kind().name().toLowerCase(Locale.ROOT));
        node.put("deploymentModel", artifact.model().name().toLowerCase(Locale.ROOT));
        ArrayNode layers = node.putArray("layers");
        for (Layer layer : artifact.layers()) {
            if (layer.diffId() == null) {
                continue;
            }
            ObjectNode l = layers.addObject();
            l.put("index", layer.index());
            l.put("diffId", layer.diffId());
            putIfPresent(l, "digest", layer.digest());
            putIfPresent(l, "createdBy", layer.createdBy());
        }
        artifact.imageMetadata().ifPresent(image -> node.set("image", image(image)));
        return node;
    }

    private static ObjectNode image(ImageMetadata image) {
        ObjectNode node = JSON.createObjectNode();
        node.put("imageId", image.imageId());
        strings(node, "repoTags", image.repoTags());
        putIfPresent(node, "os", image.os());
        putIfPresent(node, "architecture", image.architecture());
        putIfPresent(node, "created", image.created());
        node.put("user", image.user());
        ArrayNode env = node.putArray("env");
        image.env().forEach(env::add); // redacted by the report model (ReportRedaction)
        strings(node, "entrypoint", image.entrypoint());
        strings(node, "cmd", image.cmd());
        putIfPresent(node, "workingDir", image.workingDir());
        strings(node, "exposedPorts", image.exposedPorts());
        strings(node, "volumes", image.volumes());
        ObjectNode labels = node.putObject("labels");
        image.labels().forEach(labels::put);
        ArrayNode history = node.putArray("history");
        for (ImageMetadata.HistoryEntry h : image.history()) {
            ObjectNode entry = history.addObject();
            putIfPresent(entry, "created", h.created());
            putIfPresent(entry, "createdBy", h.createdBy());
            putIfPresent(entry, "comment", h.comment());
            entry.put("emptyLayer", h.emptyLayer());
        }
        return node;
    }

    private static ObjectNode os(OsRelease os) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", os.id());
        node.put("versionId", os.versionId());
        putIfPresent(node, "codename", os.codename());
        putIfPresent(node, "prettyName", os.prettyName());
        putIfPresent(node, "idLike", os.idLike());
        node.set("location", location(os.location()));
        return node;
    }

    private static ObjectNode pkg(Package p) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", p.name());
        node.put("version", p.version());
        node.put("ecosystem", p.ecosystem().osvName());
        node.put("purl", p.purl());
        putIfPresent(node, "sourceName", p.sourceName());
        putIfPresent(node, "sourceVersion", p.sourceVersion());
        node.put("foundBy", p.foundBy());
        ArrayNode locations = node.putArray("locations");
        p.locations().forEach(l -> locations.add(location(l)));
        if (!p.metadata().isEmpty()) {
            ObjectNode metadata = node.putObject("metadata");
            p.metadata().forEach(metadata::put);
        }
        if (!p.licenses().isEmpty()) {
            strings(node, "licenses", p.licenses());
        }
        return node;
    }

    private static ObjectNode finding(Finding f, ScanReport report) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", f.id());
        strings(node, "ids", f.ids());
        strings(node, "advisories", f.advisories());
        if (!f.related().isEmpty()) {
            strings(node, "related", f.related());
        }
        ObjectNode pkg = node.putObject("package");
        pkg.put("name", f.pkg().name());
        pkg.put("version", f.pkg().version());
        pkg.put("ecosystem", f.pkg().ecosystem().osvName());
        pkg.put("purl", f.pkg().purl());
        ArrayNode locations = pkg.putArray("locations");
        f.pkg().locations().forEach(l -> locations.add(location(l)));
        node.put("status", f.status() == Finding.Status.AFFECTED ? "affected" : "not_compared");
        if (!f.note().isEmpty()) {
            node.put("note", f.note());
        }
        node.put("title", f.title());
        node.put("severity", f.severity().name());
        node.put("severitySource", f.severitySource());
        if (f.cvss() != null) {
            ObjectNode cvss = node.putObject("cvss");
            cvss.put("version", f.cvss().version());
            cvss.put("vector", f.cvss().vector());
            cvss.put("baseScore", f.cvss().baseScore());
        }
        f.kevEntry().ifPresent(kev -> {
            ObjectNode k = node.putObject("knownExploited");
            k.put("catalog", "CISA KEV");
            k.put("dateAdded", kev.dateAdded());
            k.put("dueDate", kev.dueDate());
            k.put("knownRansomwareCampaignUse", kev.knownRansomwareCampaignUse());
        });
        node.put("fixAvailable", f.hasFix());
        putIfPresent(node, "nearestFix", f.nearestFix());
        strings(node, "fixedVersions", f.fixedVersions());
        putIfPresent(node, "published", f.published());
        report.patchAge(f).ifPresent(age -> {
            node.put("fixAvailableDays", age.days());
            if (age.deadline() != null) {
                node.put("patchDeadline", age.deadline().toString());
                node.put("patchOverdue", age.overdue());
            }
        });
        strings(node, "references", f.references());
        return node;
    }

    private static ObjectNode location(Location l) {
        ObjectNode node = JSON.createObjectNode();
        node.put("path", l.path());
        putIfPresent(node, "layerDiffId", l.layerDiffId());
        putIfPresent(node, "layerCreatedBy", l.layerCreatedBy());
        return node;
    }

    private static void strings(ObjectNode node, String field, List<String> values) {
        ArrayNode array = node.putArray(field);
        values.forEach(array::add);
    }

    private static void putIfPresent(ObjectNode node, String field, @Nullable String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static ObjectNode misconfiguration(Misconfiguration m) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", m.check().id());
        node.put("title", m.check().title());
        node.put("severity", m.check().severity().name());
        ArrayNode models = node.putArray("models");
        m.check().models().stream().map(Enum::name).sorted().forEach(x -> models.add(x.toLowerCase(Locale.ROOT)));
        node.put("path", m.path());
        if (m.line() > 0) {
            node.put("line", m.line());
        }
        if (!m.keyPath().isEmpty()) {
            node.put("keyPath", m.keyPath());
        }
        putIfPresent(node, "layer", m.layer());
        node.put("message", m.message());
        node.put("why", m.check().why());
        node.put("fix", m.check().fix());
        strings(node, "references", m.check().references());
        return node;
    }

    /**
     * An array written one element at a time as the report is serialised, so that a report of a
     * million packages never holds a million JSON trees at once.
     */
    private record StreamedArray<T>(java.util.Collection<T> items, java.util.function.Function<T, ObjectNode> toNode)
            implements com.fasterxml.jackson.databind.JsonSerializable {
        @Override
        public void serialize(JsonGenerator generator, com.fasterxml.jackson.databind.SerializerProvider provider)
                throws IOException {
            generator.writeStartArray();
            for (T item : items) {
                generator.writeTree(toNode.apply(item));
            }
            generator.writeEndArray();
        }

        @Override
        public void serializeWithType(
                JsonGenerator generator,
                com.fasterxml.jackson.databind.SerializerProvider provider,
                com.fasterxml.jackson.databind.jsontype.TypeSerializer typeSerializer)
                throws IOException {
            serialize(generator, provider);
        }
    }
}
