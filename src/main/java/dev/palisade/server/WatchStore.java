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

/**
 * The images and hosts the server scans by itself, and the digest behind each tag of an image when it was
 * last scanned.
 */
final class WatchStore {
    private final DataSource dataSource;
    private final Clock clock;

    WatchStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** What a watch scans: an image or repository in a registry, or a host over SSH. */
    enum Kind {
        IMAGE,
        HOST;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A watched repository, image or host.
     *
     * @param reference an image reference, or for a host its {@code ssh://USER@HOST[:PORT]} address
     * @param tagPattern the tags of a repository to scan (a regular expression), or null for every tag
     *     (a repository) or the one image the reference names
     * @param skipDirectories the top-level directories a host scan leaves out (none for an image)
     */
    record Watch(
            long id,
            Kind kind,
            String application,
            String reference,
            @Nullable String tagPattern,
            List<String> skipDirectories,
            String model,
            Duration interval,
            Instant createdAt,
            String createdBy,
            @Nullable Instant lastCheckedAt,
            @Nullable String lastError) {
        Watch {
            skipDirectories = List.copyOf(skipDirectories);
        }
    }

    record NewWatch(
            Kind kind,
            String application,
            String reference,
            @Nullable String tagPattern,
            List<String> skipDirectories,
            String model,
            Duration interval) {
        NewWatch {
            skipDirectories = List.copyOf(skipDirectories);
        }
    }

    Watch add(NewWatch watch, String createdBy, AuditLog audit) throws SQLException {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long id;
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO watches (application, reference,"
                        + " tag_pattern, deployment_model, interval_seconds, created_at, created_by, kind, skip_dirs)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                    insert.setString(1, watch.application());
                    insert.setString(2, watch.reference());
                    insert.setString(3, watch.tagPattern());
                    insert.setString(4, watch.model());
                    insert.setLong(5, watch.interval().toSeconds());
                    insert.setTimestamp(6, Timestamp.from(now));
                    insert.setString(7, createdBy);
                    insert.setString(8, watch.kind().column());
                    insert.setString(
                            9, watch.skipDirectories().isEmpty() ? null : String.join("\n", watch.skipDirectories()));
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
                        "id " + id + ", " + watch.kind().column() + ", application " + watch.application() + ", every "
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

    /** Records that a host watch was checked now, leaving the error of its last scan as it is. */
    void checkedKeepingError(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement u = c.prepareStatement("UPDATE watches SET last_checked_at = ? WHERE id = ?")) {
            u.setTimestamp(1, Timestamp.from(clock.instant()));
            u.setLong(2, id);
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

    /**
     * Records on {@code c}, in the transaction that stores a host's scan, that the watch's last scan
     * worked: a failure recorded before is cleared.
     */
    void succeeded(Connection c, long watchId) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE watches SET last_error = NULL WHERE id = ?")) {
            u.setLong(1, watchId);
            u.executeUpdate();
        }
    }

    /** Records why a scan of the watch failed (a host that refused the connection, a changed host key). */
    void failed(long watchId, String error) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement u = c.prepareStatement("UPDATE watches SET last_error = ? WHERE id = ?")) {
            u.setString(1, error);
            u.setLong(2, watchId);
            u.executeUpdate();
        }
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
            + " interval_seconds, created_at, created_by, last_checked_at, last_error, kind, skip_dirs FROM watches";

    private static Watch watch(ResultSet r) throws SQLException {
        Timestamp checked = r.getTimestamp(9);
        String skips = r.getString(12);
        return new Watch(
                r.getLong(1),
                Kind.valueOf(r.getString(11).toUpperCase(java.util.Locale.ROOT)),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                skips == null ? List.of() : List.of(skips.split("\n")),
                r.getString(5),
                Duration.ofSeconds(r.getLong(6)),
                r.getTimestamp(7).toInstant(),
                r.getString(8),
                checked == null ? null : checked.toInstant(),
                r.getString(10));
    }
}
