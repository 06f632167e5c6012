package dev.palisade.evidence;

import dev.palisade.checks.CheckMetadata;
import dev.palisade.match.Severity;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The pack as one HTML page for people: inline CSS and SVG, no script, no external resource, so that it
 * opens offline and prints to PDF from the browser. Every text is escaped: much of it came from artifacts.
 */
final class EvidenceHtml {
    private EvidenceHtml() {}

    private static final List<Severity> WITH_DEADLINES =
            List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.UNKNOWN);

    static String render(EvidencePack pack, String toolVersion) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Palisade evidence ")
                .append(esc(EvidencePack.day(pack.since()).toString()))
                .append(" to ")
                .append(esc(EvidencePack.day(pack.asOf()).toString()))
                .append("</title><style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1b1f24}")
                .append("table{border-collapse:collapse;margin:1em 0;width:100%}")
                .append("th,td{border:1px solid #ccd;padding:3px 6px;text-align:left;vertical-align:top}")
                .append("th{background:#eef}.missed{color:#b00020;font-weight:bold}.met{color:#1b7f3b}")
                .append(".num{text-align:right}@media print{body{margin:0}}")
                .append("</style></head><body>\n");
        h.append("<h1>Security evidence: vulnerability management</h1>\n<p>Period ")
                .append(esc(pack.since().toString()))
                .append(" to ")
                .append(esc(pack.asOf().toString()))
                .append(". Every target must be scanned at least every ")
                .append(esc(EvidenceWriter.days(pack.cadence())))
                .append(" days. Made by Palisade ")
                .append(esc(toolVersion))
                .append(
                        "; the files beside this page are listed with their SHA-256 in MANIFEST.json, signed in MANIFEST.sig ")
                .append("(check with <code>palisade evidence verify DIR</code>).</p>\n");

        Map<EvidencePack.SlaStatus, Integer> counts = EvidenceWriter.slaCounts(pack);
        long covered = pack.coverage().stream()
                .filter(EvidencePack.Coverage::meetsCadence)
                .count();
        h.append("<h2>Summary</h2><table><tr><th>Targets</th><th>Scanned on cadence</th><th>Fixed on time</th>")
                .append(
                        "<th>Fixed late</th><th>Open, within deadline</th><th>Open, overdue</th><th>Exceptions</th></tr><tr>")
                .append(td(pack.coverage().size()))
                .append(td(covered))
                .append(td(counts.getOrDefault(EvidencePack.SlaStatus.MET, 0)))
                .append(td(counts.getOrDefault(EvidencePack.SlaStatus.MISSED, 0)))
                .append(td(counts.getOrDefault(EvidencePack.SlaStatus.OPEN_WITHIN_DEADLINE, 0)))
                .append(td(counts.getOrDefault(EvidencePack.SlaStatus.OPEN_OVERDUE, 0)))
                .append(td(pack.exceptions().size()))
                .append("</tr></table>\n");
        h.append(chart(pack));

        h.append(
                        "<h2>Scan coverage and cadence (CC7.1)</h2><table><tr><th>Application</th><th>Target</th><th>Model</th>")
                .append("<th>Scans</th><th>First</th><th>Last</th><th>Longest gap (days)</th><th>On cadence</th>")
                .append("<th>Oldest database at a scan (days)</th></tr>\n");
        for (EvidencePack.Coverage c : pack.coverage()) {
            h.append("<tr><td>")
                    .append(esc(c.application()))
                    .append("</td><td>")
                    .append(esc(c.target()))
                    .append("</td><td>")
                    .append(esc(c.model()))
                    .append("</td>")
                    .append(td(c.scans()))
                    .append("<td>")
                    .append(c.firstScan() == null ? "none" : esc(c.firstScan().toString()))
                    .append("</td><td>")
                    .append(c.lastScan() == null ? "none" : esc(c.lastScan().toString()))
                    .append("</td><td class=\"num\">")
                    .append(esc(EvidenceWriter.days(c.longestGap())))
                    .append("</td><td class=\"")
                    .append(c.meetsCadence() ? "met\">yes" : "missed\">no")
                    .append("</td><td class=\"num\">")
                    .append(c.oldestDatabase() == null ? "" : esc(EvidenceWriter.days(c.oldestDatabase())))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Patch SLA (CC7.1, CC8.1)</h2><p>Deadlines: critical 15 days and high 30 days after a finding is ")
                .append(
                        "first seen on a target, or CISA's KEV due date when earlier.</p><table><tr><th>Application</th>")
                .append("<th>Target</th><th>Vulnerability</th><th>Package</th><th>Severity</th><th>First seen</th>")
                .append("<th>Deadline</th><th>Fixed</th><th>Status</th></tr>\n");
        for (EvidencePack.SlaEntry e : pack.sla()) {
            History.Sighting s = e.sighting();
            h.append("<tr><td>")
                    .append(esc(s.application()))
                    .append("</td><td>")
                    .append(esc(s.target()))
                    .append("</td><td>")
                    .append(esc(s.vulnerabilityId()))
                    .append(s.kevDueDate() == null ? "" : " (KEV)")
                    .append("</td><td>")
                    .append(esc(s.purl()))
                    .append("</td><td>")
                    .append(esc(s.severity().name()))
                    .append("</td><td>")
                    .append(esc(s.firstSeen().toString()))
                    .append("</td><td>")
                    .append(esc(e.deadline().toString()))
                    .append("</td><td>")
                    .append(s.fixedAt() == null ? "open" : esc(s.fixedAt().toString()))
                    .append("</td><td class=\"")
                    .append(e.status().missed() ? "missed" : "met")
                    .append("\">")
                    .append(esc(
                            e.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Exceptions register</h2><table><tr><th>Application</th><th>Target</th><th>Finding</th>")
                .append(
                        "<th>Package or file</th><th>Source</th><th>Reason</th><th>Owner</th><th>Approved by</th><th>Expires</th>")
                .append("<th>Seen</th></tr>\n");
        for (History.Exception x : pack.exceptions()) {
            h.append("<tr><td>")
                    .append(esc(x.application()))
                    .append("</td><td>")
                    .append(esc(x.target()))
                    .append("</td><td>")
                    .append(esc(x.findingId()))
                    .append("</td><td>")
                    .append(esc(x.subject()))
                    .append("</td><td>")
                    .append(esc(x.source()))
                    .append("</td><td>")
                    .append(esc(x.reason()))
                    .append("</td><td>")
                    .append(x.owner() == null ? "not recorded" : esc(x.owner()))
                    .append("</td><td>")
                    .append(x.approvedBy() == null ? "not recorded" : esc(x.approvedBy()))
                    .append("</td><td>")
                    .append(x.expires() == null ? "never" : esc(x.expires()))
                    .append("</td><td>")
                    .append(esc(x.seenAt().toString()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>SOC 2 Trust Services Criteria</h2><p>")
                .append(esc(pack.criteria().source()))
                .append("</p>\n");
        for (Soc2Criteria.Criterion c : pack.criteria().criteria()) {
            h.append("<h3>")
                    .append(esc(c.id()))
                    .append(": ")
                    .append(esc(c.title()))
                    .append("</h3><ul>");
            for (String p : c.processes()) {
                h.append("<li>").append(esc(p)).append("</li>");
            }
            h.append("</ul>");
            if (!c.checks().isEmpty()) {
                h.append("<table><tr><th>Check</th><th>Title</th><th>References</th></tr>");
                for (CheckMetadata check : c.checks()) {
                    h.append("<tr><td>")
                            .append(esc(check.id()))
                            .append("</td><td>")
                            .append(esc(check.title()))
                            .append("</td><td>")
                            .append(esc(String.join("; ", check.references())))
                            .append("</td></tr>");
                }
                h.append("</table>\n");
            }
        }
        if (!pack.problems().isEmpty()) {
            h.append("<h2>What could not be read</h2><ul>");
            pack.problems().forEach(p -> h.append("<li>").append(esc(p)).append("</li>"));
            h.append("</ul>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    /** Bars per severity: fixed on time, fixed late, open within the deadline, open overdue. */
    private static String chart(EvidencePack pack) {
        Map<Severity, int[]> bySeverity = new EnumMap<>(Severity.class);
        for (EvidencePack.SlaEntry e : pack.sla()) {
            bySeverity
                    .computeIfAbsent(e.sighting().severity(), s -> new int[4])[
                    e.status().ordinal()]++;
        }
        if (bySeverity.isEmpty()) {
            return "<p>No finding with a patch deadline in the period.</p>\n";
        }
        String[] colours = {"#1b7f3b", "#b00020", "#5b8def", "#e36209"};
        String[] labels = {"fixed on time", "fixed late", "open, within deadline", "open, overdue"};
        int max = 1;
        for (int[] c : bySeverity.values()) {
            max = Math.max(max, c[0] + c[1] + c[2] + c[3]);
        }
        StringBuilder svg = new StringBuilder();
        int rowHeight = 28;
        int rows = 0;
        svg.append("<svg role=\"img\" width=\"640\" height=\"")
                .append(rowHeight * (bySeverity.size() + 1) + 10)
                .append("\" aria-label=\"Patch SLA by severity\">");
        for (Severity severity : WITH_DEADLINES) {
            int[] c = bySeverity.get(severity);
            if (c == null) {
                continue;
            }
            int y = 10 + rows * rowHeight;
            svg.append("<text x=\"0\" y=\"")
                    .append(y + 15)
                    .append("\" font-size=\"12\">")
                    .append(severity.name())
                    .append("</text>");
            double x = 90;
            for (int i = 0; i < 4; i++) {
                double width = 500.0 * c[i] / max;
                if (c[i] > 0) {
                    svg.append("<rect x=\"")
                            .append(String.format(java.util.Locale.ROOT, "%.1f", x))
                            .append("\" y=\"")
                            .append(y)
                            .append("\" width=\"")
                            .append(String.format(java.util.Locale.ROOT, "%.1f", width))
                            .append("\" height=\"20\" fill=\"")
                            .append(colours[i])
                            .append("\"><title>")
                            .append(c[i])
                            .append(' ')
                            .append(labels[i])
                            .append("</title></rect>");
                }
                x += width;
            }
            svg.append("<text x=\"")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", x + 6))
                    .append("\" y=\"")
                    .append(y + 15)
                    .append("\" font-size=\"12\">")
                    .append(c[0] + c[1] + c[2] + c[3])
                    .append("</text>");
            rows++;
        }
        int legendY = 10 + rows * rowHeight + 12;
        for (int i = 0; i < 4; i++) {
            svg.append("<rect x=\"")
                    .append(90 + i * 135)
                    .append("\" y=\"")
                    .append(legendY - 10)
                    .append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(colours[i])
                    .append("\"/>")
                    .append("<text x=\"")
                    .append(104 + i * 135)
                    .append("\" y=\"")
                    .append(legendY)
                    .append("\" font-size=\"11\">")
                    .append(labels[i])
                    .append("</text>");
        }
        return svg.append("</svg>\n").toString();
    }

    private static String td(long n) {
        return "<td class=\"num\">" + n + "</td>";
    }

    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(Character.isISOControl(c) && c != '\n' && c != '\t' ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}
