package dev.palisade.assess;

import dev.palisade.checks.Misconfiguration;
import dev.palisade.scan.ScanResult;
import dev.palisade.scan.ScanTarget;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.SourceException;
import dev.palisade.source.image.ImageReference;
import dev.palisade.source.image.ImageSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Assesses a portfolio: every artifact goes through the one scan pipeline once (the entry point
 * supplies it as {@link Scans}), its evidence is read beside it, and the recommendation follows from
 * what both show. A blocker is only ever reported from evidence; what no artifact can show is "unknown".
 */
public final class Assessor {
    /** The models from the most streamlined to the least. */
    static final List<DeploymentModel> STREAMLINED =
            List.of(DeploymentModel.FUNCTION, DeploymentModel.CONTAINER, DeploymentModel.VM);

    static final List<DeploymentModel> LEAST_STREAMLINED_FIRST =
            List.of(DeploymentModel.VM, DeploymentModel.CONTAINER, DeploymentModel.FUNCTION);
    /** Checks of compose and Kubernetes files whose findings mean a container needs the host. */
    static final Set<String> HOST_ACCESS_CHECKS =
            Set.of("PAL-3001", "PAL-3004", "PAL-3005", "PAL-3006", "PAL-3101", "PAL-3102", "PAL-3103", "PAL-3104");

    private static final String DEPRECATED_RUNTIME_CHECK = "PAL-6005";

    /** The scan pipeline as the entry point runs it: one request per target. */
    @FunctionalInterface
    public interface Scans {
        ScanResult scan(ScanTarget target) throws SourceException, IOException;
    }

    private final Scans scans;
    private final EvidenceReader evidence;
    private final ModelData data;
    private final ImageSources.Platform platform;
    private final Map<ScanTarget, ScanResult> scanned = new HashMap<>();

    public Assessor(Scans scans, EvidenceReader evidence, ModelData data, ImageSources.Platform platform) {
        this.scans = scans;
        this.evidence = evidence;
        this.data = data;
        this.platform = platform;
    }

    /**
     * What an entry point measured of one deployment of an application: the artifact (or the targets a
     * server holds in that model), its profile, the evidence read beside it, and the check findings of
     * its scan (null when no check ran).
     */
    public record Measured(
            DeploymentModel model,
            String artifact,
            SecurityProfile profile,
            Evidence evidence,
            @Nullable List<Misconfiguration> misconfigurations) {
        public Measured {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(artifact, "artifact");
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(evidence, "evidence");
            misconfigurations = misconfigurations == null ? null : List.copyOf(misconfigurations);
        }
    }

    /** An application and what was measured of it, at most one {@link Measured} per model. */
    public record MeasuredApplication(String name, @Nullable String owner, List<Measured> deployments) {
        public MeasuredApplication {
            Objects.requireNonNull(name, "name");
            deployments = List.copyOf(deployments);
            if (deployments.isEmpty()) {
                throw new IllegalArgumentException(name + ": nothing measured");
            }
            if (deployments.stream().map(Measured::model).distinct().count() != deployments.size()) {
                throw new IllegalArgumentException(name + ": more than one measurement of a model");
            }
        }
    }

    /** Scans every artifact of the portfolio, reads its evidence, and assesses what that measured. */
    public Assessment assess(Portfolio portfolio) throws SourceException, IOException {
        List<MeasuredApplication> applications = new ArrayList<>();
        for (Portfolio.Application application : portfolio.applications()) {
            List<Measured> measured = new ArrayList<>();
            for (Portfolio.Deployment deployment : application.deployments()) {
                measured.add(measure(application, deployment));
            }
            applications.add(new MeasuredApplication(application.name(), application.owner(), measured));
        }
        return assess(applications, data);
    }

