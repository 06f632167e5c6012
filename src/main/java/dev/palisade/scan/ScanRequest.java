package dev.palisade.scan;

import dev.palisade.checks.LearnedProfile;
import dev.palisade.checks.TrustedSources;
import dev.palisade.policy.ResultPolicy;
import dev.palisade.source.PathSkips;
import dev.palisade.source.ScanLimits;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One scan, as every entry point asks for it.
 *
 * @param target what to read
 * @param scanners what to look for beyond the inventory
 * @param limits the bounds every reader obeys
 * @param policy suppressions, filters and the exit code decision
 * @param trustedSources the registries images may come from
 * @param secretRules the user's own secret rules (YAML, as {@code secret-rules.yaml}), or null
 * @param learned what a traced run of the workload needed ({@code --learned}), or null: the seccomp profiles
 *     of configuration files and a VM's enabled services are compared with it
 * @param skips the files and directories of the target not to read
 */
public record ScanRequest(
        ScanTarget target,
        Set<Scanner> scanners,
        ScanLimits limits,
        ResultPolicy policy,
        TrustedSources trustedSources,
        @Nullable String secretRules,
        @Nullable LearnedProfile learned,
        PathSkips skips) {
    public ScanRequest {
        Objects.requireNonNull(skips, "skips");
        Objects.requireNonNull(target, "target");
        scanners = scanners.isEmpty() ? EnumSet.noneOf(Scanner.class) : EnumSet.copyOf(scanners);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(trustedSources, "trustedSources");
    }

    public ScanRequest(
            ScanTarget target,
            Set<Scanner> scanners,
            ScanLimits limits,
            ResultPolicy policy,
            TrustedSources trustedSources,
            @Nullable String secretRules) {
        this(target, scanners, limits, policy, trustedSources, secretRules, null, PathSkips.NONE);
    }

    /** A request with the defaults: every scanner, default limits, everything reported. */
    public static ScanRequest of(ScanTarget target) {
        return new ScanRequest(
                target,
                EnumSet.allOf(Scanner.class),
                ScanLimits.defaults(),
                ResultPolicy.reportAll(),
                TrustedSources.NONE,
                null);
    }

    public boolean wants(Scanner scanner) {
        return scanners.contains(scanner);
    }

    public ScanRequest withLimits(ScanLimits other) {
        return new ScanRequest(target, scanners, other, policy, trustedSources, secretRules, learned, skips);
    }

    public ScanRequest withTarget(ScanTarget other) {
        return new ScanRequest(other, scanners, limits, policy, trustedSources, secretRules, learned, skips);
    }

    public ScanRequest withLearned(@Nullable LearnedProfile profile) {
        return new ScanRequest(target, scanners, limits, policy, trustedSources, secretRules, profile, skips);
    }
}
