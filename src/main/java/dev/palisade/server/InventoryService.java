package dev.palisade.server;

import dev.palisade.catalog.sbom.SbomReader;
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
import dev.palisade.scan.VulnerabilityDatabase;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.image.ImageReference;
import dev.palisade.source.image.ImageSources;
import dev.palisade.vulndb.DatabaseChanges;
import dev.palisade.vulndb.PackageKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the server does with inventories, on the one pipeline: a submitted SBOM is read and matched
 * by {@link ScanPipeline} (target {@link ScanTarget.SbomDocument}), stored as CycloneDX with its
 * findings and the (ecosystem, package) keys its match looked up; when the database changes, the
 * newest inventory of every target holding a changed key goes through the same pipeline again, and
 * what changed is recorded and passed on to {@link ChangeListener}.
 */
public final class InventoryService {
    private final Function<VulnerabilityDatabase, ScanPipeline> pipelines;
    private final ServerDatabase database;
    private final ServerStore store;
    private final DatabaseUpdates updates;
    private final Clock clock;
    private final String toolVersion;
    private final ScanLimits limits;
    /**
     * What a stored inventory is read back with: the form the server stores is larger than what was sent (each
     * package's properties and locations), so reading it with the upload limit failed, and the target could no
     * longer be assessed or matched again. An inventory over this is refused when it is submitted instead.
     */
    private final ScanLimits storedLimits;

    static final int STORED_TO_UPLOAD = 4;
    /**
     * The most packages one submitted inventory may list (its read stops past them). A body within the upload limit
     * can list a million tiny components, and each costs the server far more than its bytes while it is read, matched
     * and stored; the largest real SBOMs list tens of thousands.
     */
    public static final long MAX_PACKAGES = 100_000;

    private final ScanLimits imageLimits;
    private final ServerLog log;
    private final ChangeListener listener;
    private final int threads;
    private final ImageSources.Platform imagePlatform;
    private final ReentrantLock rematching = new ReentrantLock();

    /** Brings the vulnerability database file up to date. */
    @FunctionalInterface
    public interface DatabaseUpdates {
        DatabaseUpdate update() throws IOException;
    }

    /**
     * What an update did: whether the file was rebuilt, and what it changed ({@link DatabaseChanges}: the
     * package keys, the ecosystems that gained or lost all data, the CVEs whose KEV entry changed; or
     * everything, e.g. the first build, and then every inventory is matched again).
     */
    public record DatabaseUpdate(boolean rebuilt, DatabaseChanges changes) {
        public static DatabaseUpdate unchanged() {
            return new DatabaseUpdate(false, DatabaseChanges.none());
        }
    }

    /** Told about every change of findings, once it is stored. */
    @FunctionalInterface
    public interface ChangeListener {
        void changed(List<ServerStore.Changes> changes);

        /** A scan the server ran itself failed for good. */
        default void scanFailed(String application, String target, String model, String reference, String message) {}

        ChangeListener NONE = changes -> {};
    }