    /**
     * The assessment of what an entry point measured (the CLI from artifacts, the server from the
     * inventories it holds): per application the recommendation and its blockers, then totals and ranking.
     */
    public static Assessment assess(List<MeasuredApplication> portfolio, ModelData data) {
        List<Assessment.ApplicationAssessment> applications = new ArrayList<>();
        List<Assessment.Migration> ranking = new ArrayList<>();
        Totals totals = new Totals();
        for (MeasuredApplication application : portfolio) {
            Map<DeploymentModel, Measured> measured = new EnumMap<>(DeploymentModel.class);
            for (Measured m : application.deployments()) {
                measured.put(m.model(), m);
            }
            DeploymentModel current = current(measured);
            List<Assessment.ModelCheck> checks = new ArrayList<>();
            DeploymentModel recommended = current;
            for (DeploymentModel target : STREAMLINED) {
                if (target == current) {
                    break;
                }
                Assessment.ModelCheck check = check(target, measured, data);
                checks.add(check);
                if (!check.blocked() && check.examined() && recommended == current) {
                    recommended = target;
                }
            }
            SecurityProfile now = Objects.requireNonNull(measured.get(current)).profile();
            Measured there = measured.get(recommended);
            Assessment.Reduction reduction =
                    recommended != current && there != null ? Assessment.Reduction.between(now, there.profile()) : null;
            for (Assessment.ModelCheck check : checks) {
                Measured to = measured.get(check.target());
                if (to != null) {
                    ranking.add(new Assessment.Migration(
                            application.name(),
                            current,
                            check.target(),
                            Assessment.Reduction.between(now, to.profile()),
                            check.blocked(),
                            check.examined()));
                }
            }
            totals.add(now, reduction);
            List<SecurityProfile> profiles = new ArrayList<>();
            for (DeploymentModel model : LEAST_STREAMLINED_FIRST) {
                if (measured.containsKey(model)) {
                    profiles.add(Objects.requireNonNull(measured.get(model)).profile());
                }
            }
            applications.add(new Assessment.ApplicationAssessment(
                    application.name(),
                    application.owner(),
                    profiles,
                    checks,
                    new Assessment.Recommendation(
                            current, recommended, reduction, summary(current, recommended, reduction, checks))));
        }
        ranking.sort(
                Comparator.comparing((Assessment.Migration m) -> m.reduction().riskScore())
                        .reversed()
                        .thenComparing(Assessment.Migration::application)
                        .thenComparing(Assessment.Migration::to));
        return new Assessment(applications, totals.of(applications.size()), ranking, data);
    }

    /**
     * The portfolio now and after every recommendation: after is now less each measured reduction, so
     * a move whose target has no artifact changes nothing, and network services are unknown in total as
     * soon as one application's are.
     */
    private static final class Totals {
        private int osPackagesNow;
        private int osPackagesAfter;
        private int vulnerabilitiesNow;
        private int vulnerabilitiesAfter;
        private int knownExploitedNow;
        private int knownExploitedAfter;
        private @Nullable Integer networkServicesNow = 0;
        private @Nullable Integer networkServicesAfter = 0;
        private int riskScoreNow;
        private int riskScoreAfter;

        void add(SecurityProfile now, Assessment.@Nullable Reduction reduction) {
            osPackagesNow += now.osPackages();
            vulnerabilitiesNow += now.vulnerabilityCount();
            knownExploitedNow += now.knownExploited();
            riskScoreNow += now.riskScore();
            Integer services = now.networkServiceCount();
            networkServicesNow = sum(networkServicesNow, services);
            if (reduction == null) {
                osPackagesAfter += now.osPackages();
                vulnerabilitiesAfter += now.vulnerabilityCount();
                knownExploitedAfter += now.knownExploited();
                riskScoreAfter += now.riskScore();
                networkServicesAfter = sum(networkServicesAfter, services);
            } else {
                osPackagesAfter += now.osPackages() - reduction.osPackages();
                vulnerabilitiesAfter += now.vulnerabilityCount() - reduction.vulnerabilities();
                knownExploitedAfter += now.knownExploited() - reduction.knownExploited();
                riskScoreAfter += now.riskScore() - reduction.riskScore();
                networkServicesAfter = sum(
                        networkServicesAfter,
                        services == null || reduction.networkServices() == null
                                ? null
                                : services - reduction.networkServices());
            }
        }

