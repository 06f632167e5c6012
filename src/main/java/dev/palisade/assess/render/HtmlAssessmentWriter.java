package dev.palisade.assess.render;

import dev.palisade.assess.Assessment;
import dev.palisade.assess.ModelData;
import dev.palisade.assess.SecurityProfile;
import dev.palisade.match.Severity;
import dev.palisade.source.DeploymentModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The assessment as one self-contained HTML file: inline CSS and SVG, no script, nothing loaded from
 * anywhere (source pages are shown as text, not links), every string from an artifact escaped.
 */
final class HtmlAssessmentWriter {
    private static final String CSS =
            "body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1d2430;max-width:1200px}"
                    + "h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccd}table{border-collapse:collapse;margin:.6em 0}"
                    + "th,td{border:1px solid #ccd;padding:.25em .55em;text-align:right}th:first-child,td:first-child{text-align:left}"
                    + "td.text{text-align:left}.blocked{color:#a4161a;font-weight:600}.ok{color:#2b7a0b;font-weight:600}"
                    + ".unknown{color:#6c757d}.rec{background:#eef4ff;padding:.6em 1em;border-left:4px solid #3a6ff7}"
                    + "svg text{font:12px system-ui,sans-serif}code{font-size:.92em}";
    private static final List<String> COLOURS = List.of("#c0392b", "#e67e22", "#2e86de");

    private final StringBuilder out = new StringBuilder();