    public InventoryService(
            Function<VulnerabilityDatabase, ScanPipeline> pipelines,
            ServerDatabase database,
            ServerStore store,
            DatabaseUpdates updates,
            Clock clock,
            String toolVersion,
            ScanLimits limits,
            ServerLog log,
            ChangeListener listener,
            int threads,
            ImageSources.Platform imagePlatform) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive");
        }
        this.pipelines = pipelines;
        this.database = database;
        this.store = store;
        this.updates = updates;
        this.clock = clock;
        this.toolVersion = toolVersion;
        // a submission may list at most MAX_PACKAGES; what is stored (a watched image's scan too) is read back whole
        this.limits = limits.withMaxEntries(Math.min(limits.maxEntries(), MAX_PACKAGES));
        this.storedLimits = limits.withMaxFileBytes(Math.multiplyExact(limits.maxFileBytes(), (long) STORED_TO_UPLOAD));
        this.imageLimits = ScanLimits.defaults();
        this.log = log;
        this.listener = listener;
        this.threads = threads;
        this.imagePlatform = imagePlatform;
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

    /** The stored scan's id, what its match found (unfiltered), and what changed against the target's previous scan. */
    public record Submitted(long scanId, ScanResult result, ServerStore.Changes changes) {}

    /** What one re-match found. */
    public record Rematch(
            int inventories, int added, int resolved, int reopened, String databaseBuiltAt, List<String> failures) {
        public Rematch {
            failures = List.copyOf(failures);
        }
    }

    /** What a database update and the re-match after it did. */
    public record Update(boolean rebuilt, int changedKeys, Rematch rematch) {}

    /** The document could not be read as an SBOM: the sender's mistake. */
    public static final class UnreadableInventoryException extends Exception {
        UnreadableInventoryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** An inventory the server could store but not read back within its limits. */
    public static final class OversizedInventoryException extends IOException {
        OversizedInventoryException(String message) {
            super(message);
        }
    }

    public Submitted submit(Submission submission) throws UnreadableInventoryException, IOException, SQLException {
        try {
            return store(
                    () -> match(submission.target(), submission.document(), limits),
                    submission.application(),
                    submission.target(),
                    submission.model(),
                    submission.kind(),
                    submission.reference(),
                    submission.submittedBy(),
                    ServerStore.BeforeCommit.NOTHING);
        } catch (SourceException e) {
            if (e.getCause() instanceof SbomReader.TooManyPackagesException tooMany) {
                throw new OversizedInventoryException(
                        "it lists more than " + tooMany.limit() + " packages, the most the server takes per inventory");
            }
            // the reader's own words, without the pipeline's prefix naming the target a second time
            throw new UnreadableInventoryException(
                    String.valueOf(e.getCause() instanceof IOException cause ? cause.getMessage() : e.getMessage()), e);
        }
    }

    /**
     * Scans an image in a registry (the server's own scans of watched images) and stores it as a
     * submission would be; {@code beforeCommit} joins the transaction that stores it.
     */
    public Submitted scanImage(
            ImageReference image,
            String application,
            String target,
            DeploymentModel model,
            String submittedBy,
            ServerStore.BeforeCommit beforeCommit)
            throws SourceException, IOException, SQLException {
        ScanTarget.RegistryImage registryImage = new ScanTarget.RegistryImage(image, imagePlatform);
        return store(
                () -> {
                    RecordingDatabase recording = new RecordingDatabase(database);
                    ScanResult result = pipelines
                            .apply(recording)
                            .scan(new ScanRequest(
                                    registryImage,
                                    EnumSet.of(Scanner.VULN, Scanner.MISCONFIG),
                                    imageLimits,
                                    ResultPolicy.reportAll(),
                                    TrustedSources.NONE,
                                    null));
                    return new Matched(result, recording.asked());
                },
                application,
                target,
                model,
                ArtifactKind.IMAGE,
                image.toString(),
                submittedBy,
                beforeCommit);
    }

    /**
     * Scans a host over SSH (the server's own scans of watched hosts) as {@code palisade host ssh://...}
     * does, and stores it as a vm's root file system; {@code beforeCommit} joins the transaction that
     * stores it.
     */
    public Submitted scanHost(
            ScanTarget.RemoteHost host,
            String application,
            String target,
            DeploymentModel model,
            String submittedBy,
            ServerStore.BeforeCommit beforeCommit)
            throws SourceException, IOException, SQLException {
        return store(
                () -> {
                    RecordingDatabase recording = new RecordingDatabase(database);
                    ScanResult result = pipelines
                            .apply(recording)
                            .scan(new ScanRequest(
                                    host,
                                    EnumSet.of(Scanner.VULN, Scanner.MISCONFIG),
                                    imageLimits,
                                    ResultPolicy.reportAll(),
                                    TrustedSources.NONE,
                                    null));
                    return new Matched(result, recording.asked());
                },
                application,
                target,
                model,
                ArtifactKind.ROOTFS,
                host.name(),
                submittedBy,
                beforeCommit);
    }

    /** A scan to store: run with the database's read lock held. */
    @FunctionalInterface
    private interface Scan {
        Matched run() throws SourceException, IOException;
    }

    private Submitted store(
            Scan scan,
            String application,
            String target,
            DeploymentModel model,
            ArtifactKind kind,
            String reference,
            String submittedBy,
            ServerStore.BeforeCommit beforeCommit)
            throws SourceException, IOException, SQLException {
        Submitted submitted;
        try {
            submitted = database.reading(() -> {
                Matched matched = scan.run();
                ScanResult result = placed(matched.result(), model, kind);
                Inventory inventory = result.inventory();
                ScanReport.DatabaseInfo matchedWith = result.database();
                if (matchedWith == null || result.findings() == null) {
                    throw new IOException("the inventory was not matched");
                }
                if (result.cutShort()) {
                    throw new IOException("the scan was cut short: storing it would hide what it did not see");
                }
                String cycloneDx = cycloneDx(inventory, result);
                long storedBytes = utf8Length(cycloneDx);
                if (storedBytes > storedLimits.maxFileBytes()) {
                    throw new OversizedInventoryException("its inventory takes " + storedBytes
                            + " bytes as the server stores it, more than the " + storedLimits.maxFileBytes()
                            + " it reads back (" + STORED_TO_UPLOAD + " times the upload limit)");
                }
                String digest = packageDigest(inventory);
                ServerStore.SavedScan saved = store.saveScan(
                        new ServerStore.NewScan(
                                new ServerStore.TargetRef(
                                        application,
                                        target,
                                        model.name(),
                                        kind.name().toLowerCase(Locale.ROOT),
                                        reference),
                                cycloneDx,
                                digest,
                                inventory.packages().size(),
                                result.scannedAt(),
                                submittedBy,
                                matchedWith,
                                matched.keys(),
                                ScanReport.redacted(result.misconfigurations())),
                        result.findings(),
                        beforeCommit);
                return new Submitted(saved.scanId(), result, saved.changes());
            });
        } catch (SourceException | IOException | SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        notify(List.of(submitted.changes()));
        return submitted;
    }

    /** Updates the database, reopens it, and matches again the inventories holding a key the update changed. */
    public Update updateAndRematch() throws IOException, SQLException {
        DatabaseUpdate update = updates.update();
        if (update.rebuilt()) {
            database.reopen();
        }
        DatabaseChanges changes = update.changes();
        if (changes.everything()) {
            return new Update(update.rebuilt(), -1, rematchAll());
        }
        return new Update(update.rebuilt(), changes.packages().size(), rematching(changes));
    }

    /** Matches the newest stored inventory of every target with the current database. */
    public Rematch rematchAll() throws IOException, SQLException {
        return rematching(DatabaseChanges.everything("asked for"));
    }

    /** Matches the newest stored inventories that hold one of {@code keys}. */
    public Rematch rematch(Set<PackageKey> keys) throws IOException, SQLException {
        return rematching(DatabaseChanges.of(keys, Set.of(), Set.of()));
    }

    /**
     * The newest inventories a change can touch: those whose match looked up a changed key, a KEV entry
     * that changed, or anything in an ecosystem that gained or lost all its data (its "no data" note).
     */
    private Collection<Long> touchedBy(DatabaseChanges changes) throws SQLException {
        if (changes.everything()) {
            return store.latestScanIds();
        }
        Set<PackageKey> keys = new java.util.HashSet<>(changes.packages());
        for (String cve : changes.kevCves()) {
            keys.add(new PackageKey(RecordingDatabase.KEV, cve));
        }
        Set<Long> ids = new java.util.TreeSet<>(keys.isEmpty() ? Set.of() : store.latestScanIdsHolding(keys));
        if (!changes.ecosystems().isEmpty()) {
            ids.addAll(store.latestScanIdsInEcosystems(changes.ecosystems()));
        }
        return ids;
    }

    /** One re-match runs at a time, with the read lock on the database so an update waits for it. */
    private Rematch rematching(DatabaseChanges changes) throws IOException, SQLException {
        rematching.lock();
        try {
            return database.reading(() -> rematchLocked(touchedBy(changes)));
        } catch (IOException | SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            rematching.unlock();
        }
    }

    private record Outcome(ServerStore.@Nullable Changes changes, @Nullable String failure) {}

    private Rematch rematchLocked(Collection<Long> ids) throws IOException, SQLException {
        String builtAt = database.describe().builtAt();
        // inventories with the same packages match the same: each distinct one is matched once
        Map<Long, String> digests = store.packageDigests(ids);
        Map<String, Future<Matching>> matchings = new java.util.concurrent.ConcurrentHashMap<>();
        List<Outcome> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, ids.size())), r -> {
            Thread t = new Thread(r, "palisade-rematch");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (long id : ids) {
                String digest = digests.getOrDefault(id, "scan " + id);
                futures.add(pool.submit(() -> rematchOne(id, digest, matchings)));
            }
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("the re-match was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<String> failures = new ArrayList<>();
        List<ServerStore.Changes> changes = new ArrayList<>();
        int added = 0;
        int resolved = 0;
        int reopened = 0;
        int matched = 0;
        for (Outcome o : outcomes) {
            if (o.failure() != null) {
                failures.add(o.failure());
            }
            ServerStore.Changes c = o.changes();
            if (c != null) {
                matched++;
                added += c.added().size();
                resolved += c.resolved().size();
                reopened += c.reopened().size();
                if (!c.isEmpty()) {
                    changes.add(c);
                }
            }
        }
        notify(changes);
        return new Rematch(matched, added, resolved, reopened, builtAt, failures);
    }

    /** What matching one distinct inventory gave: its findings and the keys it looked up, or why it failed. */
    private record Matching(
            @Nullable List<Finding> findings,
            Set<PackageKey> keys,
            ScanReport.@Nullable DatabaseInfo database,
            @Nullable String failure) {}

    private Outcome rematchOne(long id, String digest, Map<String, Future<Matching>> matchings)
            throws IOException, SQLException, InterruptedException, ExecutionException {
        java.util.concurrent.FutureTask<Matching> mine = new java.util.concurrent.FutureTask<>(() -> matchStored(id));
        Future<Matching> shared = matchings.putIfAbsent(digest, mine);
        if (shared == null) {
            mine.run();
            shared = mine;
        }
        Matching matching = shared.get();
        if (matching.failure() != null) {
            return new Outcome(null, "scan " + id + ": " + matching.failure());
        }
        if (matching.findings() == null) {
            return new Outcome(null, null); // removed since the list was read
        }
        ScanReport.DatabaseInfo matchedWith = matching.database() == null ? database.describe() : matching.database();
        return new Outcome(
                store.rematched(id, matching.findings(), matching.keys(), clock.instant(), matchedWith), null);
    }

    private Matching matchStored(long id) throws IOException, SQLException {
        Optional<ServerStore.StoredInventory> stored = store.inventory(id);
        if (stored.isEmpty()) {
            return new Matching(null, Set.of(), null, null);
        }
        try {
            Matched matched = match(
                    stored.get().target(), stored.get().cycloneDx().getBytes(StandardCharsets.UTF_8), storedLimits);
            ScanResult result = matched.result();
            return new Matching(
                    result.findings() == null ? List.of() : result.findings(), matched.keys(), result.database(), null);
        } catch (SourceException e) {
            // a stored inventory the reader no longer accepts: said, and the others still matched
            log.warn("re-match of scan " + id + " failed: " + e.getMessage());
            return new Matching(null, Set.of(), null, String.valueOf(e.getMessage()));
        }
    }

    /** SHA-256 of the sorted (ecosystem, name, version, purl) of every package: what matching depends on. */
    static String packageDigest(Inventory inventory) {
        List<String> lines = new ArrayList<>();
        inventory
                .packages()
                .forEach(p -> lines.add(p.ecosystem() + "\u0000" + p.name() + "\u0000" + p.version() + "\u0000"
                        + p.purl() + "\u0000" + p.sourceName() + "\u0000" + p.sourceVersion()));
        inventory.osRelease().ifPresent(os -> lines.add("os\u0000" + os));
        java.util.Collections.sort(lines);
        try {
            java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
            for (String line : lines) {
                sha256.update(line.getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) '\n');
            }
            return java.util.HexFormat.of().formatHex(sha256.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void notify(List<ServerStore.Changes> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            listener.changed(changes);
        } catch (RuntimeException e) {
            // the changes are stored: a listener's failure must not turn a stored result into an error
            log.warn("notifying about finding changes failed: " + e);
        }
    }

    private record Matched(ScanResult result, Set<PackageKey> keys) {}

    private Matched match(String name, byte[] document, ScanLimits readWith) throws SourceException, IOException {
        RecordingDatabase recording = new RecordingDatabase(database);
        ScanResult result = pipelines
                .apply(recording)
                .scan(new ScanRequest(
                        new ScanTarget.SbomDocument(name, document),
                        EnumSet.of(Scanner.VULN),
                        readWith,
                        ResultPolicy.reportAll(),
                        TrustedSources.NONE,
                        null));
        return new Matched(result, recording.asked());
    }

    /**
     * The packages of a stored inventory, read back by the pipeline like a submitted SBOM, without
     * matching (an assessment counts the stored findings).
     */
    public Inventory storedInventory(ServerStore.StoredInventory stored) throws SourceException, IOException {
        return pipelines
                .apply(database)
                .scan(new ScanRequest(
                        new ScanTarget.SbomDocument(
                                stored.target(), stored.cycloneDx().getBytes(StandardCharsets.UTF_8)),
                        EnumSet.noneOf(Scanner.class),
                        storedLimits,
                        ResultPolicy.reportAll(),
                        TrustedSources.NONE,
                        null))
                .inventory();
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    /** When the database matched with now was built. */
    public String databaseBuiltAt() throws IOException {
        return database.describe().builtAt();
    }

    /** The report on a result under the caller's policy: the pipeline's, as for every entry point. */
    public ScanPipeline.Report report(ScanResult result, ResultPolicy policy) {
        return pipelines.apply(database).report(result, policy);
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
