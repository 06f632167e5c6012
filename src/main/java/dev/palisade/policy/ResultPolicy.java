package dev.palisade.policy;

import dev.palisade.checks.Misconfiguration;
import dev.palisade.match.Finding;
import dev.palisade.match.Severity;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What to report of a scan's findings and when to fail: suppressions first (a suppressed finding
 * keeps its reason), then the severity and unfixed filters, then the exit code.
 *
 * @param severities the severities reported
 * @param ignoreUnfixed leave out vulnerabilities without a fixed version
 * @param suppressions ignore-file and VEX decisions
 * @param failExitCode the exit code when reported findings remain; 0 never fails
 * @param failOn the kinds of findings that, remaining, fail the scan with {@code failExitCode}
 */
public record ResultPolicy(
        Set<Severity> severities,
        boolean ignoreUnfixed,
        Suppressions suppressions,
        int failExitCode,
        Set<FindingKind> failOn) {
    /** What {@code --exit-on} names: the kinds of findings a scan reports. */
    public enum FindingKind {
        /** Known vulnerabilities of packages. */
        VULN,
        /** Configuration check findings (Dockerfiles, manifests, image settings). */
        MISCONFIG,
        /** Secrets found in files by the secret scanner (the PAL-4xxx checks). */
        SECRET;

        public static FindingKind of(Misconfiguration m) {
            return m.check().id().startsWith("PAL-4") ? SECRET : MISCONFIG;
        }

        /** {@code vuln,misconfig,secret}, as on the command line. */
        public static Set<FindingKind> parse(java.util.Collection<String> names) {
            Set<FindingKind> kinds = EnumSet.noneOf(FindingKind.class);
            for (String name : names) {
                try {
                    kinds.add(valueOf(name.trim().toUpperCase(java.util.Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "--exit-on: unknown kind '" + name + "' (use vuln, misconfig, secret)");
                }
            }
            return kinds;
        }
    }

    /**
     * The exit code of a scan cut short by its timeout, whatever was found before: the report holds
     * what was read, and "nothing found" must not pass for "clean".
     */
    public static final int EXIT_CUT_SHORT = 3;

    public ResultPolicy {
        severities = severities.isEmpty() ? EnumSet.noneOf(Severity.class) : EnumSet.copyOf(severities);
        Objects.requireNonNull(suppressions, "suppressions");
        failOn = failOn.isEmpty() ? EnumSet.noneOf(FindingKind.class) : EnumSet.copyOf(failOn);
    }

    /** A policy that fails on every kind of finding. */
    public ResultPolicy(Set<Severity> severities, boolean ignoreUnfixed, Suppressions suppressions, int failExitCode) {
        this(severities, ignoreUnfixed, suppressions, failExitCode, EnumSet.allOf(FindingKind.class));
    }

    /** Everything reported, nothing suppressed, never a failing exit code. */
    public static ResultPolicy reportAll() {
        return new ResultPolicy(EnumSet.allOf(Severity.class), false, Suppressions.none(), 0);
    }

    /** A configuration check finding set aside by an ignore file or VEX, and the decision that did it. */
    public record SuppressedCheck(Misconfiguration misconfiguration, Suppressions.Decision decision) {
        public SuppressedCheck {
            Objects.requireNonNull(misconfiguration, "misconfiguration");
            Objects.requireNonNull(decision, "decision");
        }

        /** The source and the reason in one line ("ignore-file .trivyignore.yaml: a test fixture"). */
        public String reason() {
            return decision.source() + ": " + decision.reason();
        }
    }

    /**
     * What remains to report.
     *
     * @param findings vulnerabilities kept, or null when vulnerabilities were not scanned
     * @param misconfigurations check findings kept (secrets included), or null when checks did not run
     * @param notices what the policy itself has to say (expired ignore entries)
     */
    public record Outcome(
            @Nullable List<Finding> findings,
            List<Suppressions.Suppressed> suppressedFindings,
            @Nullable List<Misconfiguration> misconfigurations,
            List<SuppressedCheck> suppressedMisconfigurations,
            List<String> notices) {
        public Outcome {
            findings = findings == null ? null : List.copyOf(findings);
            suppressedFindings = List.copyOf(suppressedFindings);
            misconfigurations = misconfigurations == null ? null : List.copyOf(misconfigurations);
            suppressedMisconfigurations = List.copyOf(suppressedMisconfigurations);
            notices = List.copyOf(notices);
        }

        public Optional<List<Finding>> findingsOptional() {
            return Optional.ofNullable(findings);
        }
    }

    public Outcome apply(@Nullable List<Finding> findings, @Nullable List<Misconfiguration> misconfigurations) {
        List<Finding> keptFindings = null;
        List<Suppressions.Suppressed> suppressedFindings = List.of();
        List<String> notices = List.of();
        if (findings != null) {
            Suppressions.Outcome outcome = suppressions.apply(findings);
            keptFindings = new ArrayList<>();
            for (Finding f : outcome.kept()) {
                if (severities.contains(f.severity())
                        && !(ignoreUnfixed && f.status() == Finding.Status.AFFECTED && !f.hasFix())) {
                    keptFindings.add(f);
                }
            }
            suppressedFindings = outcome.suppressed();
            notices = outcome.notices();
        }
        List<Misconfiguration> keptChecks = null;
        List<SuppressedCheck> suppressedChecks = new ArrayList<>();
        if (misconfigurations != null) {
            keptChecks = new ArrayList<>();
            for (Misconfiguration m : misconfigurations) {
                Optional<Suppressions.Decision> decision =
                        suppressions.decisionFor(m.check().id(), m.path());
                if (decision.isPresent()) {
                    suppressedChecks.add(new SuppressedCheck(m, decision.get()));
                } else if (severities.contains(m.check().severity())) {
                    keptChecks.add(m);
                }
            }
        }
        return new Outcome(keptFindings, suppressedFindings, keptChecks, suppressedChecks, notices);
    }

    /**
     * The exit code for what remains: {@link #EXIT_CUT_SHORT} when the scan did not finish, else
     * {@link #failExitCode} when an affected vulnerability or a check finding of a kind in {@link #failOn} is
     * still reported, else 0. Findings that could not be compared do not fail a build; they are reported.
     */
    public int exitCode(Outcome outcome, boolean cutShort) {
        if (cutShort) {
            return EXIT_CUT_SHORT;
        }
        if (failExitCode == 0) {
            return 0;
        }
        boolean affected = failOn.contains(FindingKind.VULN)
                && outcome.findings() != null
                && outcome.findings().stream().anyMatch(f -> f.status() == Finding.Status.AFFECTED);
        boolean misconfigured = outcome.misconfigurations() != null
                && outcome.misconfigurations().stream().anyMatch(m -> failOn.contains(FindingKind.of(m)));
        return affected || misconfigured ? failExitCode : 0;
    }
}
