package dev.palisade.report;

import dev.palisade.checks.Misconfiguration;
import dev.palisade.inventory.Inventory;
import dev.palisade.match.Finding;
import dev.palisade.match.PatchAge;
import dev.palisade.match.Severity;
import dev.palisade.policy.ResultPolicy;
import dev.palisade.policy.Suppressions;
import dev.palisade.source.Problem;
import dev.palisade.source.host.ListeningSockets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The report model: everything one scan produced after the policy, computed once (patch ages,
 * counts, order), as every writer sees it. Writers are views of it; they decide nothing.
 *
 * @param vulnerabilities the findings to report (already suppressed and filtered), or null when
 *     vulnerabilities were not scanned
 * @param suppressed findings left out by an ignore file or a VEX document, with the reason
 * @param problems what could not be read, matched or checked, beyond the inventory's own problems
 * @param database where the advisories came from, when vulnerabilities were scanned
 * @param missingData OSV ecosystems the packages needed and the database has no data for
 * @param misconfigurations what the checks found (secrets included), sorted, or null when none ran
 * @param listeningSockets what a live host listens on, and who holds it (empty for other artifacts)
 * @param patchAges each reported or suppressed finding's patch age, by {@link Finding#key()}
 * @param counts reported findings and check findings per severity
 */
public record ScanReport(
        Inventory inventory,
        @Nullable List<Finding> vulnerabilities,
        List<Suppressions.Suppressed> suppressed,
        List<Problem> problems,
        @Nullable DatabaseInfo database,
        List<String> missingData,
        Instant createdAt,
        String toolVersion,
        @Nullable List<Misconfiguration> misconfigurations,
        List<ResultPolicy.SuppressedCheck> suppressedMisconfigurations,
        List<ListeningSockets.Socket> listeningSockets,
        Map<String, PatchAge> patchAges,
        Map<Severity, Integer> counts) {

    /** The vulnerability database a scan used. */
    public record DatabaseInfo(String builtAt, List<String> sources) {
        public DatabaseInfo {
            sources = List.copyOf(sources);
        }
    }

    public ScanReport {
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(toolVersion, "toolVersion");
        vulnerabilities = vulnerabilities == null ? null : List.copyOf(vulnerabilities);
        suppressed = List.copyOf(suppressed);
        problems = List.copyOf(problems);
        missingData = List.copyOf(missingData);
        misconfigurations = misconfigurations == null ? null : List.copyOf(misconfigurations);
        suppressedMisconfigurations = List.copyOf(suppressedMisconfigurations);
        listeningSockets = List.copyOf(listeningSockets);
        patchAges = Map.copyOf(patchAges);
        counts = Map.copyOf(counts);
    }

    /**
     * The model of a result under a policy's outcome: secret values redacted from every text, check
     * findings sorted, patch ages and counts computed once.
     */
    public static ScanReport of(
            Inventory found,
            ResultPolicy.Outcome outcome,
            List<Problem> foundProblems,
            @Nullable DatabaseInfo database,
            List<String> missingData,
            List<ListeningSockets.Socket> sockets,
            Instant createdAt,
            String toolVersion) {
        Inventory inventory = ReportRedaction.inventory(found);
        List<Problem> problems = ReportRedaction.problems(foundProblems);
        List<Misconfiguration> checks = null;
        if (outcome.misconfigurations() != null) {
            checks = ReportRedaction.misconfigurations(outcome.misconfigurations());
            checks.sort(Comparator.comparing((Misconfiguration m) -> m.check().severity())
                    .thenComparing(Misconfiguration::path)
                    .thenComparingInt(Misconfiguration::line)
                    .thenComparing(m -> m.check().id())
                    .thenComparing(Misconfiguration::keyPath));
        }
        Map<String, PatchAge> ages = new HashMap<>();
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Finding f : outcome.findingsOptional().orElse(List.of())) {
            PatchAge.of(f, createdAt).ifPresent(age -> ages.put(f.key(), age));
            counts.merge(f.severity(), 1, Integer::sum);
        }
        for (Suppressions.Suppressed s : outcome.suppressedFindings()) {
            PatchAge.of(s.finding(), createdAt)
                    .ifPresent(age -> ages.put(s.finding().key(), age));
        }
        for (Misconfiguration m : checks == null ? List.<Misconfiguration>of() : checks) {
            counts.merge(m.check().severity(), 1, Integer::sum);
        }
        List<Finding> findings = outcome.findings() == null ? null : ReportRedaction.findings(outcome.findings());
        List<Suppressions.Suppressed> suppressed = outcome.suppressedFindings().stream()
                .map(s -> s.withFinding(
                        s.finding().withPackage(ReportRedaction.pkg(s.finding().pkg()))))
                .toList();
        return new ScanReport(
                inventory,
                findings,
                suppressed,
                problems,
                database,
                missingData,
                createdAt,
                toolVersion,
                checks,
                outcome.suppressedMisconfigurations(),
                sockets,
                ages,
                counts);
    }

    /** Check findings as every report shows them: secret values in their messages redacted (for what stores them). */
    public static @Nullable List<Misconfiguration> redacted(@Nullable List<Misconfiguration> found) {
        return found == null ? null : List.copyOf(ReportRedaction.misconfigurations(found));
    }

    /** An inventory-only report. */
    public static ScanReport inventoryOnly(Inventory inventory, Instant createdAt, String toolVersion) {
        return of(
                inventory,
                ResultPolicy.reportAll().apply(null, null),
                List.of(),
                null,
                List.of(),
                List.of(),
                createdAt,
                toolVersion);
    }

    public Optional<List<Misconfiguration>> misconfigurationsOptional() {
        return Optional.ofNullable(misconfigurations);
    }

    public Optional<List<Finding>> findings() {
        return Optional.ofNullable(vulnerabilities);
    }

    public Optional<PatchAge> patchAge(Finding finding) {
        return Optional.ofNullable(patchAges.get(finding.key()));
    }

    /** The inventory's problems and the scan's, together. */
    public List<Problem> allProblems() {
        List<Problem> all = new ArrayList<>(inventory.problems());
        all.addAll(problems);
        return all;
    }
}
