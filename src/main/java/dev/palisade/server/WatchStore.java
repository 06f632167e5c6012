package dev.palisade.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** The images the server scans by itself, and the digest behind each tag when it was last scanned. */
final class WatchStore {
    private final DataSource dataSource;
    private final Clock clock;

    WatchStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * A watched repository or image.
     *
     * @param tagPattern the tags of a repository to scan (a regular expression), or null for every tag
     *     (a repository) or the one image the reference names
     */
    record Watch(
            long id,
            String application,
            String reference,
            @Nullable String tagPattern,
            String model,
            Duration interval,
            Instant createdAt,
            String createdBy,
            @Nullable Instant lastCheckedAt,
            @Nullable String lastError) {}

    record NewWatch(
            String application, String reference, @Nullable String tagPattern, String model, Duration interval) {}

    Watch add(NewWatch watch, String createdBy, AuditLog audit) throws SQLException {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long id;
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO watches (application, reference,"
                        + " tag_pattern, deployment_model, interval_seconds, created_at, created_by)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                    insert.setString(1, watch.application());
                    insert.setString(2, watch.reference());
                    insert.setString(3, watch.tagPattern());
                    insert.setString(4, watch.model());
                    insert.setLong(5, watch.interval().toSeconds());
                    insert.setTimestamp(6, Timestamp.from(now));
                    insert.setString(7, createdBy);
                    try (ResultSet r = insert.executeQuery()) {
                        r.next();
                        id = r.getLong(1);
                    }
                }
                audit.add(
                        c,
                        createdBy,
                        "watch.create",
                        watch.reference(),
                        "id " + id + ", application " + watch.application() + ", every "
                                + watch.interval().toMinutes() + " min"
                                + (watch.tagPattern() == null ? "" : ", tags " + watch.tagPattern()));
                c.commit();
                return find(id).orElseThrow();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    Optional<Watch> find(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(COLUMNS + " WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? Optional.of(watch(r)) : Optional.empty();
            }
        }
    }

    List<Watch> list() throws SQLException {
        List<Watch> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(COLUMNS + " ORDER BY id");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                out.add(watch(r));
            }
        }
        return out;
    }

    /** The watches whose interval has passed since they were last checked (or never were). */
    List<Watch> due() throws SQLException {
        Instant now = clock.instant();
        List<Watch> due = new ArrayList<>();
        for (Watch w : list()) {
            if (w.lastCheckedAt() == null
                    || !w.lastCheckedAt().plus(w.interval()).isAfter(now)) {
                due.add(w);
            }
        }
        return due;
    }

    boolean delete(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement d = c.prepareStatement("DELETE FROM watches WHERE id = ?")) {
            d.setLong(1, id);
            return d.executeUpdate() == 1;
        }
    }

    void checked(long id, @Nullable String error) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement u =
                        c.prepareStatement("UPDATE watches SET last_checked_at = ?, last_error = ? WHERE id = ?")) {
            u.setTimestamp(1, Timestamp.from(clock.instant()));
            u.setString(2, error);
            u.setLong(3, id);
            u.executeUpdate();
        }
    }

    /** The digest each tag had when it was last scanned. */
    Map<String, String> digests(long watchId) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("SELECT tag, digest FROM watch_digests WHERE watch_id = ?")) {
            q.setLong(1, watchId);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getString(2));
                }
            }
        }
        return out;
    }

    /** Records the digest scanned for a tag, on {@code c}, in the transaction that stores the scan. */
    void scanned(Connection c, long watchId, String tag, String digest) throws SQLException {
        try (PreparedStatement d = c.prepareStatement("DELETE FROM watch_digests WHERE watch_id = ? AND tag = ?")) {
            d.setLong(1, watchId);
            d.setString(2, tag);
            d.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO watch_digests (watch_id, tag, digest, scanned_at) SELECT ?, ?, ?, ? WHERE EXISTS"
                        + " (SELECT 1 FROM watches WHERE id = ?)")) {
            insert.setLong(1, watchId);
            insert.setString(2, tag);
            insert.setString(3, digest);
            insert.setTimestamp(4, Timestamp.from(clock.instant()));
            insert.setLong(5, watchId);
            insert.executeUpdate();
        }
    }

    private static final String COLUMNS = "SELECT id, application, reference, tag_pattern, deployment_model,"
            + " interval_seconds, created_at, created_by, last_checked_at, last_error FROM watches";

    private static Watch watch(ResultSet r) throws SQLException {
        Timestamp checked = r.getTimestamp(9);
        return new Watch(
                r.getLong(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                r.getString(5),
                Duration.ofSeconds(r.getLong(6)),
                r.getTimestamp(7).toInstant(),
                r.getString(8),
                checked == null ? null : checked.toInstant(),
                r.getString(10));
    }
}
