package dev.palisade.report;

import dev.palisade.checks.Misconfiguration;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Package;
import dev.palisade.match.Finding;
import dev.palisade.match.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML page: inline CSS and an inline SVG chart, no script and no resource from
 * anywhere (a Content-Security-Policy forbids loading any), so it opens offline and cannot call out.
 * Every text from the scan is escaped; secrets are already redacted in the report model.
 */
public final class HtmlWriter implements ReportWriter {
    private static final Map<Severity, String> COLOURS = Map.of(
            Severity.CRITICAL, "#8b0000",
            Severity.HIGH, "#d9480f",
            Severity.MEDIUM, "#e6a700",
            Severity.LOW, "#2b8a3e",
            Severity.UNKNOWN, "#868e96");

    @Override
    public String format() {
        return "html";
    }

    @Override
    public void write(ScanReport report, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        Inventory inventory = report.inventory();
        String subject = inventory.artifact().name();
        w.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        w.write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';"
                + " img-src data:\">\n");
        w.write("<title>Palisade report: " + escape(subject) + "</title>\n<style>\n" + CSS
                + "</style>\n</head>\n<body>\n");
        w.write("<h1>Palisade report</h1>\n<p class=\"meta\">" + escape(subject) + " &middot; "
                + escape(inventory.artifact().kind().name().toLowerCase(Locale.ROOT)) + " &middot; "
                + inventory.packages().size() + " packages &middot; created "
                + escape(report.createdAt().toString())
                + " by palisade " + escape(report.toolVersion()) + "</p>\n");
        w.write("<h2>Summary</h2>\n");
        w.write(chart(report.counts()));

        List<Finding> findings = report.findings().orElse(null);
        w.write("<h2>Vulnerabilities</h2>\n");
        if (findings == null) {
            w.write("<p>Vulnerabilities were not scanned.</p>\n");
        } else if (findings.isEmpty()) {
            w.write("<p>None found.</p>\n");
        } else {
            w.write("<table><thead><tr><th>Severity</th><th>Id</th><th>Package</th><th>Installed</th>"
                    + "<th>Fixed in</th><th>Title</th><th>Location</th></tr></thead>\n<tbody>\n");
            for (Finding f : findings) {
                Package p = f.pkg();
                w.write("<tr>" + severityCell(f.severity()) + "<td>" + escape(f.id()) + "</td><td>" + escape(p.name())
                        + "</td><td>" + escape(p.version()) + "</td><td>"
                        + escape(f.nearestFix() == null ? "" : f.nearestFix()) + "</td><td>" + escape(f.title())
                        + "</td><td>"
                        + escape(
                                p.locations().isEmpty()
                                        ? ""
                                        : p.locations().get(0).path())
                        + "</td></tr>\n");
            }
            w.write("</tbody></table>\n");
        }

