package dev.palisade.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The scans the server runs itself, kept in storage so that none is lost: a worker claims a job with a
 * lease it renews while it works; a job whose worker died (kill -9, a lost machine) is claimed again
 * when its lease runs out, and one still running at a graceful stop is put back at once. A job is
 * marked done in the transaction that stores its scan, so a result is stored once or not at all.
 */
final class JobQueue {
    /** A scan is tried this often before the job fails for good. */
    static final int MAX_ATTEMPTS = 3;

    private final DataSource dataSource;
    private final Clock clock;

    JobQueue(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    enum State {
        QUEUED,
        RUNNING,
        DONE,
        FAILED;

        String spelling() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An image to scan, for an application's target. */
    record NewJob(
            @Nullable Long watchId,
            String application,
            String target,
            String model,
            String reference,
            @Nullable String tag,
            @Nullable String digest) {}

    record Job(
            long id,
            @Nullable Long watchId,
            String application,
            String target,
            String model,
            String reference,
            @Nullable String tag,
            @Nullable String digest,
            String state,
            int attempts,
            Instant createdAt,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable Long scanId,
            @Nullable String error) {}

    /**
     * Queues the scan unless the same image is already queued or running for the same target; returns
     * whether it was queued.
     */
    boolean enqueue(NewJob job) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement q =
                        c.prepareStatement("SELECT 1 FROM scan_jobs WHERE application = ? AND target = ?"
                                + " AND reference = ? AND state IN ('queued', 'running')")) {
                    q.setString(1, job.application());
                    q.setString(2, job.target());
                    q.setString(3, job.reference());
                    try (ResultSet r = q.executeQuery()) {
                        if (r.next()) {
                            c.rollback();
                            return false;
                        }
                    }
                }
                Instant now = clock.instant();
                try (PreparedStatement insert =
                        c.prepareStatement("INSERT INTO scan_jobs (watch_id, application, target,"
                                + " deployment_model, reference, tag, digest, state, attempts, not_before, created_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)")) {
                    if (job.watchId() == null) {
                        insert.setNull(1, Types.BIGINT);
                    } else {
                        insert.setLong(1, job.watchId());
                    }
                    insert.setString(2, job.application());
                    insert.setString(3, job.target());
                    insert.setString(4, job.model());
                    insert.setString(5, job.reference());
                    insert.setString(6, job.tag());
                    insert.setString(7, job.digest());
                    insert.setTimestamp(8, Timestamp.from(now));
                    insert.setTimestamp(9, Timestamp.from(now));
                    insert.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Claims the oldest job that is due: queued, or running under a lease that ran out. Two workers
     * never both claim one job: the claim is a conditional update, and only one update matches.
     */
    Optional<Job> claim(String worker, Duration lease) throws SQLException {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            for (int tries = 0; tries < 5; tries++) {
                Long candidate = null;
                try (PreparedStatement q = c.prepareStatement("SELECT id FROM scan_jobs WHERE (state = 'queued' AND"
                        + " not_before <= ?) OR (state = 'running' AND lease_until < ?) ORDER BY id LIMIT 1")) {
                    q.setTimestamp(1, Timestamp.from(now));
                    q.setTimestamp(2, Timestamp.from(now));
                    try (ResultSet r = q.executeQuery()) {
                        if (r.next()) {
                            candidate = r.getLong(1);
                        }
                    }
                }
                if (candidate == null) {
                    return Optional.empty();
                }
                try (PreparedStatement u = c.prepareStatement("UPDATE scan_jobs SET state = 'running', worker = ?,"
                        + " lease_until = ?, started_at = ?, attempts = attempts + 1 WHERE id = ? AND ((state = 'queued'"
                        + " AND not_before <= ?) OR (state = 'running' AND lease_until < ?))")) {
                    u.setString(1, worker);
                    u.setTimestamp(2, Timestamp.from(now.plus(lease)));
                    u.setTimestamp(3, Timestamp.from(now));
                    u.setLong(4, candidate);
                    u.setTimestamp(5, Timestamp.from(now));
                    u.setTimestamp(6, Timestamp.from(now));
                    if (u.executeUpdate() == 1) {
                        return job(c, candidate);
                    }
                }
            }
        }
        return Optional.empty(); // others keep winning: the next poll tries again
    }

    /** Extends the lease of a job this worker still holds; false when it lost it. */
    boolean renew(long jobId, String worker, Duration lease) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement u = c.prepareStatement("UPDATE scan_jobs SET lease_until = ? WHERE id = ?"
                        + " AND state = 'running' AND worker = ?")) {
            u.setTimestamp(1, Timestamp.from(clock.instant().plus(lease)));
            u.setLong(2, jobId);
            u.setString(3, worker);
            return u.executeUpdate() == 1;
        }
    }

    /**
     * Marks the job done with its stored scan, on {@code c}, inside the transaction that stored the scan.
     * False when this worker no longer holds the job: the caller rolls back, so the scan is not stored twice.
     */
    boolean complete(Connection c, long jobId, String worker, long scanId) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE scan_jobs SET state = 'done', finished_at = ?,"
                + " scan_id = ?, lease_until = NULL, error = NULL WHERE id = ? AND state = 'running' AND worker = ?")) {
            u.setTimestamp(1, Timestamp.from(clock.instant()));
            u.setLong(2, scanId);
            u.setLong(3, jobId);
            u.setString(4, worker);
            return u.executeUpdate() == 1;
        }
    }

    /**
     * Records a failed attempt: the job is queued again after a back-off, or fails for good after
     * {@link #MAX_ATTEMPTS}, or at once when {@code permanent}. Returns whether it failed for good.
     */
    boolean failed(Job job, String worker, String error, boolean permanent) throws SQLException {
        boolean last = permanent || job.attempts() >= MAX_ATTEMPTS;
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection();
                PreparedStatement u = c.prepareStatement("UPDATE scan_jobs SET state = ?, error = ?, not_before = ?,"
                        + " finished_at = ?, lease_until = NULL WHERE id = ? AND state = 'running' AND worker = ?")) {
            u.setString(1, last ? "failed" : "queued");
            u.setString(2, error);
            // 1, 4, 16 minutes
            u.setTimestamp(
                    3, Timestamp.from(now.plus(Duration.ofMinutes(1L << (2 * Math.max(0, job.attempts() - 1))))));
            u.setTimestamp(4, last ? Timestamp.from(now) : null);
            u.setLong(5, job.id());
            u.setString(6, worker);
            u.executeUpdate();
        }
        return last;
    }

    /** Puts this worker's running jobs back in the queue (a graceful stop that could not finish them). */
    int requeue(String worker) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement u = c.prepareStatement("UPDATE scan_jobs SET state = 'queued', worker = NULL,"
                        + " lease_until = NULL, attempts = attempts - 1 WHERE state = 'running' AND worker = ?")) {
            u.setString(1, worker);
            return u.executeUpdate();
        }
    }

    /**
     * Puts back in the queue the running jobs whose worker is known to be dead (a process of this
     * machine that no longer runs, killed mid-scan), without waiting for their leases to run out.
     */
    int requeueDead(java.util.function.Predicate<String> dead) throws SQLException {
        List<String> workers = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "SELECT DISTINCT worker FROM scan_jobs WHERE state = 'running' AND worker IS NOT NULL");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                workers.add(r.getString(1));
            }
        }
        int requeued = 0;
        for (String worker : workers) {
            if (dead.test(worker)) {
                requeued += requeue(worker);
            }
        }
        return requeued;
    }

    /** How many jobs are queued or running: the queue depth. */
    int depth() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q =
                        c.prepareStatement("SELECT count(*) FROM scan_jobs WHERE state IN ('queued', 'running')");
                ResultSet r = q.executeQuery()) {
            r.next();
            return r.getInt(1);
        }
    }

    List<Job> list(@Nullable State state, long offset, int limit) throws SQLException {
        List<Job> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        COLUMNS + (state == null ? "" : " WHERE state = ?") + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
            int i = 1;
            if (state != null) {
                q.setString(i++, state.spelling());
            }
            q.setInt(i++, limit);
            q.setLong(i, offset);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(job(r));
                }
            }
        }
        return out;
    }

    private static final String COLUMNS = "SELECT id, watch_id, application, target, deployment_model, reference, tag,"
            + " digest, state, attempts, created_at, started_at, finished_at, scan_id, error FROM scan_jobs";

    private static Optional<Job> job(Connection c, long id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(COLUMNS + " WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? Optional.of(job(r)) : Optional.empty();
            }
        }
    }

    private static Job job(ResultSet r) throws SQLException {
        long watch = r.getLong(2);
        Long watchId = r.wasNull() ? null : watch;
        long scan = r.getLong(14);
        Long scanId = r.wasNull() ? null : scan;
        return new Job(
                r.getLong(1),
                watchId,
                r.getString(3),
                r.getString(4),
                r.getString(5),
                r.getString(6),
                r.getString(7),
                r.getString(8),
                r.getString(9),
                r.getInt(10),
                r.getTimestamp(11).toInstant(),
                instant(r.getTimestamp(12)),
                instant(r.getTimestamp(13)),
                scanId,
                r.getString(15));
    }

    private static @Nullable Instant instant(@Nullable Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
