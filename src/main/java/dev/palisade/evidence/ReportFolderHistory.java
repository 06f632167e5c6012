package dev.palisade.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.match.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The history in a folder of saved Palisade JSON reports ({@code --format json}): each report is one
 * scan of its artifact at its {@code createdAt}. Reports in a sub-folder belong to the application the
 * sub-folder names; those at the top to the application "default". Anything else in the folder is
 * listed as a problem, never silently skipped.
 */
public final class ReportFolderHistory {
    /** A report larger than this is not read (a jvm-app report is about 400 KB). */
    static final long MAX_REPORT_BYTES = 64L * 1024 * 1024;

    static final int MAX_REPORTS = 100_000;

    private final ObjectMapper json = new ObjectMapper();

    private record Report(
            String application, String target, String model, Instant at, String databaseBuiltAt, JsonNode root) {}

    public History read(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": not a folder of reports");
        }
        List<String> problems = new ArrayList<>();
        List<Report> reports = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder, 2)) {
            files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted()
                    .limit(MAX_REPORTS + 1L)
                    .toList();
        }
        if (files.size() > MAX_REPORTS) {
            throw new IOException(folder + " holds more than " + MAX_REPORTS + " files; split the period");
        }
        for (Path file : files) {
            String name = folder.relativize(file).toString();
            if (!name.endsWith(".json")) {
                problems.add(name + ": not a JSON report (only *.json files are read)");
                continue;
            }
            if (Files.size(file) > MAX_REPORT_BYTES) {
                problems.add(name + ": larger than " + MAX_REPORT_BYTES + " bytes, not read");
                continue;
            }
            JsonNode root;
            try (InputStream in = Files.newInputStream(file)) {
                root = json.readTree(in);
            } catch (IOException e) {
                problems.add(name + ": not JSON");
                continue;
            }
            if (root == null
                    || root.path("schemaVersion").asInt() != 1
                    || !root.path("tool").path("name").asText().equals("palisade")) {
                problems.add(name + ": not a Palisade JSON report (schemaVersion 1)");
                continue;
            }
            Instant at;
            try {
                at = Instant.parse(root.path("createdAt").asText());
            } catch (DateTimeParseException e) {
                problems.add(name + ": no valid createdAt");
                continue;
            }
            Path parent = folder.relativize(file).getParent();
            String application =
                    parent == null ? "default" : parent.getFileName().toString();
            JsonNode artifact = root.path("artifact");
            reports.add(new Report(
                    application,
                    artifact.path("name").asText(name),
                    artifact.path("deploymentModel").asText("unspecified"),
                    at,
                    root.path("database").path("builtAt").asText(""),
                    root));
        }
        reports.sort(Comparator.comparing(Report::at).thenComparing(Report::target));
        List<History.Scan> scans = new ArrayList<>();
        List<History.Exception> exceptions = new ArrayList<>();
        Map<String, Sightings> byTarget = new LinkedHashMap<>();
        for (Report r : reports) {
            scans.add(new History.Scan(r.application(), r.target(), r.model(), r.at(), r.databaseBuiltAt()));
            for (JsonNode s : r.root().path("suppressedMisconfigurations")) {
                JsonNode why = s.path("suppression");
                exceptions.add(new History.Exception(
                        r.application(),
                        r.target(),
                        History.Exception.MISCONFIGURATION,
                        s.path("id").asText(),
                        s.path("path").asText(),
                        why.path("source").asText(""),
                        // reports before the suppression object carried "source: reason" in one field
                        why.isObject()
                                ? why.path("reason").asText("")
                                : s.path("reason").asText(""),
                        text(why, "owner"),
                        text(why, "approvedBy"),
                        text(why, "expires"),
                        r.at(),
                        r.at()));
            }
            if (!r.root().has("vulnerabilities")) {
                continue; // vulnerabilities were not scanned: no observation of findings
            }
            List<Sightings.Seen> seen = new ArrayList<>();
            for (JsonNode v : r.root().path("vulnerabilities")) {
                if (!v.path("status").asText("affected").equals("affected")) {
                    continue;
                }
                seen.add(
                        new Sightings.Seen(v.path("id").asText(), purl(v.path("package")), severity(v), kevDueDate(v)));
            }
            byTarget.computeIfAbsent(
                            r.application() + "\u0000" + r.target(), k -> new Sightings(r.application(), r.target()))
                    .observed(seen, r.at());
            for (JsonNode s : r.root().path("suppressed")) {
                JsonNode why = s.path("suppression");
                exceptions.add(new History.Exception(
                        r.application(),
                        r.target(),
                        History.Exception.VULNERABILITY,
                        s.path("id").asText(),
                        purl(s.path("package")),
                        why.path("source").asText(""),
                        why.path("reason").asText(""),
                        text(why, "owner"),
                        text(why, "approvedBy"),
                        text(why, "expires"),
                        r.at(),
                        r.at()));
            }
        }
        List<History.Sighting> sightings = new ArrayList<>();
        byTarget.values().forEach(s -> sightings.addAll(s.sightings()));
        return new History(scans, sightings, exceptions, problems);
    }

    private static String purl(JsonNode pkg) {
        String purl = pkg.path("purl").asText("");
        return !purl.isEmpty()
                ? purl
                : pkg.path("ecosystem").asText("") + ":" + pkg.path("name").asText("") + "@"
                        + pkg.path("version").asText("");
    }

    private static Severity severity(JsonNode v) {
        try {
            return Severity.valueOf(v.path("severity").asText("UNKNOWN").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Severity.UNKNOWN;
        }
    }

    private static @org.jspecify.annotations.Nullable String kevDueDate(JsonNode v) {
        return text(v.path("knownExploited"), "dueDate");
    }

    private static @org.jspecify.annotations.Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }
}
