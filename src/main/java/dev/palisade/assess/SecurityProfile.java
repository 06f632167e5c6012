package dev.palisade.assess;

import dev.palisade.checks.Misconfiguration;
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
 * of its artifact.
 *
 * @param osPackages OS packages in the artifact: what the team patches (0 for a function, whose OS is the provider's)
 * @param applicationLibraries packages of every other ecosystem (jars, npm, PyPI...)
 * @param vulnerabilities affected findings by severity; null when vulnerabilities were not scanned
 * @param knownExploited affected findings in CISA's KEV catalog
 * @param overdue affected findings past their patch deadline (critical 15 days, high 30, KEV due date) at the scan
 * @param networkServices what listens: a VM's enabled network services (name and ports), an image's
 *     EXPOSE, a port set in a function package's configuration
 * @param daemons services enabled at boot that keep running; null when the artifact cannot show them
 * @param runsAsRoot the image runs as root; null when not an image
 * @param capabilities check findings about added capabilities or privileged mode
 * @param iamWildcards check findings about IAM wildcards and full-access policies (the function's template)
 * @param hardeningFindings every configuration check finding
 * @param secrets secrets found in the artifact's files
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
        List<String> networkServices,
        @Nullable Integer daemons,
        @Nullable Boolean runsAsRoot,
        int capabilities,
        int iamWildcards,
        int hardeningFindings,
        int secrets,
        List<String> team,
        List<String> provider) {
    /** Checks whose findings show added capabilities or privileged mode. */
    static final Set<String> CAPABILITY_CHECKS = Set.of("PAL-3001", "PAL-3004", "PAL-3101", "PAL-3104");
    /** Checks whose findings show IAM wildcards or full-access policies. */
    static final Set<String> IAM_CHECKS = Set.of("PAL-6001", "PAL-6002", "PAL-6003");

    public SecurityProfile {
        vulnerabilities = vulnerabilities == null ? null : Map.copyOf(vulnerabilities);
        networkServices = List.copyOf(networkServices);
        team = List.copyOf(team);
        provider = List.copyOf(provider);
    }

    /** Affected vulnerabilities of every severity; 0 when not scanned. */
    public int vulnerabilityCount() {
        return vulnerabilities == null
                ? 0
                : vulnerabilities.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int vulnerabilities(Severity severity) {
        return vulnerabilities == null ? 0 : vulnerabilities.getOrDefault(severity, 0);
    }

    /**
     * A single number to rank by: 10 per critical, 5 per high, 2 per medium, 1 per low vulnerability,
     * 20 more per known exploited one, 3 per network service, 5 per secret, 1 per hardening finding.
     */
    public int riskScore() {
        return 10 * vulnerabilities(Severity.CRITICAL)
                + 5 * vulnerabilities(Severity.HIGH)
                + 2 * vulnerabilities(Severity.MEDIUM)
                + vulnerabilities(Severity.LOW)
                + 20 * knownExploited
                + 3 * networkServices.size()
                + 5 * secrets
                + hardeningFindings;
    }

    /** The profile of a scan result and the evidence read beside it. */
    public static SecurityProfile of(
            DeploymentModel model, ScanResult result, Evidence evidence, ModelData.Responsibility responsibility) {
        int os = 0;
        int libraries = 0;
        for (var p : result.inventory().packages()) {
            if (p.ecosystem().isOperatingSystem()) {
                os++;
            } else {
                libraries++;
            }
        }
        Map<Severity, Integer> bySeverity = null;
        int kev = 0;
        int overdue = 0;
        if (result.findings() != null) {
            bySeverity = new EnumMap<>(Severity.class);
            for (Finding f : result.findings()) {
                if (f.status() != Finding.Status.AFFECTED) {
                    continue;
                }
                bySeverity.merge(f.severity(), 1, Integer::sum);
                if (f.kev() != null) {
                    kev++;
                }
                if (PatchAge.of(f, result.scannedAt()).map(PatchAge::overdue).orElse(false)) {
                    overdue++;
                }
            }
        }
        List<String> services = new ArrayList<>();
        if (evidence.services() != null) {
            for (Evidence.Service s : evidence.services()) {
                if (s.network()) {
                    services.add(s.name() + " " + s.ports() + " (" + s.source() + ")");
                }
            }
        } else {
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
        int capabilities = 0;
        int iam = 0;
        int hardening = 0;
        List<Misconfiguration> misconfigurations = result.misconfigurations();
        if (misconfigurations != null) {
            for (Misconfiguration m : misconfigurations) {
                hardening++;
                if (CAPABILITY_CHECKS.contains(m.check().id())) {
                    capabilities++;
                }
                if (IAM_CHECKS.contains(m.check().id())) {
                    iam++;
                }
            }
        }
        int secrets = result.secrets() == null ? 0 : result.secrets().size();
        return new SecurityProfile(
                model,
                result.inventory().artifact().name(),
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
