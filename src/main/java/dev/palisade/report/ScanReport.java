package dev.palisade.report;

import dev.palisade.checks.Misconfiguration;
import dev.palisade.inventory.Inventory;
import dev.palisade.match.Finding;
import dev.palisade.match.Suppressions;
import dev.palisade.source.Problem;
import dev.palisade.source.host.ListeningSockets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Everything one scan produced, as the writers see it.
 *
 * @param vulnerabilities the findings to report (already filtered by severity and status), or null
 *     when vulnerabilities were not scanned
 * @param suppressed findings left out by an ignore file or a VEX document, with the reason
 * @param problems what could not be read or matched, beyond the inventory's own problems
 * @param database where the advisories came from, when vulnerabilities were scanned
 * @param misconfigurations what the configuration checks found, or null when they did not run
 * @param listeningSockets what a live host listens on, and who holds it (empty for other artifacts)
 */
public record ScanReport(Inventory inventory, @Nullable List<Finding> vulnerabilities, List<Suppressions.Suppressed> suppressed,
        List<Problem> problems, @Nullable DatabaseInfo database, Instant createdAt, String toolVersion,
        @Nullable List<Misconfiguration> misconfigurations, List<SuppressedCheck> suppressedMisconfigurations,
        List<ListeningSockets.Socket> listeningSockets) {

    /** A configuration check finding that an ignore file set aside, and why. */
    public record SuppressedCheck(Misconfiguration misconfiguration, String reason) {}


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
        misconfigurations = misconfigurations == null ? null : List.copyOf(misconfigurations);
        suppressedMisconfigurations = List.copyOf(suppressedMisconfigurations);
        listeningSockets = List.copyOf(listeningSockets);
    }

    /** An inventory-only report. */
    public static ScanReport inventoryOnly(Inventory inventory, Instant createdAt, String toolVersion) {
        return new ScanReport(inventory, null, List.of(), List.of(), null, createdAt, toolVersion, null, List.of(), List.of());
    }

    /** The same report with the configuration checks' findings (sorted by severity, then place). */
    public ScanReport withMisconfigurations(List<Misconfiguration> found) {
        return withMisconfigurations(found, List.of());
    }

    public ScanReport withMisconfigurations(List<Misconfiguration> found, List<SuppressedCheck> suppressedChecks) {
        List<Misconfiguration> sorted = new ArrayList<>(found);
        sorted.sort(java.util.Comparator.comparing((Misconfiguration m) -> m.check().severity())
                .thenComparing(Misconfiguration::path).thenComparingInt(Misconfiguration::line)
                .thenComparing(m -> m.check().id()).thenComparing(Misconfiguration::keyPath));
        return new ScanReport(inventory, vulnerabilities, suppressed, problems, database, createdAt, toolVersion, sorted, suppressedChecks, listeningSockets);
    }

    /** The same report with more problems. */
    public ScanReport withProblems(List<Problem> more) {
        List<Problem> all = new ArrayList<>(problems);
        all.addAll(more);
        return new ScanReport(inventory, vulnerabilities, suppressed, all, database, createdAt, toolVersion, misconfigurations,
                suppressedMisconfigurations, listeningSockets);
    }

    /** The same report with the sockets a live host listens on. */
    public ScanReport withListeningSockets(List<ListeningSockets.Socket> sockets) {
        return new ScanReport(inventory, vulnerabilities, suppressed, problems, database, createdAt, toolVersion, misconfigurations,
                suppressedMisconfigurations, sockets);
    }

    public Optional<List<Misconfiguration>> misconfigurationsOptional() {
        return Optional.ofNullable(misconfigurations);
    }

    public Optional<List<Finding>> findings() {
        return Optional.ofNullable(vulnerabilities);
    }

    /** The inventory's problems and the scan's, together. */
    public List<Problem> allProblems() {
        List<Problem> all = new ArrayList<>(inventory.problems());
        all.addAll(problems);
        return all;
    }
}