    void write(Assessment assessment, OutputStream stream) throws IOException {
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                        + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
                        + "<title>Portfolio assessment</title><style>")
                .append(CSS)
                .append("</style></head><body>\n<h1>Portfolio assessment</h1>\n");
        totals(assessment.totals());
        ranking(assessment.ranking());
        for (Assessment.ApplicationAssessment a : assessment.applications()) {
            application(a);
        }
        responsibility(assessment.data());
        out.append("</body></html>\n");
        stream.write(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void totals(Assessment.Totals t) {
        out.append("<h2>Portfolio totals</h2><table><tr><th></th><th>now</th><th>after recommendations</th></tr>");
        totalRow("applications", t.applications(), t.applications());
        totalRow("OS packages to patch", t.osPackagesNow(), t.osPackagesAfter());
        totalRow("vulnerabilities", t.vulnerabilitiesNow(), t.vulnerabilitiesAfter());
        totalRow("known exploited", t.knownExploitedNow(), t.knownExploitedAfter());
        totalRow("network services", t.networkServicesNow(), t.networkServicesAfter());
        totalRow("risk score", t.riskScoreNow(), t.riskScoreAfter());
        out.append("</table>\n");
    }

    private void totalRow(String label, @Nullable Integer now, @Nullable Integer after) {
        out.append("<tr><td>").append(label).append("</td>");
        cells(now, after);
        out.append("</tr>");
    }

    private void ranking(List<Assessment.Migration> ranking) {
        out.append("<h2>Ranking by risk removed</h2>");
        int max = Math.max(
                1,
                ranking.stream()
                        .mapToInt(m -> Math.max(0, m.reduction().riskScore()))
                        .max()
                        .orElse(1));
        int height = 24 * ranking.size() + 10;
        out.append("<svg role=\"img\" aria-label=\"risk removed per migration\" width=\"760\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 760 ")
                .append(height)
                .append("\">");
        int y = 5;
        for (Assessment.Migration m : ranking) {
            int width = (int) Math.round(440.0 * Math.max(0, m.reduction().riskScore()) / max);
            out.append("<text x=\"0\" y=\"")
                    .append(y + 15)
                    .append("\">")
                    .append(escape(m.application() + ": " + name(m.from()) + " \u2192 " + name(m.to())))
                    .append("</text><rect x=\"250\" y=\"")
                    .append(y + 2)
                    .append("\" width=\"")
                    .append(width)
                    .append("\" height=\"17\" fill=\"")
                    .append(m.blocked() || !m.examined() ? "#adb5bd" : "#2e86de")
                    .append("\"/>")
                    .append("<text x=\"")
                    .append(256 + width)
                    .append("\" y=\"")
                    .append(y + 15)
                    .append("\">")
                    .append(m.reduction().riskScore())
                    .append(m.blocked() ? " (blocked)" : m.examined() ? "" : " (unknown)")
                    .append("</text>");
            y += 24;
        }
        out.append(
                "</svg><table><tr><th>#</th><th>application</th><th>move</th><th>risk removed</th>"
                        + "<th>fewer OS packages</th><th>fewer vulnerabilities</th><th>fewer network services</th><th>status</th></tr>");
        int rank = 1;
        for (Assessment.Migration m : ranking) {
            out.append("<tr><td>")
                    .append(rank++)
                    .append("</td><td class=\"text\">")
                    .append(escape(m.application()))
                    .append("</td><td class=\"text\">")
                    .append(name(m.from()))
                    .append(" \u2192 ")
                    .append(name(m.to()))
                    .append("</td><td>")
                    .append(m.reduction().riskScore())
                    .append("</td><td>")
                    .append(m.reduction().osPackages())
                    .append("</td><td>")
                    .append(m.reduction().vulnerabilities())
                    .append("</td><td>")
                    .append(
                            m.reduction().networkServices() == null
                                    ? "<span class=\"unknown\">unknown</span>"
                                    : m.reduction().networkServices())
                    .append("</td><td class=\"")
                    .append(m.blocked() ? "blocked\">blocked" : m.examined() ? "ok\">possible" : "unknown\">unknown")
                    .append("</td></tr>");
        }
        out.append("</table>\n");
    }

    private void application(Assessment.ApplicationAssessment a) {
        out.append("<h2>").append(escape(a.name())).append("</h2>");
        if (a.owner() != null) {
            out.append("<p>Owner: ").append(escape(a.owner())).append("</p>");
        }
        out.append("<p class=\"rec\"><strong>Recommendation:</strong> ")
                .append(escape(a.recommendation().summary()))
                .append("</p>");
        chart(a);
        out.append(
                "<table><tr><th>model</th><th>artifact</th><th>OS packages</th><th>libraries</th><th>critical</th>"
                        + "<th>high</th><th>medium</th><th>low</th><th>KEV</th><th>overdue</th><th>network services</th><th>daemons</th>"
                        + "<th>root</th><th>capabilities</th><th>IAM wildcards</th><th>hardening</th><th>secrets</th><th>risk</th></tr>");
        for (SecurityProfile p : a.profiles()) {
            out.append("<tr><td>")
                    .append(name(p.model()))
                    .append("</td><td class=\"text\"><code>")
                    .append(escape(p.artifact()))
                    .append("</code></td>");
            cells(p.osPackages(), p.applicationLibraries());
            if (p.vulnerabilities() == null) {
                out.append("<td colspan=\"4\" class=\"unknown\">not scanned</td>");
            } else {
                cells(
                        p.vulnerabilities(Severity.CRITICAL),
                        p.vulnerabilities(Severity.HIGH),
                        p.vulnerabilities(Severity.MEDIUM),
                        p.vulnerabilities(Severity.LOW));
            }
            cells(p.knownExploited(), p.overdue(), p.networkServiceCount());
            out.append("<td>")
                    .append(p.daemons() == null ? "<span class=\"unknown\">unknown</span>" : p.daemons())
                    .append("</td>");
            out.append("<td>")
                    .append(
                            p.runsAsRoot() == null
                                    ? "<span class=\"unknown\">unknown</span>"
                                    : p.runsAsRoot() ? "yes" : "no")
                    .append("</td>");
            cells(p.capabilities(), p.iamWildcards(), p.hardeningFindings(), p.secrets(), p.riskScore());
            out.append("</tr>");
        }
        out.append("</table><ul>");
        for (SecurityProfile p : a.profiles()) {
            out.append("<li>")
                    .append(name(p.model()))
                    .append(": team patches ")
                    .append(escape(String.join(", ", p.team())))
                    .append("; provider patches ")
                    .append(escape(String.join(", ", p.provider())));
            if (p.networkServices() != null && !p.networkServices().isEmpty()) {
                out.append("<ul>");
                for (String s : p.networkServices()) {
                    out.append("<li>listens: <code>").append(escape(s)).append("</code></li>");
                }
                out.append("</ul>");
            }
            out.append("</li>");
        }
        out.append("</ul>");
        for (Assessment.ModelCheck check : a.checks()) {
            out.append("<h3>As a ")
                    .append(name(check.target()))
                    .append(": <span class=\"")
                    .append(
                            check.blocked()
                                    ? "blocked\">" + check.blockers().size() + " blocker(s)"
                                    : check.examined()
                                            ? "ok\">no blocker found"
                                            : "unknown\">unknown: no evidence about its blockers read")
                    .append("</span></h3><ul>");
            for (Assessment.Blocker b : check.blockers()) {
                out.append("<li><span class=\"blocked\">")
                        .append(escape(b.kind()))
                        .append("</span>: ")
                        .append(escape(b.detail()))
                        .append(" \u2014 <code>")
                        .append(escape(b.evidence()))
                        .append("</code></li>");
            }
            for (String u : check.unknown()) {
                out.append("<li class=\"unknown\">").append(escape(u)).append("</li>");
            }
            out.append("</ul>");
        }
        out.append('\n');
    }

    /** One group of bars per measure, one bar per model the application has an artifact for. */
    private void chart(Assessment.ApplicationAssessment a) {
        List<String> labels = List.of("OS packages", "vulnerabilities", "network services", "risk score");
        List<Function<SecurityProfile, @Nullable Integer>> measures = List.of(
                SecurityProfile::osPackages,
                SecurityProfile::vulnerabilityCount,
                SecurityProfile::networkServiceCount,
                SecurityProfile::riskScore);
        int rowHeight = 16 * Math.max(1, a.profiles().size()) + 14;
        int height = rowHeight * labels.size() + 30;
        out.append("<svg role=\"img\" aria-label=\"models compared\" width=\"760\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 760 ")
                .append(height)
                .append("\">");
        int y = 4;
        for (int i = 0; i < labels.size(); i++) {
            Function<SecurityProfile, @Nullable Integer> measure = measures.get(i);
            int max = Math.max(
                    1,
                    a.profiles().stream()
                            .map(measure)
                            .filter(Objects::nonNull)
                            .mapToInt(Integer::intValue)
                            .max()
                            .orElse(1));
            out.append("<text x=\"0\" y=\"")
                    .append(y + 13)
                    .append("\">")
                    .append(labels.get(i))
                    .append("</text>");
            for (SecurityProfile p : a.profiles()) {
                Integer value = measure.apply(p);
                int width = value == null ? 0 : (int) Math.round(440.0 * value / max);
                out.append("<rect x=\"150\" y=\"")
                        .append(y + 2)
                        .append("\" width=\"")
                        .append(width)
                        .append("\" height=\"13\" fill=\"")
                        .append(colour(p.model()))
                        .append("\"/><text x=\"")
                        .append(156 + width)
                        .append("\" y=\"")
                        .append(y + 13)
                        .append("\">")
                        .append(name(p.model()))
                        .append(' ')
                        .append(value == null ? "unknown" : value)
                        .append("</text>");
                y += 16;
            }
            y += 14;
        }
        out.append("</svg>");
    }

    private void responsibility(ModelData data) {
        out.append("<h2>Who patches what</h2><table><tr><th>layer</th>");
        List<DeploymentModel> models = List.of(DeploymentModel.VM, DeploymentModel.CONTAINER, DeploymentModel.FUNCTION);
        for (DeploymentModel m : models) {
            out.append("<th>")
                    .append(name(m))
                    .append(" (")
                    .append(escape(data.responsibility(m).example()))
                    .append(")</th>");
        }
        out.append("</tr>");
        for (String layer : data.layers()) {
            out.append("<tr><td>").append(escape(layer)).append("</td>");
            for (DeploymentModel m : models) {
                boolean team = data.responsibility(m).team().contains(layer);
                out.append("<td class=\"text\">")
                        .append(team ? "team" : "provider")
                        .append("</td>");
            }
            out.append("</tr>");
        }
        out.append("</table><p>Sources (copy into a browser; this file loads nothing):</p><ul>");
        for (DeploymentModel m : models) {
            for (String source : data.responsibility(m).sources()) {
                out.append("<li><code>").append(escape(source)).append("</code></li>");
            }
        }
        for (String source : data.function().sources()) {
            out.append("<li><code>").append(escape(source)).append("</code></li>");
        }
        out.append("</ul>\n");
    }

    private void cells(@Nullable Integer... values) {
        for (Integer v : values) {
            out.append("<td>")
                    .append(v == null ? "<span class=\"unknown\">unknown</span>" : v)
                    .append("</td>");
        }
    }

    private static String colour(DeploymentModel model) {
        return switch (model) {
            case VM -> COLOURS.get(0);
            case CONTAINER -> COLOURS.get(1);
            default -> COLOURS.get(2);
        };
    }

    private static String name(DeploymentModel model) {
        return JsonAssessmentWriter.name(model);
    }

    /** Text for an element or a quoted attribute. */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        b.append("&#xFFFD;");
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
