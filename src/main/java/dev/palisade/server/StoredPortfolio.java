package dev.palisade.server;

import dev.palisade.assess.Assessment;
import dev.palisade.assess.Assessor;
import dev.palisade.assess.Evidence;
import dev.palisade.assess.ModelData;
import dev.palisade.assess.SecurityProfile;
import dev.palisade.inventory.Package;
import dev.palisade.match.Severity;
import dev.palisade.policy.PatchDeadline;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.SourceException;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The portfolio assessment of the applications the server holds, by the same {@link Assessor} as
 * {@code palisade assess}: per application and model, the newest scan of each of its targets in that
 * model (several targets in one model are counted together). The server holds inventories and what was
 * matched and checked on them, not the artifacts' files: listening services, writes, sizes, runtimes and
 * secrets are unknown, and check findings are counted only where the checks ran (the server's own image
 * scans). Overdue counts from each finding's first sighting, as the patch SLA does.
 *
 * <p>Computing it reads every target's newest inventory, so one computation is shared: callers that come
 * while it runs wait for it, and its result is answered again while no target has a newer scan, for at
 * most {@link #FRESH_FOR} (finding states that change without a new scan, after a re-match or an
 * exception, show within that time). A viewer's token cannot make the server re-read the store per request.
 */
final class StoredPortfolio {
    private static final Map<String, DeploymentModel> MODELS = Map.of(
            "vm", DeploymentModel.VM, "container", DeploymentModel.CONTAINER, "function", DeploymentModel.FUNCTION);

    static final java.time.Duration FRESH_FOR = java.time.Duration.ofMinutes(1);

    private final ServerStore store;
    private final InventoryService inventories;
    private final ModelData data;
    private final Clock clock;
    private final Runnable onComputed;

    /** The last assessment, the newest scans it was computed from and when; guarded by {@code this}. */
    private @Nullable Computed last;

    private record Computed(List<ServerStore.LatestScan> scans, Instant at, Assessment assessment) {}

    StoredPortfolio(ServerStore store, InventoryService inventories, ModelData data, Clock clock, Runnable onComputed) {
        this.store = store;
        this.inventories = inventories;
        this.data = data;
        this.clock = clock;
        this.onComputed = onComputed;
    }

    /** What one model of one application adds up to, over its targets. */
    private static final class Gathered {
        private final List<String> targets = new ArrayList<>();
        private final List<Package> packages = new ArrayList<>();
        private final List<SecurityProfile.Vulnerability> vulnerabilities = new ArrayList<>();
        private @Nullable List<String> failedChecks = new ArrayList<>();
    }

    synchronized Assessment assess() throws SQLException, IOException {
        Instant now = clock.instant();
        List<ServerStore.LatestScan> scans = store.latestScans();
        Computed previous = last;
        if (previous != null
                && previous.scans().equals(scans)
                && !now.isBefore(previous.at())
                && now.isBefore(previous.at().plus(FRESH_FOR))) {
            return previous.assessment();
        }
        Assessment assessment = assess(scans, now);
        last = new Computed(scans, now, assessment);
        onComputed.run();
        return assessment;
    }

    private Assessment assess(List<ServerStore.LatestScan> scans, Instant now) throws SQLException, IOException {
        Map<String, Map<DeploymentModel, Gathered>> applications = new LinkedHashMap<>();
        for (ServerStore.LatestScan latest : scans) {
            DeploymentModel model = MODELS.get(latest.model().toLowerCase(Locale.ROOT));
            if (model == null) {
                continue; // the schema allows no other model
            }
            Optional<ServerStore.ScanForAssessment> read = store.scanForAssessment(latest.scanId());
            if (read.isEmpty()) {
                continue; // removed since the list was read
            }
            ServerStore.ScanForAssessment scan = read.get();
            Gathered gathered = applications
                    .computeIfAbsent(latest.application(), k -> new EnumMap<>(DeploymentModel.class))
                    .computeIfAbsent(model, k -> new Gathered());
            gathered.targets.add(latest.target());
            try {
                gathered.packages.addAll(
                        inventories.storedInventory(scan.inventory()).packages());
            } catch (SourceException e) {
                throw new IOException(
                        "the stored inventory of scan " + latest.scanId() + " cannot be read: " + e.getMessage(), e);
            }
            for (ServerStore.OpenFinding f : scan.openFindings()) {
                Severity severity = Severity.valueOf(f.severity());
                boolean overdue = PatchDeadline.due(severity, f.firstSeen(), f.kevDueDate())
                        .map(due -> PatchDeadline.overdue(due, now))
                        .orElse(false);
                gathered.vulnerabilities.add(
                        new SecurityProfile.Vulnerability(severity, f.kevDueDate() != null, overdue));
            }
            if (scan.failedChecks() == null || gathered.failedChecks == null) {
                gathered.failedChecks = null; // one target nobody checked: the model's count is unknown
            } else {
                gathered.failedChecks.addAll(scan.failedChecks());
            }
        }
        List<Assessor.MeasuredApplication> measured = new ArrayList<>();
        for (Map.Entry<String, Map<DeploymentModel, Gathered>> application : applications.entrySet()) {
            List<Assessor.Measured> deployments = new ArrayList<>();
            for (Map.Entry<DeploymentModel, Gathered> entry :
                    application.getValue().entrySet()) {
                DeploymentModel model = entry.getKey();
                Gathered g = entry.getValue();
                String artifact = String.join(", ", g.targets);
                Evidence evidence = Evidence.unknown();
                SecurityProfile profile = SecurityProfile.of(
                        model,
                        artifact,
                        g.packages,
                        g.vulnerabilities,
                        g.failedChecks,
                        null,
                        evidence,
                        data.responsibility(model));
                deployments.add(new Assessor.Measured(model, artifact, profile, evidence, null));
            }
            measured.add(new Assessor.MeasuredApplication(application.getKey(), null, deployments));
        }
        return Assessor.assess(measured, data);
    }
}
