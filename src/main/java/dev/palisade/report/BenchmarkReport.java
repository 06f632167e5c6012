package dev.palisade.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.CheckMetadata;
import dev.palisade.checks.Misconfiguration;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One benchmark profile run on one artifact: every check of the profile with its result, so that a
 * team sees what was covered and not only what failed. A check fails when it found something, passes
 * when it applied and found nothing, and is not applicable when the artifact lacks what it examines
 * (no SSH server, no package database, an unconfigured fstab).
 */
public record BenchmarkReport(
        CheckCatalog.Benchmark benchmark,
        String artifact,
        List<CheckResult> checks,
        Instant createdAt,
        String toolVersion) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    /** The three outcomes of a check. */
    public enum Outcome {
        PASS("pass"),
        FAIL("fail"),
        NOT_APPLICABLE("not-applicable");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A check of the profile, its outcome, and what it found when it failed. */
    public record CheckResult(CheckMetadata check, Outcome outcome, List<Misconfiguration> findings) {
        public CheckResult {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(outcome, "outcome");
            findings = List.copyOf(findings);
        }
    }

    public BenchmarkReport {
        Objects.requireNonNull(benchmark, "benchmark");
        checks = List.copyOf(checks);
    }

    /**
     * @param found what the checks found on the artifact (findings of checks outside the profile are left out)
     * @param applicable the ids of the checks that applied to the artifact
     */
    public static BenchmarkReport of(
            CheckCatalog catalog,
            CheckCatalog.Benchmark benchmark,
            String artifact,
            Collection<Misconfiguration> found,
            Set<String> applicable,
            Instant createdAt,
            String toolVersion) {
        List<CheckResult> results = new ArrayList<>();
        for (CheckMetadata check : catalog.checksOf(benchmark)) {
            List<Misconfiguration> own = found.stream()
                    .filter(m -> m.check().id().equals(check.id()))
                    .toList();
            Outcome outcome = !own.isEmpty()
                    ? Outcome.FAIL
                    : applicable.contains(check.id()) ? Outcome.PASS : Outcome.NOT_APPLICABLE;
            results.add(new CheckResult(check, outcome, own));
        }
        return new BenchmarkReport(benchmark, artifact, results, createdAt, toolVersion);
    }

    public long count(Outcome outcome) {
        return checks.stream().filter(c -> c.outcome() == outcome).count();
    }

    public void writeJson(OutputStream out) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("tool", "palisade");
        root.put("version", toolVersion);
        root.put("createdAt", createdAt.toString());
        root.put("artifact", artifact);
        ObjectNode profile = root.putObject("benchmark");
        profile.put("id", benchmark.id());
        profile.put("title", benchmark.title());
        ObjectNode summary = root.putObject("summary");
        summary.put("pass", count(Outcome.PASS));
        summary.put("fail", count(Outcome.FAIL));
        summary.put("notApplicable", count(Outcome.NOT_APPLICABLE));
        ArrayNode checkArray = root.putArray("checks");
        for (CheckResult result : checks) {
            ObjectNode c = checkArray.addObject();
            c.put("id", result.check().id());
            c.put("title", result.check().title());
            c.put("severity", result.check().severity().name());
            c.put("result", result.outcome().label());
            ArrayNode references = c.putArray("references");
            result.check().references().forEach(references::add);
            ArrayNode findings = c.putArray("findings");
            for (Misconfiguration m : result.findings()) {
                ObjectNode f = findings.addObject();
                f.put("path", m.path());
                f.put("line", m.line());
                f.put("message", m.message());
            }
        }
        JSON.writeValue(out, root);
        out.write('\n');
    }

    public void writeTable(OutputStream stream) {
        PrintStream out = new PrintStream(stream, false, StandardCharsets.UTF_8);
        out.println("Benchmark: " + benchmark.id() + " (" + benchmark.title() + ")");
        out.println("Target:    " + TerminalText.escape(artifact));
        out.println();
        out.printf(Locale.ROOT, "%-9s %-15s %-9s %-60s %s%n", "ID", "RESULT", "SEVERITY", "TITLE", "REFERENCES");
        for (CheckResult result : checks) {
            CheckMetadata check = result.check();
            out.printf(
                    Locale.ROOT,
                    "%-9s %-15s %-9s %-60s %s%n",
                    check.id(),
                    result.outcome().label(),
                    check.severity(),
                    check.title(),
                    String.join("; ", check.references()));
            for (Misconfiguration m : result.findings()) {
                String where = m.line() > 0 ? m.path() + ":" + m.line() : m.path();
                out.println("          " + TerminalText.escape(where) + ": " + TerminalText.escape(m.message()));
            }
        }
        out.println();
        out.printf(
                Locale.ROOT,
                "%d checks: %d pass, %d fail, %d not applicable%n",
                checks.size(),
                count(Outcome.PASS),
                count(Outcome.FAIL),
                count(Outcome.NOT_APPLICABLE));
        out.flush();
    }
}
