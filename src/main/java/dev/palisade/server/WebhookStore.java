package dev.palisade.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The registered webhooks and the log of every delivery attempt. A webhook's secret is stored as it is
 * (each delivery is signed with it) and never leaves the server; a deleted webhook is kept, marked, so
 * its deliveries stay readable.
 */
final class WebhookStore implements DeliveryLog {
    private final DataSource dataSource;
    private final Clock clock;
    private final ServerLog log;

    WebhookStore(DataSource dataSource, Clock clock, ServerLog log) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.log = log;
    }

    /** A webhook as listed: never its secret. */
    record Registered(Webhook webhook, Instant createdAt, String createdBy) {}

    record Delivery(
            String deliveryId,
            int attempt,
            Instant at,
            @Nullable Integer status,
            @Nullable String error,
            boolean delivered,
            boolean isFinal) {}

    /** Stores a webhook (checked by {@link Webhook#of}); returns it with its id. */
    Registered add(
            String url,
            String secret,
            @Nullable String format,
            @Nullable List<String> events,
            String createdBy,
            AuditLog audit)
            throws SQLException {
        Webhook checked = Webhook.of(0, url, secret, format, events); // refuses a bad one before anything is stored
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long id;
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO webhooks (url, secret, format, events,"
                        + " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
                    insert.setString(1, checked.url().toString());
                    insert.setString(2, checked.secret());
                    insert.setString(3, checked.format().wireName());
                    insert.setString(4, eventsText(checked));
                    insert.setTimestamp(5, Timestamp.from(now));
                    insert.setString(6, createdBy);
                    try (ResultSet r = insert.executeQuery()) {
                        r.next();
                        id = r.getLong(1);
                    }
                }
                audit.add(
                        c, createdBy, "webhook.create", checked.displayUrl(), "id " + id + ", " + eventsText(checked));
                c.commit();
                return new Registered(Webhook.of(id, url, secret, format, events), now, createdBy);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static String eventsText(Webhook webhook) {
        TreeSet<String> names = new TreeSet<>();
        webhook.events().forEach(t -> names.add(t.wireName()));
        return String.join(",", names);
    }

    /** The webhooks not deleted. */
    List<Registered> active() throws SQLException {
        List<Registered> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q =
                        c.prepareStatement("SELECT id, url, secret, format, events, created_at, created_by"
                                + " FROM webhooks WHERE deleted_at IS NULL ORDER BY id");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                out.add(new Registered(
                        Webhook.of(
                                r.getLong(1),
                                r.getString(2),
                                r.getString(3),
                                r.getString(4),
                                Arrays.asList(r.getString(5).split(","))),
                        r.getTimestamp(6).toInstant(),
                        r.getString(7)));
            }
        }
        return out;
    }

    Optional<Registered> find(long id) throws SQLException {
        return active().stream().filter(w -> w.webhook().id() == id).findFirst();
    }

    boolean delete(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement u =
                        c.prepareStatement("UPDATE webhooks SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")) {
            u.setTimestamp(1, Timestamp.from(clock.instant()));
            u.setLong(2, id);
            return u.executeUpdate() == 1;
        }
    }

    @Override
    public void record(Attempt attempt) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO webhook_deliveries (webhook_id, delivery_id,"
                        + " attempt, at, status, error, delivered, final) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, attempt.webhookId());
            insert.setString(2, attempt.deliveryId());
            insert.setInt(3, attempt.attempt());
            insert.setTimestamp(4, Timestamp.from(attempt.time()));
            if (attempt.status() == null) {
                insert.setNull(5, Types.INTEGER);
            } else {
                insert.setInt(5, attempt.status());
            }
            insert.setString(6, attempt.error());
            insert.setBoolean(7, attempt.outcome().delivered());
            insert.setBoolean(8, attempt.outcome().isFinal());
            insert.executeUpdate();
        } catch (SQLException e) {
            log.warn("cannot record webhook delivery " + attempt.deliveryId() + ": " + e.getMessage());
        }
    }

    /** A webhook's delivery attempts, newest first. */
    List<Delivery> deliveries(long webhookId, long offset, int limit) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q =
                        c.prepareStatement("SELECT delivery_id, attempt, at, status, error, delivered, final"
                                + " FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ? OFFSET ?")) {
            q.setLong(1, webhookId);
            q.setInt(2, limit);
            q.setLong(3, offset);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    int status = r.getInt(4);
                    Integer maybeStatus = r.wasNull() ? null : status;
                    out.add(new Delivery(
                            r.getString(1),
                            r.getInt(2),
                            r.getTimestamp(3).toInstant(),
                            maybeStatus,
                            r.getString(5),
                            r.getBoolean(6),
                            r.getBoolean(7)));
                }
            }
        }
        return out;
    }
}
