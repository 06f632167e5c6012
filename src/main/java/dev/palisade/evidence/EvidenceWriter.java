package dev.palisade.evidence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.checks.CheckMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Writes an evidence pack into an empty folder: {@code evidence.json} (everything, for machines), one CSV
 * per register, {@code report.html} (one self-contained file, printable to PDF), the public key, and
 * {@code MANIFEST.json} (the SHA-256 of every file) with its Ed25519 signature {@code MANIFEST.sig}.
 * The same pack and key give the same bytes.
 */
public final class EvidenceWriter {
    public static final String MANIFEST = "MANIFEST.json";
    public static final String SIGNATURE = "MANIFEST.sig";
    public static final String PUBLIC_KEY = "public-key.pem";

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final String toolVersion;

    public EvidenceWriter(String toolVersion) {
        this.toolVersion = toolVersion;
    }

    public void write(EvidencePack pack, Path folder, KeyPair key) throws IOException {
        Files.createDirectories(folder);
        try (Stream<Path> present = Files.list(folder)) {
            if (present.findAny().isPresent()) {
                throw new IOException(
                        folder + " is not empty: an evidence pack is written into an empty folder, so that "
                                + "its manifest covers every file in it");
            }
        }
        Map<String, byte[]> files = new TreeMap<>();
        files.put("evidence.json", json.writeValueAsBytes(evidence(pack)));
        files.put("coverage.csv", coverageCsv(pack));
        files.put("patch-sla.csv", slaCsv(pack));
        files.put("exceptions.csv", exceptionsCsv(pack));
        files.put("controls.csv", controlsCsv(pack));
        files.put("report.html", EvidenceHtml.render(pack, toolVersion).getBytes(StandardCharsets.UTF_8));
        files.put(PUBLIC_KEY, SigningKeys.publicPem(key.getPublic()).getBytes(StandardCharsets.US_ASCII));
        ObjectNode manifest = json.createObjectNode()
                .put("tool", "palisade " + toolVersion)
                .put("createdAt", pack.asOf().toString())
                .put("algorithm", "SHA-256")
                .put("signature", "Ed25519 over the bytes of " + MANIFEST + ", base64 in " + SIGNATURE);
        ObjectNode hashes = manifest.putObject("files");
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            hashes.put(f.getKey(), Hashes.sha256(f.getValue()));
        }
        byte[] manifestBytes = json.writeValueAsBytes(manifest);
        files.put(MANIFEST, manifestBytes);
        files.put(
                SIGNATURE,
                (Base64.getEncoder().encodeToString(SigningKeys.sign(key.getPrivate(), manifestBytes)) + "\n")
                        .getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(folder.resolve(f.getKey()), f.getValue());
        }
    }

    private ObjectNode evidence(EvidencePack pack) {
        ObjectNode root = json.createObjectNode().put("schemaVersion", 1).put("tool", "palisade " + toolVersion);
        root.putObject("period")
                .put("since", pack.since().toString())
                .put("until", pack.asOf().toString())
                .put("cadenceDays", pack.cadence().toHours() / 24.0);
        ObjectNode summary = root.putObject("summary");
        summary.put("targets", pack.coverage().size())
                .put(
                        "targetsMeetingCadence",
                        pack.coverage().stream()
                                .filter(EvidencePack.Coverage::meetsCadence)
                                .count());
        Map<EvidencePack.SlaStatus, Integer> counts = slaCounts(pack);
        ObjectNode sla = summary.putObject("patchSla");
        counts.forEach((status, n) -> sla.put(status.name(), n));
        summary.put("exceptions", pack.exceptions().size());
        ArrayNode coverage = root.putArray("coverage");
        for (EvidencePack.Coverage c : pack.coverage()) {
            coverage.addObject()
                    .put("application", c.application())
                    .put("target", c.target())
                    .put("model", c.model())
                    .put("scans", c.scans())
                    .put("firstScan", text(c.firstScan()))
                    .put("lastScan", text(c.lastScan()))
                    .put("longestGapHours", c.longestGap().toHours())
                    .put("meetsCadence", c.meetsCadence())
                    .put(
                            "oldestDatabaseHours",
                            c.oldestDatabase() == null
                                    ? null
                                    : c.oldestDatabase().toHours());
        }
        ArrayNode slaList = root.putArray("patchSla");
        for (EvidencePack.SlaEntry e : pack.sla()) {
            History.Sighting s = e.sighting();
            slaList.addObject()
                    .put("application", s.application())
                    .put("target", s.target())
                    .put("vulnerabilityId", s.vulnerabilityId())
                    .put("purl", s.purl())
                    .put("severity", s.severity().name())
                    .put("kevDueDate", s.kevDueDate())
                    .put("firstSeen", s.firstSeen().toString())
                    .put("deadline", e.deadline().toString())
                    .put("fixedAt", text(s.fixedAt()))
                    .put("status", e.status().name());
        }
        ArrayNode exceptions = root.putArray("exceptions");
        for (History.Exception x : pack.exceptions()) {
            exceptions
                    .addObject()
                    .put("application", x.application())
                    .put("target", x.target())
                    .put("kind", x.kind())
                    .put("id", x.findingId())
                    .put("subject", x.subject())
                    .put("source", x.source())
                    .put("reason", x.reason())
                    .put("owner", x.owner())
                    .put("approvedBy", x.approvedBy())
                    .put("expires", x.expires())
                    .put("seenAt", x.seenAt().toString());
        }
        ObjectNode criteria = root.putObject("soc2");
        criteria.put("source", pack.criteria().source());
        ArrayNode list = criteria.putArray("criteria");
        for (Soc2Criteria.Criterion c : pack.criteria().criteria()) {
            ObjectNode node = list.addObject().put("id", c.id()).put("title", c.title());
            ArrayNode processes = node.putArray("processes");
            c.processes().forEach(processes::add);
            ArrayNode checks = node.putArray("checks");
            for (CheckMetadata check : c.checks()) {
                ObjectNode checkNode = checks.addObject().put("id", check.id()).put("title", check.title());
                ArrayNode references = checkNode.putArray("references");
                check.references().forEach(references::add);
            }
        }
        ArrayNode problems = root.putArray("problems");
        pack.problems().forEach(problems::add);
        return root;
    }

    static Map<EvidencePack.SlaStatus, Integer> slaCounts(EvidencePack pack) {
        Map<EvidencePack.SlaStatus, Integer> counts = new EnumMap<>(EvidencePack.SlaStatus.class);
        for (EvidencePack.SlaStatus s : EvidencePack.SlaStatus.values()) {
            counts.put(s, 0);
        }
        pack.sla().forEach(e -> counts.merge(e.status(), 1, Integer::sum));
        return counts;
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static byte[] coverageCsv(EvidencePack pack) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(
                "application",
                "target",
                "model",
                "scans",
                "first_scan",
                "last_scan",
                "longest_gap_hours",
                "meets_cadence",
                "oldest_database_hours"));
        for (EvidencePack.Coverage c : pack.coverage()) {
            rows.add(List.of(
                    c.application(),
                    c.target(),
                    c.model(),
                    Integer.toString(c.scans()),
                    orEmpty(c.firstScan()),
                    orEmpty(c.lastScan()),
                    Long.toString(c.longestGap().toHours()),
                    Boolean.toString(c.meetsCadence()),
                    c.oldestDatabase() == null
                            ? ""
                            : Long.toString(c.oldestDatabase().toHours())));
        }
        return Csv.write(rows);
    }

    private static byte[] slaCsv(EvidencePack pack) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(
                "application",
                "target",
                "vulnerability_id",
                "purl",
                "severity",
                "kev_due_date",
                "first_seen",
                "deadline",
                "fixed_at",
                "status"));
        for (EvidencePack.SlaEntry e : pack.sla()) {
            History.Sighting s = e.sighting();
            rows.add(List.of(
                    s.application(),
                    s.target(),
                    s.vulnerabilityId(),
                    s.purl(),
                    s.severity().name(),
                    s.kevDueDate() == null ? "" : s.kevDueDate(),
                    s.firstSeen().toString(),
                    e.deadline().toString(),
                    orEmpty(s.fixedAt()),
                    e.status().name()));
        }
        return Csv.write(rows);
    }

    private static byte[] exceptionsCsv(EvidencePack pack) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(
                "application",
                "target",
                "kind",
                "id",
                "subject",
                "source",
                "reason",
                "owner",
                "approved_by",
                "expires",
                "seen_at"));
        for (History.Exception x : pack.exceptions()) {
            rows.add(List.of(
                    x.application(),
                    x.target(),
                    x.kind(),
                    x.findingId(),
                    x.subject(),
                    x.source(),
                    x.reason(),
                    x.owner() == null ? "" : x.owner(),
                    x.approvedBy() == null ? "" : x.approvedBy(),
                    x.expires() == null ? "" : x.expires(),
                    x.seenAt().toString()));
        }
        return Csv.write(rows);
    }

    private static byte[] controlsCsv(EvidencePack pack) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("criterion", "kind", "id", "description", "references"));
        for (Soc2Criteria.Criterion c : pack.criteria().criteria()) {
            for (String process : c.processes()) {
                rows.add(List.of(c.id(), "process", "", process, ""));
            }
            for (CheckMetadata check : c.checks()) {
                rows.add(List.of(c.id(), "check", check.id(), check.title(), String.join("; ", check.references())));
            }
        }
        return Csv.write(rows);
    }

    private static String orEmpty(@Nullable Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    static String days(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f", duration.toHours() / 24.0);
    }
}
