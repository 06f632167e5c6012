package dev.palisade.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Every change made to the server's state, by whom and when: tokens, webhooks, watched images, uploads,
 * database updates. Entries are only ever added. The detail never holds a secret.
 */
final class AuditLog {
    /** Who acts when nobody asked: the scheduler, the first start. */
    static final String SERVER = "palisade-server";

    private final DataSource dataSource;
    private final Clock clock;

    AuditLog(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    record Entry(long id, Instant at, String actor, String action, String subject, String detail) {}

    void add(String actor, String action, String subject, String detail) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            add(c, actor, action, subject, detail);
        }
    }

    /** Adds the entry on {@code c}, inside the transaction of the change it records. */
    void add(Connection c, String actor, String action, String subject, String detail) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)")) {
            insert.setTimestamp(1, Timestamp.from(clock.instant()));
            insert.setString(2, actor);
            insert.setString(3, action);
            insert.setString(4, subject);
            insert.setString(5, detail);
            insert.executeUpdate();
        }
    }

    /** Entries newest first. */
    List<Entry> entries(long offset, int limit) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "SELECT id, at, actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?")) {
            q.setInt(1, limit);
            q.setLong(2, offset);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(new Entry(
                            r.getLong(1),
                            r.getTimestamp(2).toInstant(),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5),
                            r.getString(6)));
                }
            }
        }
        return out;
    }
}
