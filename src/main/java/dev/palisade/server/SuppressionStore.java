package dev.palisade.server;

import dev.palisade.policy.Suppressions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The exceptions the server keeps: findings an admin decided not to report, with why, who owns the
 * decision, who approved it and until when. Revoking one keeps it, marked, for the exceptions register.
 */
final class SuppressionStore {
    private final DataSource dataSource;
    private final Clock clock;

    SuppressionStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * A stored exception.
     *
     * @param target the one target it is limited to, or null for every target of the application
     * @param subject the package (a name or purl) or, for a check finding, the file; null for any
     * @param kind {@code vulnerability} or {@code misconfiguration}
     * @param approvedBy the name of the admin token that made it
     */
    record Suppression(
            long id,
            String application,
            @Nullable String target,
            String findingId,
            @Nullable String subject,
            String kind,
            String reason,
            String owner,
            String approvedBy,
            @Nullable LocalDate expires,
            Instant createdAt,
            @Nullable Instant revokedAt,
            @Nullable String revokedBy) {

        /** In force on {@code day}: not revoked, and not past its expiry (valid through that day). */
        boolean activeOn(LocalDate day) {
            return revokedAt == null && (expires == null || !day.isAfter(expires));
        }

        /** Whether it covers a vulnerability finding of a target: same id, and the package when it names one. */
        boolean covers(String findingTarget, String vulnerabilityId, String packageName, String purl) {
            return kind.equals(VULNERABILITY)
                    && findingId.equals(vulnerabilityId)
                    && (target == null || target.equals(findingTarget))
                    && (subject == null || subject.equals(packageName) || Suppressions.samePackage(subject, purl));
        }
    }

    static final String VULNERABILITY = "vulnerability";
    static final String MISCONFIGURATION = "misconfiguration";

    record NewSuppression(
            String application,
            @Nullable String target,
            String findingId,
            @Nullable String subject,
            String kind,
            String reason,
            String owner,
            @Nullable LocalDate expires) {}

    Suppression add(NewSuppression s, String approvedBy, AuditLog audit) throws SQLException {
        long id;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO suppressions (application, target,"
                        + " finding_id, subject, kind, reason, owner, approved_by, expires, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                    insert.setString(1, s.application());
                    insert.setString(2, s.target());
                    insert.setString(3, s.findingId());
                    insert.setString(4, s.subject());
                    insert.setString(5, s.kind());
                    insert.setString(6, s.reason());
                    insert.setString(7, s.owner());
                    insert.setString(8, approvedBy);
                    insert.setString(9, s.expires() == null ? null : s.expires().toString());
                    insert.setTimestamp(10, Timestamp.from(clock.instant()));
                    try (ResultSet r = insert.executeQuery()) {
                        r.next();
                        id = r.getLong(1);
                    }
                }
                audit.add(
                        c,
                        approvedBy,
                        "suppression.create",
                        s.application(),
                        "id " + id + ", " + s.kind() + " " + s.findingId()
                                + (s.subject() == null ? "" : " in " + s.subject()) + ", owner " + s.owner()
                                + (s.expires() == null ? "" : ", until " + s.expires()));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return find(id).orElseThrow();
    }

    Optional<Suppression> find(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(COLUMNS + " WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? Optional.of(suppression(r)) : Optional.empty();
            }
        }
    }

    /** Every exception of an application, oldest first, revoked and expired ones included. */
    List<Suppression> list(String application) throws SQLException {
        List<Suppression> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(COLUMNS + " WHERE application = ? ORDER BY id")) {
            q.setString(1, application);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(suppression(r));
                }
            }
        }
        return out;
    }

    /** The exceptions of an application in force today. */
    List<Suppression> active(String application) throws SQLException {
        LocalDate today = today();
        return list(application).stream().filter(s -> s.activeOn(today)).toList();
    }

    /** Today, in UTC, by the server's clock: the day expiry dates are compared with. */
    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Marks an exception revoked; false when it does not exist or was revoked before. */
    boolean revoke(String application, long id, String revokedBy, AuditLog audit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement u = c.prepareStatement("UPDATE suppressions SET revoked_at = ?, revoked_by = ?"
                    + " WHERE id = ? AND application = ? AND revoked_at IS NULL")) {
                u.setTimestamp(1, Timestamp.from(clock.instant()));
                u.setString(2, revokedBy);
                u.setLong(3, id);
                u.setString(4, application);
                boolean revoked = u.executeUpdate() == 1;
                if (revoked) {
                    audit.add(c, revokedBy, "suppression.revoke", application, "id " + id);
                }
                c.commit();
                return revoked;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static final String COLUMNS = "SELECT id, application, target, finding_id, subject, kind, reason, owner,"
            + " approved_by, expires, created_at, revoked_at, revoked_by FROM suppressions";

    private static Suppression suppression(ResultSet r) throws SQLException {
        String expires = r.getString(10);
        Timestamp revoked = r.getTimestamp(12);
        return new Suppression(
                r.getLong(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                r.getString(5),
                r.getString(6),
                r.getString(7),
                r.getString(8),
                r.getString(9),
                expires == null ? null : LocalDate.parse(expires),
                r.getTimestamp(11).toInstant(),
                revoked == null ? null : revoked.toInstant(),
                r.getString(13));
    }
}
