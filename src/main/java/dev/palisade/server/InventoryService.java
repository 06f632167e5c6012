package dev.palisade.server;

import dev.palisade.checks.TrustedSources;
import dev.palisade.inventory.Inventory;
import dev.palisade.match.Finding;
import dev.palisade.policy.ResultPolicy;
import dev.palisade.report.CycloneDxWriter;
import dev.palisade.report.ScanReport;
import dev.palisade.scan.ScanPipeline;
import dev.palisade.scan.ScanRequest;
import dev.palisade.scan.ScanResult;
import dev.palisade.scan.ScanTarget;
import dev.palisade.scan.Scanner;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * What the server does with inventories, on the one pipeline: a submitted SBOM is read and matched
 * by {@link ScanPipeline} (target {@link ScanTarget.SbomDocument}), stored as CycloneDX with its
 * findings; when the database changes, every target's newest stored inventory goes through the same
 * pipeline again, and what changed is recorded.
 */
public final class InventoryService {
    private final ScanPipeline pipeline;
    private final ServerDatabase database;
    private final ServerStore store;
    private final DatabaseUpdates updates;
    private final Clock clock;
    private final String toolVersion;
    private final ScanLimits limits;
    private final Consumer<String> log;
    private final ReentrantLock rematching = new ReentrantLock();

    /** Brings the vulnerability database file up to date; true when it was rebuilt. */
    @FunctionalInterface
    public interface DatabaseUpdates {
        boolean update() throws IOException;
    }

    public InventoryService(
            ScanPipeline pipeline,
            ServerDatabase database,
            ServerStore store,
            DatabaseUpdates updates,
            Clock clock,
            String toolVersion,
            ScanLimits limits,
            Consumer<String> log) {
        this.pipeline = pipeline;
        this.database = database;
        this.store = store;
        this.updates = updates;
        this.clock = clock;
        this.toolVersion = toolVersion;
        this.limits = limits;
        this.log = log;
    }

    /** An inventory sent to the server, and who sent it. */
    public record Submission(
            String application,
            String target,
            DeploymentModel model,
            ArtifactKind kind,
            String reference,
            byte[] document,
            String submittedBy) {}

    /** The stored scan's id, and what its match found (unfiltered). */
    public record Submitted(long scanId, ScanResult result) {}

    /** What one re-match of every stored inventory found. */
    public record Rematch(
            int inventories, int added, int resolved, int reopened, String databaseBuiltAt, List<String> failures) {
        public Rematch {
            failures = List.copyOf(failures);
        }
    }

    /** What a database update and the re-match after it did. */
    public record Update(boolean rebuilt, Rematch rematch) {}

    /** The document could not be read as an SBOM: the sender's mistake. */
    public static final class UnreadableInventoryException extends Exception {
        UnreadableInventoryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public Submitted submit(Submission submission) throws UnreadableInventoryException, IOException, SQLException {
        try {
            return database.reading(() -> {
                ScanResult result = placed(
                        match(submission.target(), submission.document()), submission.model(), submission.kind());
                Inventory inventory = result.inventory();
                ScanReport.DatabaseInfo matchedWith = result.database();
                if (matchedWith == null || result.findings() == null) {
                    throw new IOException("the inventory was not matched");
                }
                String cycloneDx = cycloneDx(inventory, result);
                long id = store.saveScan(
                        new ServerStore.NewScan(
                                new ServerStore.TargetRef(
                                        submission.application(),
                                        submission.target(),
                                        submission.model().name(),
                                        submission.kind().name().toLowerCase(Locale.ROOT),
                                        submission.reference()),
                                cycloneDx,
                                inventory.packages().size(),
                                result.scannedAt(),
                                submission.submittedBy(),
                                matchedWith),
                        result.findings());
                return new Submitted(id, result);
            });
        } catch (SourceException e) {
            // the reader's own words, without the pipeline's prefix naming the target a second time
            throw new UnreadableInventoryException(
                    String.valueOf(e.getCause() instanceof IOException cause ? cause.getMessage() : e.getMessage()), e);
        } catch (IOException | SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Updates the database, reopens it, and matches every stored inventory again. */
    public Update updateAndRematch() throws IOException, SQLException {
        boolean rebuilt = updates.update();
        database.reopen();
        return new Update(rebuilt, rematchAll());
    }

    /** Matches the newest stored inventory of every target with the current database; one re-match runs at a time. */
    public Rematch rematchAll() throws IOException, SQLException {
        rematching.lock();
        try {
            return database.reading(this::rematchLocked);
        } catch (IOException | SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            rematching.unlock();
        }
    }

    private Rematch rematchLocked() throws IOException, SQLException {
        List<String> failures = new ArrayList<>();
        ServerStore.Changes changes = new ServerStore.Changes(0, 0, 0);
        List<Long> ids = store.latestScanIds();
        String builtAt = database.describe().builtAt();
        int matched = 0;
        for (long id : ids) {
            Optional<ServerStore.StoredInventory> stored = store.inventory(id);
            if (stored.isEmpty()) {
                continue; // removed since the list was read
            }
            try {
                ScanResult result =
                        match(stored.get().target(), stored.get().cycloneDx().getBytes(StandardCharsets.UTF_8));
                List<Finding> findings = result.findings() == null ? List.of() : result.findings();
                ScanReport.DatabaseInfo matchedWith =
                        result.database() == null ? database.describe() : result.database();
                changes = changes.plus(store.rematched(id, findings, clock.instant(), matchedWith));
                matched++;
            } catch (SourceException e) {
                // a stored inventory the reader no longer accepts: said, and the others still matched
                failures.add("scan " + id + ": " + e.getMessage());
                log.accept("re-match of scan " + id + " failed: " + e.getMessage());
            }
        }
        return new Rematch(matched, changes.added(), changes.resolved(), changes.reopened(), builtAt, failures);
    }

    private ScanResult match(String name, byte[] document) throws SourceException, IOException {
        return pipeline.scan(new ScanRequest(
                new ScanTarget.SbomDocument(name, document),
                EnumSet.of(Scanner.VULN),
                limits,
                ResultPolicy.reportAll(),
                TrustedSources.NONE,
                null));
    }

    /** When the database matched with now was built. */
    public String databaseBuiltAt() throws IOException {
        return database.describe().builtAt();
    }

    /** The report on a result under the caller's policy: the pipeline's, as for every entry point. */
    public ScanPipeline.Report report(ScanResult result, ResultPolicy policy) {
        return pipeline.report(result, policy);
    }

    /** The deployment model and the kind are the submitter's word: an SBOM does not say them. */
    private static ScanResult placed(ScanResult result, DeploymentModel model, ArtifactKind kind) {
        Inventory inventory = result.inventory();
        ArtifactDescription artifact = inventory.artifact();
        Inventory placed = new Inventory(
                new ArtifactDescription(
                        artifact.name(),
                        kind,
                        model,
                        artifact.layers(),
                        artifact.imageMetadata().orElse(null)),
                inventory.os(),
                inventory.packages(),
                inventory.problems());
        return new ScanResult(
                placed,
                result.findings(),
                result.misconfigurations(),
                result.secrets(),
                result.problems(),
                result.database(),
                result.missingData(),
                result.listeningSockets(),
                result.scannedAt(),
                result.cutShort());
    }

    private String cycloneDx(Inventory inventory, ScanResult result) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CycloneDxWriter().write(ScanReport.inventoryOnly(inventory, result.scannedAt(), toolVersion), out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
