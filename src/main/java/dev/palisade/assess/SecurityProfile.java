package dev.palisade.assess;

import dev.palisade.inventory.Package;
import dev.palisade.match.Finding;
import dev.palisade.match.PatchAge;
import dev.palisade.match.Severity;
import dev.palisade.scan.ScanResult;
import dev.palisade.source.DeploymentModel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One application's attack surface and patch work in one deployment model, measured from the scan
 * of its artifact. A null count is unknown: the scan did not look (no check ran, secrets were not
 * looked for) or the artifact cannot show it; it is never taken for zero.
 *
 * @param artifact the artifact measured, or the targets' names when a server holds several in one model
 * @param osPackages OS packages in the artifact: what the team patches (0 for a function, whose OS is the provider's)
 * @param applicationLibraries packages of every other ecosystem (jars, npm, PyPI...)
 * @param vulnerabilities affected findings by severity; null when vulnerabilities were not scanned
 * @param knownExploited affected findings in CISA's KEV catalog
 * @param overdue affected findings past their patch deadline (critical 15 days, high 30, KEV due date): from
 *     the fix's publication for a one-shot scan, from the first sighting where a server has the history
 * @param networkServices what listens: a VM's enabled network services (name and ports), an image's
 *     EXPOSE, a port set in a function package's configuration; null when the evidence cannot show it
 * @param daemons services enabled at boot that keep running; null when the artifact cannot show them
 * @param runsAsRoot the image runs as root; null when not an image
 * @param capabilities check findings about added capabilities or privileged mode; null when no check ran
 * @param iamWildcards check findings about IAM wildcards and full-access policies (the function's template);
 *     null when no check ran
 * @param hardeningFindings every configuration check finding; null when no check ran
 * @param secrets secrets found in the artifact's files; null when secrets were not looked for
 * @param team the layers the team patches in this model
 * @param provider the layers the provider patches in this model
 */
public record SecurityProfile(
        DeploymentModel model,
        String artifact,
        int osPackages,
        int applicationLibraries,
        @Nullable Map<Severity, Integer> vulnerabilities,
        int knownExploited,
        int overdue,
        @Nullable List<String> networkServices,
        @Nullable Integer daemons,
        @Nullable Boolean runsAsRoot,
        @Nullable Integer capabilities,
        @Nullable Integer iamWildcards,
        @Nullable Integer hardeningFindings,
        @Nullable Integer secrets,
        List<String> team,
        List<String> provider) {
    /** Checks whose findings show added capabilities or privileged mode. */
    static final Set<String> CAPABILITY_CHECKS = Set.of("PAL-3001", "PAL-3004", "PAL-3101", "PAL-3104");
    /** Checks whose findings show IAM wildcards or full-access policies. */
    static final Set<String> IAM_CHECKS = Set.of("PAL-6001", "PAL-6002", "PAL-6003");

    public SecurityProfile {
        vulnerabilities = vulnerabilities == null ? null : Map.copyOf(vulnerabilities);
        networkServices = networkServices == null ? null : List.copyOf(networkServices);
        team = List.copyOf(team);
        provider = List.copyOf(provider);
    }

    /** One affected vulnerability as a profile counts it. */
    public record Vulnerability(Severity severity, boolean knownExploited, boolean overdue) {}

    /** Affected vulnerabilities of every severity; 0 when not scanned. */
    public int vulnerabilityCount() {
        return vulnerabilities == null
                ? 0
                : vulnerabilities.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int vulnerabilities(Severity severity) {
        return vulnerabilities == null ? 0 : vulnerabilities.getOrDefault(severity, 0);
    }

    /** How many network services listen; null when unknown. */
    public @Nullable Integer networkServiceCount() {
        return networkServices == null ? null : networkServices.size();
    }

    /**
     * A single number to rank by: 10 per critical, 5 per high, 2 per medium, 1 per low vulnerability,
     * 20 more per known exploited one, 3 per network service, 5 per secret, 1 per hardening finding.
     * What is unknown adds nothing: compare two profiles with {@link #riskScoreComparableWith}.
     */
    public int riskScore() {
        return riskScore(true, true, true);
    }

    /** The risk score over the parts known in both profiles, so that a difference is only ever measured. */
    public int riskScoreComparableWith(SecurityProfile other) {
        return riskScore(other.networkServices != null, other.secrets != null, other.hardeningFindings != null);
    }

    private int riskScore(boolean withServices, boolean withSecrets, boolean withHardening) {
        return 10 * vulnerabilities(Severity.CRITICAL)
                + 5 * vulnerabilities(Severity.HIGH)
                + 2 * vulnerabilities(Severity.MEDIUM)
                + vulnerabilities(Severity.LOW)
                + 20 * knownExploited
                + (withServices && networkServices != null ? 3 * networkServices.size() : 0)
                + (withSecrets && secrets != null ? 5 * secrets : 0)
                + (withHardening && hardeningFindings != null ? hardeningFindings : 0);
    }

    /** The profile of a scan result and the evidence read beside it. */
    public static SecurityProfile of(
            DeploymentModel model, ScanResult result, Evidence evidence, ModelData.Responsibility responsibility) {
        List<Vulnerability> vulnerabilities = null;
        if (result.findings() != null) {
            vulnerabilities = new ArrayList<>();
            for (Finding f : result.findings()) {
                if (f.status() == Finding.Status.AFFECTED) {
                    vulnerabilities.add(new Vulnerability(
                            f.severity(),
                            f.kev() != null,
                            PatchAge.of(f, result.scannedAt())
                                    .map(PatchAge::overdue)
                                    .orElse(false)));
                }
            }
        }
        List<String> checks = result.misconfigurations() == null
                ? null
                : result.misconfigurations().stream().map(m -> m.check().id()).toList();
        return of(
                model,
                result.inventory().artifact().name(),
                result.inventory().packages(),
                vulnerabilities,
                checks,
                result.secrets() == null ? null : result.secrets().size(),
                evidence,
                responsibility);
    }

    /**
     * The profile of what an entry point measured: the packages of the artifact, its affected
     * vulnerabilities (null when not scanned), the ids of the checks that failed on it (null when no
     * check ran), the number of secrets (null when not looked for), and the evidence read beside it.
     */
    public static SecurityProfile of(
            DeploymentModel model,
            String artifact,
            List<Package> packages,
            @Nullable List<Vulnerability> vulnerabilities,
            @Nullable List<String> failedChecks,
            @Nullable Integer secrets,
            Evidence evidence,
            ModelData.Responsibility responsibility) {
        int os = 0;
        int libraries = 0;
        for (Package p : packages) {
            if (p.ecosystem().isOperatingSystem()) {
                os++;
            } else {
                libraries++;
            }
        }
        Map<Severity, Integer> bySeverity = null;
        int kev = 0;
        int overdue = 0;
        if (vulnerabilities != null) {
            bySeverity = new EnumMap<>(Severity.class);
            for (Vulnerability v : vulnerabilities) {
                bySeverity.merge(v.severity(), 1, Integer::sum);
                kev += v.knownExploited() ? 1 : 0;
                overdue += v.overdue() ? 1 : 0;
            }
        }
        List<String> services = null;
        if (evidence.services() != null) {
            services = new ArrayList<>();
            for (Evidence.Service s : evidence.services()) {
                if (s.network()) {
                    services.add(s.name() + " " + s.ports() + " (" + s.source() + ")");
                }
            }
        } else if (evidence.listeningPorts() != null) {
            services = new ArrayList<>();
            for (Evidence.Observation port : evidence.listeningPorts()) {
                services.add("port " + port.value() + " (" + port.source() + ")");
            }
        }
        Integer daemons = evidence.services() == null
                ? null
                : (int) evidence.services().stream()
                        .filter(Evidence.Service::daemon)
                        .count();
        Boolean root = evidence.runsAsRoot() == null
                ? null
                : Boolean.valueOf(evidence.runsAsRoot().value());
        Integer capabilities = null;
        Integer iam = null;
        Integer hardening = null;
        if (failedChecks != null) {
            capabilities = (int)
                    failedChecks.stream().filter(CAPABILITY_CHECKS::contains).count();
            iam = (int) failedChecks.stream().filter(IAM_CHECKS::contains).count();
            hardening = failedChecks.size();
        }
        return new SecurityProfile(
                model,
                artifact,
                os,
                libraries,
                bySeverity,
                kev,
                overdue,
                services,
                daemons,
                root,
                capabilities,
                iam,
                hardening,
                secrets,
                responsibility.team(),
                responsibility.provider());
    }
}
