package dev.palisade.scan;

import dev.palisade.checks.Misconfiguration;
import dev.palisade.inventory.Inventory;
import dev.palisade.match.Finding;
import dev.palisade.report.ScanReport;
import dev.palisade.source.Problem;
import dev.palisade.source.host.ListeningSockets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything one scan found, before any suppression or filter: the unit the report model is built
 * from, and that a server keeps and re-matches.
 *
 * @param inventory the packages, with the artifact's description and the problems met reading it
 * @param findings the vulnerabilities matched, or null when vulnerabilities were not scanned
 * @param misconfigurations what the checks found, or null when no check ran
 * @param secrets the secrets found, or null when secrets were not looked for
 * @param problems what could not be read, matched or checked, beyond the inventory's own
 * @param database the vulnerability database matched with, or null
 * @param missingData OSV ecosystems (with release) that packages of the inventory need and the
 *     database has no advisory for: for those, "no findings" means "not looked"
 * @param listeningSockets what a live host listens on
 * @param scannedAt when the scan ran
 * @param cutShort whether the scan stopped at its timeout: what it holds is what was read by then
 * @param applicableChecks the ids of the checks that applied to the artifact (a root file system's
 *     host checks: SSH checks need an SSH server, package checks a package database), sorted; checks
 *     not listed were not applicable, whatever they found
 */
public record ScanResult(
        Inventory inventory,
        @Nullable List<Finding> findings,
        @Nullable List<Misconfiguration> misconfigurations,
        @Nullable List<Misconfiguration> secrets,
        List<Problem> problems,
        ScanReport.@Nullable DatabaseInfo database,
        List<String> missingData,
        List<ListeningSockets.Socket> listeningSockets,
        Instant scannedAt,
        boolean cutShort,
        List<String> applicableChecks) {
    public ScanResult(
            Inventory inventory,
            @Nullable List<Finding> findings,
            @Nullable List<Misconfiguration> misconfigurations,
            @Nullable List<Misconfiguration> secrets,
            List<Problem> problems,
            ScanReport.@Nullable DatabaseInfo database,
            List<String> missingData,
            List<ListeningSockets.Socket> listeningSockets,
            Instant scannedAt,
            boolean cutShort) {
        this(
                inventory,
                findings,
                misconfigurations,
                secrets,
                problems,
                database,
                missingData,
                listeningSockets,
                scannedAt,
                cutShort,
                List.of());
    }

    public ScanResult {
        Objects.requireNonNull(inventory, "inventory");
        findings = findings == null ? null : List.copyOf(findings);
        misconfigurations = misconfigurations == null ? null : List.copyOf(misconfigurations);
        secrets = secrets == null ? null : List.copyOf(secrets);
        problems = List.copyOf(problems);
        missingData = List.copyOf(missingData);
        listeningSockets = List.copyOf(listeningSockets);
        Objects.requireNonNull(scannedAt, "scannedAt");
        applicableChecks = applicableChecks.stream().sorted().distinct().toList();
    }

    /** Check findings and secrets together, as the policy and the reports treat them; null when neither ran. */
    public @Nullable List<Misconfiguration> checkFindings() {
        if (misconfigurations == null && secrets == null) {
            return null;
        }
        List<Misconfiguration> all = new java.util.ArrayList<>();
        if (misconfigurations != null) {
            all.addAll(misconfigurations);
        }
        if (secrets != null) {
            all.addAll(secrets);
        }
        return all;
    }
}
