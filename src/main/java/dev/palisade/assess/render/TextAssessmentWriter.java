package dev.palisade.assess.render;

import dev.palisade.assess.Assessment;
import dev.palisade.assess.ModelData;
import dev.palisade.assess.SecurityProfile;
import dev.palisade.match.Severity;
import dev.palisade.report.TerminalText;
import dev.palisade.source.DeploymentModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The assessment as a terminal table or as Markdown: the same rows, two notations. */
final class TextAssessmentWriter {
    private static final List<String> PROFILE_COLUMNS = List.of(
            "model",
            "OS packages",
            "libraries",
            "vulns C/H/M/L",
            "KEV",
            "overdue",
            "network services",
            "daemons",
            "root",
            "capabilities",
            "IAM wildcards",
            "hardening",
            "secrets",
            "risk");

    private final boolean markdown;
    private final StringBuilder out = new StringBuilder();

    TextAssessmentWriter(boolean markdown) {
        this.markdown = markdown;
    }

    void write(Assessment assessment, OutputStream stream) throws IOException {
        heading(1, "Portfolio assessment");
        for (Assessment.ApplicationAssessment a : assessment.applications()) {
            heading(2, "Application " + a.name() + (a.owner() == null ? "" : " (owner " + a.owner() + ")"));
            List<List<String>> rows = new ArrayList<>();
            for (SecurityProfile p : a.profiles()) {
                rows.add(List.of(
                        JsonAssessmentWriter.name(p.model()),
                        String.valueOf(p.osPackages()),
                        String.valueOf(p.applicationLibraries()),
                        p.vulnerabilities() == null
                                ? "not scanned"
                                : p.vulnerabilityCount() + " (" + p.vulnerabilities(Severity.CRITICAL) + "/"
                                        + p.vulnerabilities(Severity.HIGH) + "/" + p.vulnerabilities(Severity.MEDIUM)
                                        + "/" + p.vulnerabilities(Severity.LOW) + ")",
                        String.valueOf(p.knownExploited()),
                        String.valueOf(p.overdue()),
                        known(p.networkServiceCount()),
                        p.daemons() == null ? "unknown" : String.valueOf(p.daemons()),
                        p.runsAsRoot() == null ? "unknown" : p.runsAsRoot() ? "yes" : "no",
                        known(p.capabilities()),
                        known(p.iamWildcards()),
                        known(p.hardeningFindings()),
                        known(p.secrets()),
                        String.valueOf(p.riskScore())));
            }
            table(PROFILE_COLUMNS, rows);
            for (SecurityProfile p : a.profiles()) {
                line("- " + JsonAssessmentWriter.name(p.model()) + ": " + p.artifact());
                for (String service : p.networkServices() == null ? List.<String>of() : p.networkServices()) {
                    line("  - listens: " + service);
                }
                line("  - team patches: " + String.join(", ", p.team()) + "; provider patches: "
                        + String.join(", ", p.provider()));
            }
            blank();
            line((markdown ? "**Recommendation:** " : "Recommendation: ")
                    + a.recommendation().summary());
            for (Assessment.ModelCheck check : a.checks()) {
                String model = JsonAssessmentWriter.name(check.target());
                line("- " + model + ": "
                        + (check.blocked()
                                ? check.blockers().size() + " blocker(s)"
                                : check.examined()
                                        ? "no blocker found"
                                        : "unknown: no evidence about its blockers read"));
                for (Assessment.Blocker b : check.blockers()) {
                    line("  - blocker (" + b.kind() + "): " + b.detail() + " [" + b.evidence() + "]");
                }
                for (String u : check.unknown()) {
                    line("  - " + u);
                }
            }
            blank();
        }
        heading(2, "Portfolio totals");
        Assessment.Totals t = assessment.totals();
        table(
                List.of("", "now", "after recommendations"),
                List.of(
                        List.of("applications", String.valueOf(t.applications()), String.valueOf(t.applications())),
                        List.of(
                                "OS packages to patch",
                                String.valueOf(t.osPackagesNow()),
                                String.valueOf(t.osPackagesAfter())),
                        List.of(
                                "vulnerabilities",
                                String.valueOf(t.vulnerabilitiesNow()),
                                String.valueOf(t.vulnerabilitiesAfter())),
                        List.of(
                                "known exploited",
                                String.valueOf(t.knownExploitedNow()),
                                String.valueOf(t.knownExploitedAfter())),
                        List.of("network services", known(t.networkServicesNow()), known(t.networkServicesAfter())),
                        List.of("risk score", String.valueOf(t.riskScoreNow()), String.valueOf(t.riskScoreAfter()))));
        heading(2, "Ranking by risk removed");
        List<List<String>> ranking = new ArrayList<>();
        int rank = 1;
        for (Assessment.Migration m : assessment.ranking()) {
            ranking.add(List.of(
                    String.valueOf(rank++),
                    m.application(),
                    JsonAssessmentWriter.name(m.from()) + " -> " + JsonAssessmentWriter.name(m.to()),
                    String.valueOf(m.reduction().riskScore()),
                    String.valueOf(m.reduction().osPackages()),
                    String.valueOf(m.reduction().vulnerabilities()),
                    known(m.reduction().networkServices()),
                    m.blocked() ? "blocked" : m.examined() ? "possible" : "unknown"));
        }
        table(
                List.of(
                        "#",
                        "application",
                        "move",
                        "risk removed",
                        "fewer OS packages",
                        "fewer vulns",
                        "fewer services",
                        "status"),
                ranking);
        heading(2, "Who patches what");
        for (DeploymentModel model : List.of(DeploymentModel.VM, DeploymentModel.CONTAINER, DeploymentModel.FUNCTION)) {
            ModelData.Responsibility r = assessment.data().responsibility(model);
            line("- " + JsonAssessmentWriter.name(model) + " (" + r.example() + "): team " + String.join(", ", r.team())
                    + "; provider " + String.join(", ", r.provider()) + ". Sources: " + String.join(" ", r.sources()));
        }
        stream.write(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String known(@Nullable Integer count) {
        return count == null ? "unknown" : String.valueOf(count);
    }

    private void heading(int level, String text) {
        if (markdown) {
            out.append("#".repeat(level)).append(' ').append(cell(text)).append("\n\n");
        } else {
            out.append(cell(text))
                    .append('\n')
                    .append((level == 1 ? "=" : "-").repeat(Math.min(80, text.length())))
                    .append("\n");
        }
    }

    private void line(String text) {
        out.append(cell(text)).append('\n');
    }

    private void blank() {
        out.append('\n');
    }

    private void table(List<String> header, List<List<String>> rows) {
        if (markdown) {
            out.append("| ")
                    .append(String.join(" | ", header.stream().map(this::cell).toList()))
                    .append(" |\n");
            out.append("|").append(" --- |".repeat(header.size())).append('\n');
            for (List<String> row : rows) {
                out.append("| ")
                        .append(String.join(" | ", row.stream().map(this::cell).toList()))
                        .append(" |\n");
            }
            out.append('\n');
            return;
        }
        int[] widths = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], cell(row.get(i)).length());
            }
        }
        row(header, widths);
        for (List<String> row : rows) {
            row(row, widths);
        }
        out.append('\n');
    }

    private void row(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cell(cells.get(i));
            line.append(c).append(" ".repeat(widths[i] - c.length() + 2));
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    /** Text from artifacts: control characters made visible; in Markdown, table and HTML syntax neutralised. */
    private String cell(String text) {
        String escaped = TerminalText.escape(text);
        if (!markdown) {
            return escaped;
        }
        return escaped.replace("\\", "\\\\")
                .replace("|", "\\|")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("`", "\\`");
    }
}
