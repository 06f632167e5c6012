package dev.palisade.server;

import dev.palisade.registry.RegistryClient;
import dev.palisade.registry.TagPattern;
import dev.palisade.scan.RegistryAccess;
import dev.palisade.scan.ScanTarget;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.SourceException;
import dev.palisade.source.image.ImageReference;
import dev.palisade.source.remote.SshDestination;
import dev.palisade.source.remote.SshSettings;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The scans the server runs by itself: every poll it checks the watches that are due (the tags of a
 * repository, or one image), queues a scan for each tag whose digest changed since it was last scanned,
 * and runs the queued jobs one at a time, storing each through {@link InventoryService#scanImage}. A
 * watched host has no digest to compare: it is queued every interval and scanned over SSH through
 * {@link InventoryService#scanHost}, with the server's own key and known hosts.
 */
final class ImageScans implements AutoCloseable {
    /** A repository with more tags than this is read only this far. */
    static final int MAX_TAGS = 10_000;

    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    private final ServerMetrics metrics;
    private final WatchStore watches;
    private final JobQueue jobs;
    private final InventoryService service;
    private final RegistryAccess registries;
    private final @Nullable SshSettings hostAccess;
    private final InventoryService.ChangeListener listener;
    private final ServerLog log;
    private final String worker;
    private final Duration lease;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService leases;
    private final AtomicBoolean stopping = new AtomicBoolean();

    ImageScans(
            ServerMetrics metrics,
            WatchStore watches,
            JobQueue jobs,
            InventoryService service,
            RegistryAccess registries,
            @Nullable SshSettings hostAccess,
            InventoryService.ChangeListener listener,
            ServerLog log,
            String worker,
            Duration lease) {
        this.metrics = metrics;
        this.watches = watches;
        this.jobs = jobs;
        this.service = service;
        this.registries = registries;
        this.hostAccess = hostAccess;
        this.listener = listener;
        this.log = log;
        this.worker = worker;
        this.lease = lease;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "palisade-image-scans"));
        this.leases = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "palisade-job-leases"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Whether the server has a key to reach hosts with. */
    boolean scansHosts() {
        return hostAccess != null;
    }

    /** Starts polling: due watches are checked and queued jobs run every {@code poll}. */
    void start(Duration poll) {
        scheduler.scheduleWithFixedDelay(this::poll, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a poll now, on the scans' own thread (a watch checked through the API, a job just queued). */
    void wake() {
        if (!stopping.get()) {
            scheduler.execute(this::poll);
        }
    }

    private void poll() {
        try {
            for (WatchStore.Watch watch : watches.due()) {
                if (stopping.get()) {
                    return;
                }
                check(watch);
            }
            while (!stopping.get() && runOne()) {
                // one job after another until the queue holds none that is due
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("image scans: " + e.getMessage());
        } catch (OutOfMemoryError | StackOverflowError e) {
            // thrown out of a scheduled task, it would cancel the polling for good, and silently; the memory of the
            // scan that ran out is garbage now, so the next poll may go on
            log.warn("image scans: " + e + "; polling goes on");
        }
    }

    /** Checks one watch: queues a scan of each tag whose digest changed; returns how many were queued. */
    int check(WatchStore.Watch watch) throws SQLException {
        if (watch.kind() == WatchStore.Kind.HOST) {
            return checkHost(watch);
        }
        ImageReference reference = ImageReference.parse(watch.reference()).orElse(null);
        if (reference == null) {
            watches.checked(watch.id(), "not an image reference");
            return 0;
        }
        int queued = 0;
        String error = null;
        try {
            Map<String, String> scanned = watches.digests(watch.id());
            RegistryClient client = registries.client(reference);
            RegistryClient.TagList tags = tags(watch, reference, client);
            if (tags.notTagNames() > 0) {
                error = "the registry listed " + tags.notTagNames() + " entries that are not tag names; not scanned";
            }
            for (String tag : tags.tags()) {
                ImageReference tagged = new ImageReference(reference.registry(), reference.repository(), tag, null);
                String digest = reference.digest() != null && tag.equals(reference.digest())
                        ? reference.digest()
                        : digest(client.forReference(tagged), tag);
                if (digest.equals(scanned.get(tag))) {
                    continue;
                }
                boolean added = jobs.enqueue(new JobQueue.NewJob(
                        watch.id(),
                        watch.application(),
                        targetName(reference, tag),
                        watch.model(),
                        new ImageReference(reference.registry(), reference.repository(), null, digest).toString(),
                        tag,
                        digest));
                if (added) {
                    queued++;
                }
            }
        } catch (IOException e) {
            error = String.valueOf(e.getMessage());
            log.warn("cannot check " + watch.reference() + ": " + error);
        }
        watches.checked(watch.id(), error);
        return queued;
    }

    /** A host is scanned again every interval: one job, unless one is already queued or running. */
    private int checkHost(WatchStore.Watch watch) throws SQLException {
        SshDestination destination;
        try {
            destination = SshDestination.parse(watch.reference());
        } catch (IllegalArgumentException e) {
            watches.checked(watch.id(), String.valueOf(e.getMessage()));
            return 0;
        }
        boolean added = jobs.enqueue(new JobQueue.NewJob(
                watch.id(),
                watch.application(),
                destination.toString(),
                watch.model(),
                destination.toString(),
                null,
                null));
        watches.checkedKeepingError(watch.id()); // the last scan's error stays until a scan works
        return added ? 1 : 0;
    }

    /** The tags a watch covers: the one the reference names, or those of the repository its pattern matches. */
    private static RegistryClient.TagList tags(WatchStore.Watch watch, ImageReference reference, RegistryClient client)
            throws IOException {
        if (!isRepository(watch.reference())) {
            return new RegistryClient.TagList(
                    List.of(reference.digest() != null ? reference.digest() : reference.manifestReference()), 0);
        }
        TagPattern wanted;
        try {
            wanted = watch.tagPattern() == null ? TagPattern.everyTag() : TagPattern.compile(watch.tagPattern());
        } catch (IllegalArgumentException e) { // stored by an older version, which took Java's syntax
            throw new IOException("the watch's tag pattern: " + e.getMessage());
        }
        RegistryClient.TagList listed = client.tags(MAX_TAGS);
        List<String> tags = new ArrayList<>();
        for (String tag : listed.tags()) {
            if (wanted.matches(tag)) {
                tags.add(tag);
            }
        }
        tags.sort(null);
        return new RegistryClient.TagList(tags, listed.notTagNames());
    }

    /** A reference without a tag or digest of its own ({@code HOST/REPO}) watches the repository's tags. */
    static boolean isRepository(String reference) {
        String last = reference.substring(reference.lastIndexOf('/') + 1);
        return !last.contains(":") && !last.contains("@");
    }

    private static String targetName(ImageReference reference, String tag) {
        String base = reference.registry() + "/" + reference.repository();
        return DIGEST.matcher(tag).matches() ? base + "@" + tag : base + ":" + tag;
    }

    /** The digest a tag points at now: the registry's word, checked against the manifest it sent. */
    private static String digest(RegistryClient client, String tag) throws IOException {
        RegistryClient.Response response = client.manifest(tag);
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream body = new DigestInputStream(response.body(), sha256)) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        }
        String computed = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        String said = response.digest();
        if (said != null
                && said.startsWith("sha256:")
                && !said.toLowerCase(Locale.ROOT).equals(computed)) {
            throw new IOException(
                    "the registry's digest for " + tag + " (" + said + ") is not that of the manifest it sent");
        }
        return computed;
    }

    /** Claims and runs one due job; false when there was none. */
    boolean runOne() throws SQLException {
        JobQueue.Job job = jobs.claim(worker, lease).orElse(null);
        if (job == null) {
            return false;
        }
        ScheduledFuture<?> renewing = leases.scheduleWithFixedDelay(
                () -> {
                    try {
                        jobs.renew(job.id(), worker, lease);
                    } catch (SQLException e) {
                        log.warn("cannot renew the lease of job " + job.id() + ": " + e.getMessage());
                    }
                },
                lease.toMillis() / 3,
                lease.toMillis() / 3,
                TimeUnit.MILLISECONDS);
        try {
            run(job);
        } finally {
            renewing.cancel(false);
        }
        return true;
    }

    private void run(JobQueue.Job job) throws SQLException {
        if (job.reference().startsWith("ssh://")) {
            runHost(job);
            return;
        }
        ImageReference image = ImageReference.parse(job.reference()).orElse(null);
        DeploymentModel model = DeploymentModel.valueOf(job.model().toUpperCase(Locale.ROOT));
        if (image == null) {
            fail(job, "not an image reference: " + job.reference(), true);
            return;
        }
        long started = System.nanoTime();
        try {
            service.scanImage(image, job.application(), job.target(), model, "watch " + job.watchId(), (c, scanId) -> {
                if (!jobs.complete(c, job.id(), worker, scanId)) {
                    throw new SQLException(
                            "job " + job.id() + " was taken over by another worker: its scan is not stored twice");
                }
                if (job.watchId() != null && job.tag() != null && job.digest() != null) {
                    watches.scanned(c, job.watchId(), job.tag(), job.digest());
                }
            });
            metrics.scan("watch", "stored", Duration.ofNanos(System.nanoTime() - started));
        } catch (SourceException | IOException e) {
            metrics.scan("watch", "failed", Duration.ofNanos(System.nanoTime() - started));
            // an inventory too large to store stays too large: trying again cannot help
            fail(job, String.valueOf(e.getMessage()), e instanceof InventoryService.OversizedInventoryException);
        } catch (SQLException e) {
            if (stopping.get()) {
                return; // the stop puts it back
            }
            fail(job, "storing the scan failed: " + e.getMessage(), false);
        }
    }

    private void runHost(JobQueue.Job job) throws SQLException {
        SshDestination destination;
        try {
            destination = SshDestination.parse(job.reference());
        } catch (IllegalArgumentException e) {
            fail(job, String.valueOf(e.getMessage()), true);
            return;
        }
        SshSettings access = hostAccess;
        if (access == null) {
            fail(
                    job,
                    "the server has no SSH key to reach hosts with: start it with --ssh-key and --ssh-known-hosts",
                    true);
            return;
        }
        // a host is only scanned for its watch: once the watch is deleted, its queued scan is not run
        WatchStore.Watch watch =
                job.watchId() == null ? null : watches.find(job.watchId()).orElse(null);
        if (watch == null) {
            fail(job, "the watch of this host was deleted", true);
            return;
        }
        List<String> skips = watch.skipDirectories();
        DeploymentModel model = DeploymentModel.valueOf(job.model().toUpperCase(Locale.ROOT));
        long started = System.nanoTime();
        try {
            service.scanHost(
                    new ScanTarget.RemoteHost(destination, access, skips),
                    job.application(),
                    job.target(),
                    model,
                    "watch " + job.watchId(),
                    (c, scanId) -> {
                        if (!jobs.complete(c, job.id(), worker, scanId)) {
                            throw new SQLException("job " + job.id()
                                    + " was taken over by another worker: its scan is not stored twice");
                        }
                        if (job.watchId() != null) {
                            watches.succeeded(c, job.watchId());
                        }
                    });
            metrics.scan("watch", "stored", Duration.ofNanos(System.nanoTime() - started));
        } catch (SourceException | IOException | RuntimeException e) {
            metrics.scan("watch", "failed", Duration.ofNanos(System.nanoTime() - started));
            String message = String.valueOf(e.getMessage());
            if (job.watchId() != null) {
                watches.failed(job.watchId(), message);
            }
            fail(job, message, e instanceof InventoryService.OversizedInventoryException);
        } catch (SQLException e) {
            if (stopping.get()) {
                return; // the stop puts it back
            }
            fail(job, "storing the scan failed: " + e.getMessage(), false);
        }
    }

    private void fail(JobQueue.Job job, String message, boolean permanent) throws SQLException {
        boolean last = jobs.failed(job, worker, message, permanent);
        log.warn("scan of " + job.reference() + " for " + job.application() + "/" + job.target() + " failed"
                + (last ? " for good" : ", will retry") + ": " + message);
        if (last) {
            listener.scanFailed(job.application(), job.target(), job.model(), job.reference(), message);
        }
    }

    /**
     * Stops polling, lets a running scan finish within {@code grace}, and puts back in the queue what
     * is still running after it.
     */
    void stop(Duration grace) {
        stopping.set(true);
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                scheduler.shutdownNow();
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leases.shutdownNow();
        try {
            int requeued = jobs.requeue(worker);
            if (requeued > 0) {
                log.info(requeued + " running scan job(s) put back in the queue for the next start");
            }
        } catch (SQLException e) {
            log.warn("cannot put running jobs back in the queue (their leases will run out): " + e.getMessage());
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