        private static @Nullable Integer sum(@Nullable Integer total, @Nullable Integer more) {
            return total == null || more == null ? null : total + more;
        }

        Assessment.Totals of(int applications) {
            return new Assessment.Totals(
                    applications,
                    osPackagesNow,
                    osPackagesAfter,
                    vulnerabilitiesNow,
                    vulnerabilitiesAfter,
                    knownExploitedNow,
                    knownExploitedAfter,
                    networkServicesNow,
                    networkServicesAfter,
                    riskScoreNow,
                    riskScoreAfter);
        }
    }

    /** The model the application runs in now: the least streamlined it has an artifact for. */
    private static DeploymentModel current(Map<DeploymentModel, Measured> measured) {
        for (DeploymentModel model : LEAST_STREAMLINED_FIRST) {
            if (measured.containsKey(model)) {
                return model;
            }
        }
        throw new IllegalStateException("an application without deployments");
    }

    private Measured measure(Portfolio.Application application, Portfolio.Deployment deployment)
            throws SourceException, IOException {
        String where = application.name() + " (" + PortfolioParser.modelName(deployment.model()) + ")";
        try {
            ScanResult result;
            Evidence found;
            switch (deployment.model()) {
                case VM -> {
                    Path root = Objects.requireNonNull(deployment.artifact());
                    result = scan(new ScanTarget.RootFilesystem(root, List.of()));
                    found = evidence.rootFilesystem(root);
                }
                case CONTAINER -> {
                    ScanTarget target = deployment.artifact() != null
                            ? new ScanTarget.ImageArchive(deployment.artifact(), platform)
                            : new ScanTarget.RegistryImage(
                                    ImageReference.parse(Objects.requireNonNull(deployment.imageReference()))
                                            .orElseThrow(),
                                    platform);
                    result = scan(target);
                    found = evidence.image(result.inventory().artifact());
                    if (deployment.config() != null) {
                        found = withHostAccess(found, scan(new ScanTarget.ConfigFiles(deployment.config())));
                    }
                }
                default -> {
                    Path pkg = Objects.requireNonNull(deployment.artifact());
                    result = scan(new ScanTarget.FunctionPackage(pkg, deployment.template()));
                    found = evidence.function(pkg, deployment.template());
                }
            }
            return new Measured(
                    deployment.model(),
                    deployment.name(),
                    SecurityProfile.of(deployment.model(), result, found, data.responsibility(deployment.model())),
                    found,
                    result.misconfigurations());
        } catch (SourceException e) {
            throw new SourceException(where + ": " + e.getMessage());
        } catch (IOException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    private ScanResult scan(ScanTarget target) throws SourceException, IOException {
        ScanResult known = scanned.get(target);
        if (known == null) {
            known = scans.scan(target);
            scanned.put(target, known);
        }
        return known;
    }

    private static Evidence withHostAccess(Evidence image, ScanResult config) {
        List<Evidence.Observation> access = new ArrayList<>();
        if (config.misconfigurations() != null) {
            for (Misconfiguration m : config.misconfigurations()) {
                if (HOST_ACCESS_CHECKS.contains(m.check().id())) {
                    access.add(new Evidence.Observation(
                            m.check().title() + ": " + m.message(),
                            m.path() + (m.keyPath().isEmpty() ? "" : " " + m.keyPath())));
                }
            }
        }
        return new Evidence(
                image.services(),
                image.listeningPorts(),
                image.kernelModules(),
                image.writablePaths(),
                access,
                image.runtime(),
                image.zippedBytes(),
                image.unzippedBytes(),
                image.runsAsRoot());
    }

    /**
     * What stands in the way of {@code target}. The evidence is the target's own artifact when the
     * application has one (it shows the application as it would run there); otherwise every artifact
     * of a less streamlined model it has.
     */
    private static Assessment.ModelCheck check(
            DeploymentModel target, Map<DeploymentModel, Measured> measured, ModelData data) {
        List<Measured> sources = new ArrayList<>();
        Measured own = measured.get(target);
        if (own != null) {
            sources.add(own);
        } else {
            for (DeploymentModel model : STREAMLINED) {
                Measured other = measured.get(model);
                if (model.compareTo(target) > 0 && other != null) {
                    sources.add(other);
                }
            }
        }
        List<Assessment.Blocker> blockers = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        boolean examined;
        if (target == DeploymentModel.FUNCTION) {
            examined = functionBlockers(sources, measured.get(DeploymentModel.FUNCTION), data, blockers, unknown);
        } else {
            examined = containerBlockers(
                    sources,
                    measured.get(DeploymentModel.VM),
                    measured.get(DeploymentModel.CONTAINER),
                    blockers,
                    unknown);
        }
        return new Assessment.ModelCheck(target, blockers, unknown, examined);
    }

    /** Adds the blockers of a function and what is unknown; whether any evidence about them was read. */
    private static boolean functionBlockers(
            List<Measured> sources,
            @Nullable Measured function,
            ModelData data,
            List<Assessment.Blocker> blockers,
            List<String> unknown) {
        DeploymentModel f = DeploymentModel.FUNCTION;
        ModelData.FunctionLimits limits = data.function();
        boolean writesVisible = false;
        boolean listenersVisible = false;
        boolean servicesVisible = false;
        for (Measured m : sources) {
            List<Evidence.Observation> ports = m.evidence().listeningPorts();
            if (ports != null) {
                listenersVisible = true;
                for (Evidence.Observation port : ports) {
                    if (!limits.httpPorts().contains(Integer.parseInt(port.value()))) {
                        blockers.add(new Assessment.Blocker(
                                f,
                                "non-HTTP listener",
                                "listens on port " + port.value()
                                        + ", which is not HTTP: a function only answers invocations",
                                port.source()));
                    }
                }
            }
            if (m.evidence().services() != null) {
                servicesVisible = true;
                for (Evidence.Service s : m.evidence().services()) {
                    if (s.daemon()) {
                        blockers.add(new Assessment.Blocker(
                                f,
                                "long-running daemon",
                                s.name() + " is enabled at boot and keeps running: a function runs only per invocation",
                                s.source()));
                    }
                }
            }
            List<Evidence.Observation> writes = m.evidence().writablePaths();
            if (m.model() != DeploymentModel.VM && writes != null) {
                writesVisible = true;
                for (Evidence.Observation write : writes) {
                    blockers.add(new Assessment.Blocker(
                            f,
                            "writes outside /tmp",
                            "writes to " + write.value() + ": only /tmp is writable in a function",
                            write.source()));
                }
            }
        }
        if (!listenersVisible) {
            unknown.add("listening ports: unknown (only inventories were measured, not the artifact's files)");
        }
        if (function == null && !servicesVisible) {
            unknown.add(
                    "long-running daemons: unknown (no VM root file system read to show the services enabled at boot)");
        }
        if (!writesVisible) {
            unknown.add(
                    sources.stream().allMatch(m -> m.model() == DeploymentModel.VM)
                            ? "writes outside /tmp: unknown (a root file system does not show where the application writes)"
                            : "writes outside /tmp: unknown (only inventories were measured, not the artifact's files)");
        }
        boolean examined = listenersVisible || servicesVisible || writesVisible;
        if (function == null) {
            unknown.add("package size: unknown (no function package)");
            unknown.add("runtime: unknown (no function package and template)");
            return examined;
        }
        Evidence e = function.evidence();
        if (e.zippedBytes() != null && e.zippedBytes() > limits.maxZippedBytes()) {
            blockers.add(new Assessment.Blocker(
                    f,
                    "package too large",
                    "the zip is " + e.zippedBytes() + " bytes; " + limits.provider() + " takes at most "
                            + limits.maxZippedBytes() + " bytes uploaded directly",
                    function.artifact()));
        }
        examined |= e.zippedBytes() != null
                || e.unzippedBytes() != null
                || e.runtime() != null
                || function.misconfigurations() != null;
        if (e.zippedBytes() == null && e.unzippedBytes() == null) {
            unknown.add("package size: unknown (the package itself was not measured)");
        } else if (e.unzippedBytes() == null) {
            unknown.add("unzipped size: unknown (the zip does not record every entry's size)");
        } else if (e.unzippedBytes() > limits.maxUnzippedBytes()) {
            blockers.add(new Assessment.Blocker(
                    f,
                    "package too large",
                    "the package unpacks to " + e.unzippedBytes() + " bytes; " + limits.provider() + " takes at most "
                            + limits.maxUnzippedBytes(),
                    function.artifact()));
        }
        Evidence.Observation runtime = e.runtime();
        List<Misconfiguration> misconfigurations = function.misconfigurations();
        boolean deprecated = false;
        if (misconfigurations != null) {
            for (Misconfiguration m : misconfigurations) {
                if (m.check().id().equals(DEPRECATED_RUNTIME_CHECK)) {
                    deprecated = true;
                    blockers.add(new Assessment.Blocker(
                            f, "runtime not supported", m.message(), m.path() + " " + m.keyPath()));
                }
            }
        }
        if (runtime == null) {
            unknown.add("runtime: unknown (no template names one)");
        } else if (!deprecated && !limits.runtimes().contains(runtime.value().toLowerCase(Locale.ROOT))) {
            blockers.add(new Assessment.Blocker(
                    f,
                    "runtime not supported",
                    runtime.value() + " is not a runtime " + limits.provider() + " supports",
                    runtime.source()));
        }
        return examined;
    }

    /** Adds the blockers of a container and what is unknown; whether any evidence about them was read. */
    private static boolean containerBlockers(
            List<Measured> sources,
            @Nullable Measured vm,
            @Nullable Measured container,
            List<Assessment.Blocker> blockers,
            List<String> unknown) {
        DeploymentModel c = DeploymentModel.CONTAINER;
        if (vm != null && vm.evidence().kernelModules() != null) {
            for (Evidence.Observation module : vm.evidence().kernelModules()) {
                blockers.add(new Assessment.Blocker(
                        c,
                        "kernel module",
                        "loads the kernel module " + module.value() + " at boot: a container shares the host's kernel",
                        module.source()));
            }
        } else {
            unknown.add("kernel modules: unknown (no VM root file system read to show /etc/modules)");
        }
        List<Evidence.Observation> access =
                container == null ? null : container.evidence().hostAccess();
        if (access == null) {
            unknown.add("privileged mode, capabilities and host paths: unknown (no compose or Kubernetes file given)");
        } else {
            for (Evidence.Observation a : access) {
                blockers.add(new Assessment.Blocker(c, "needs the host", a.value(), a.source()));
            }
        }
        return (vm != null && vm.evidence().kernelModules() != null) || access != null;
    }

    private static String summary(
            DeploymentModel current,
            DeploymentModel recommended,
            Assessment.@Nullable Reduction reduction,
            List<Assessment.ModelCheck> checks) {
        String to = PortfolioParser.modelName(recommended);
        if (recommended == current) {
            if (checks.isEmpty()) {
                return "already a " + to + ": the most streamlined model";
            }
            return checks.stream().allMatch(Assessment.ModelCheck::blocked)
                    ? "stay a " + to + ": every more streamlined model is blocked"
                    : "stay a " + to + ": no evidence read shows a more streamlined model free of blockers"
                            + " (see what is unknown)";
        }
        if (reduction == null) {
            return "as a " + to + ": no " + to + " artifact to measure the reduction on";
        }
        return "as a " + to + ": " + change(reduction.osPackages(), "OS packages to patch") + ", "
                + change(reduction.vulnerabilities(), "vulnerabilities") + ", "
                + (reduction.networkServices() == null
                        ? "network services: unknown"
                        : change(reduction.networkServices(), "network services"));
    }

    /** "3 fewer X", "2 more X" (a move can add what the current model did not have), "as many X". */
    private static String change(int fewer, String what) {
        if (fewer > 0) {
            return fewer + " fewer " + what;
        }
        return fewer < 0 ? -fewer + " more " + what : "as many " + what;
    }
}