        List<Misconfiguration> checks = report.misconfigurationsOptional().orElse(null);
        if (checks == null) {
            w.write(
                    "<h2>Misconfigurations and secrets</h2>\n<p>Configuration checks and secrets were not scanned.</p>\n");
        } else {
            List<Misconfiguration> misconfigurations =
                    checks.stream().filter(m -> !isSecret(m)).toList();
            List<Misconfiguration> secrets =
                    checks.stream().filter(HtmlWriter::isSecret).toList();
            w.write("<h2>Misconfigurations</h2>\n");
            checkTable(w, misconfigurations);
            w.write("<h2>Secrets</h2>\n");
            checkTable(w, secrets);
        }
        // what could not be read: without it, "None found" above could pass for a clean result
        List<dev.palisade.source.Problem> problems = report.allProblems();
        w.write("<h2>Not read (" + problems.size() + ")</h2>\n");
        if (problems.isEmpty()) {
            w.write("<p>Everything was read.</p>\n");
        } else {
            w.write("<p class=\"meta\">The findings above may be incomplete: these could not be read.</p>\n"
                    + "<table><thead><tr><th>Path</th><th>Layer</th><th>Why</th></tr></thead>\n<tbody>\n");
            for (dev.palisade.source.Problem problem : problems) {
                w.write("<tr><td>" + escape(problem.path()) + "</td><td>"
                        + escape(problem.layer() == null ? "" : problem.layer()) + "</td><td>"
                        + escape(problem.reason()) + "</td></tr>\n");
            }
            w.write("</tbody></table>\n");
        }
        w.write("</body>\n</html>\n");
        w.flush();
    }

    /** The secret checks are the PAL-40xx family of checks.yaml. */
    private static boolean isSecret(Misconfiguration m) {
        return m.check().id().startsWith("PAL-40");
    }

    private static void checkTable(Writer w, List<Misconfiguration> items) throws IOException {
        if (items.isEmpty()) {
            w.write("<p>None found.</p>\n");
            return;
        }
        w.write("<table><thead><tr><th>Severity</th><th>Check</th><th>Title</th><th>Where</th><th>Found</th>"
                + "<th>Fix</th></tr></thead>\n<tbody>\n");
        for (Misconfiguration m : items) {
            String where = m.path()
                    + (m.line() > 0 ? ":" + m.line() : "")
                    + (m.keyPath().isEmpty() ? "" : " (" + m.keyPath() + ")");
            w.write("<tr>" + severityCell(m.check().severity()) + "<td>"
                    + escape(m.check().id()) + "</td><td>"
                    + escape(m.check().title()) + "</td><td>" + escape(where) + "</td><td>" + escape(m.message())
                    + "</td><td>" + escape(m.check().fix()) + "</td></tr>\n");
        }
        w.write("</tbody></table>\n");
    }

    private static String severityCell(Severity severity) {
        return "<td><span class=\"sev\" style=\"background:" + COLOURS.get(severity) + "\">" + severity.name()
                + "</span></td>";
    }

    /** A horizontal bar per severity, scaled to the largest count. */
    private static String chart(Map<Severity, Integer> counts) {
        int max = 1;
        for (Severity s : Severity.values()) {
            max = Math.max(max, counts.getOrDefault(s, 0));
        }
        StringBuilder svg = new StringBuilder("<svg role=\"img\" aria-label=\"findings per severity\""
                + " width=\"520\" height=\"" + (Severity.values().length * 28 + 8) + "\">\n");
        int y = 4;
        for (Severity s : Severity.values()) {
            int count = counts.getOrDefault(s, 0);
            int width = (int) Math.round(360.0 * count / max);
            svg.append("<text x=\"0\" y=\"")
                    .append(y + 17)
                    .append("\">")
                    .append(s.name())
                    .append("</text>")
                    .append("<rect x=\"100\" y=\"")
                    .append(y)
                    .append("\" width=\"")
                    .append(width)
                    .append("\" height=\"22\" fill=\"")
                    .append(COLOURS.get(s))
                    .append("\"/>")
                    .append("<text x=\"")
                    .append(106 + width)
                    .append("\" y=\"")
                    .append(y + 17)
                    .append("\">")
                    .append(count)
                    .append("</text>\n");
            y += 28;
        }
        return svg.append("</svg>\n").toString();
    }

    /** Text for HTML content and attribute values; control characters other than tab and newline are dropped. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static final String CSS =
            """
            body { font-family: system-ui, sans-serif; margin: 2em; color: #212529; }
            h1 { margin-bottom: 0.2em; }
            .meta { color: #495057; }
            table { border-collapse: collapse; width: 100%; margin-bottom: 2em; font-size: 0.9em; }
            th, td { border: 1px solid #dee2e6; padding: 4px 8px; text-align: left; vertical-align: top; }
            th { background: #f1f3f5; }
            td { overflow-wrap: anywhere; }
            .sev { color: #fff; padding: 1px 6px; border-radius: 3px; font-size: 0.85em; font-weight: 600; }
            svg text { font-size: 13px; font-family: system-ui, sans-serif; }
            """;
}
