package dev.palisade.assess;

import dev.palisade.source.DeploymentModel;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A portfolio assessed: per application the measured profile of each model it has an artifact for,
 * what stands in the way of each more streamlined model, and the recommendation; then totals and a
 * ranking of the migrations by the risk they remove.
 */
public record Assessment(
        List<ApplicationAssessment> applications, Totals totals, List<Migration> ranking, ModelData data) {
    public Assessment {
        applications = List.copyOf(applications);
        ranking = List.copyOf(ranking);
    }

    public record ApplicationAssessment(
            String name,
            @Nullable String owner,
            List<SecurityProfile> profiles,
            List<ModelCheck> checks,
            Recommendation recommendation) {
        public ApplicationAssessment {
            profiles = List.copyOf(profiles);
            checks = List.copyOf(checks);
        }
    }

    /**
     * Whether the application can move to {@code target}: the blockers found, what could not be told
     * from the artifacts at hand, and whether any evidence about its blockers was read at all (a model
     * nothing was read about is not recommended: no blocker found there means nothing).
     */
    public record ModelCheck(DeploymentModel target, List<Blocker> blockers, List<String> unknown, boolean examined) {
        public ModelCheck {
            blockers = List.copyOf(blockers);
            unknown = List.copyOf(unknown);
        }

        public boolean blocked() {
            return !blockers.isEmpty();
        }
    }

    /** Something in the evidence that stands in the way of a model, and the file or setting that shows it. */
    public record Blocker(DeploymentModel target, String kind, String detail, String evidence) {
        public Blocker {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(evidence, "evidence");
        }
    }

    /**
     * The most streamlined model without a blocker, and what moving there removes; {@code reduction}
     * is null when it stays where it is or when the target model has no artifact to measure.
     */
    public record Recommendation(
            DeploymentModel current, DeploymentModel recommended, @Nullable Reduction reduction, String summary) {}

    /**
     * Measured differences between two models of one application (positive: fewer in the target). A
     * difference is null when either side is unknown; the risk score is taken over the parts both know.
     */
    public record Reduction(
            int osPackages,
            int applicationLibraries,
            int vulnerabilities,
            int knownExploited,
            @Nullable Integer networkServices,
            @Nullable Integer secrets,
            @Nullable Integer hardeningFindings,
            int riskScore) {
        static Reduction between(SecurityProfile from, SecurityProfile to) {
            return new Reduction(
                    from.osPackages() - to.osPackages(),
                    from.applicationLibraries() - to.applicationLibraries(),
                    from.vulnerabilityCount() - to.vulnerabilityCount(),
                    from.knownExploited() - to.knownExploited(),
                    difference(from.networkServiceCount(), to.networkServiceCount()),
                    difference(from.secrets(), to.secrets()),
                    difference(from.hardeningFindings(), to.hardeningFindings()),
                    from.riskScoreComparableWith(to) - to.riskScoreComparableWith(from));
        }

        private static @Nullable Integer difference(@Nullable Integer from, @Nullable Integer to) {
            return from == null || to == null ? null : from - to;
        }
    }

    /** One possible move of one application, both ends measured; {@code examined} as in {@link ModelCheck}. */
    public record Migration(
            String application,
            DeploymentModel from,
            DeploymentModel to,
            Reduction reduction,
            boolean blocked,
            boolean examined) {}

    /**
     * The portfolio as it runs now and as it would after every recommendation; network services are
     * null when one application's are unknown.
     */
    public record Totals(
            int applications,
            int osPackagesNow,
            int osPackagesAfter,
            int vulnerabilitiesNow,
            int vulnerabilitiesAfter,
            int knownExploitedNow,
            int knownExploitedAfter,
            @Nullable Integer networkServicesNow,
            @Nullable Integer networkServicesAfter,
            int riskScoreNow,
            int riskScoreAfter) {}
}
