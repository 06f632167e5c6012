package dev.palisade.server;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The API tokens the server made: the first admin's, and those an admin made through the API. Only the
 * SHA-256 hash of a token is stored; the token itself is shown once, when it is made. A token is 256
 * random bits, so a fast hash is the right one: nothing is gained by stretching a key that cannot be guessed,
 * and every request is checked against it.
 */
final class TokenStore {
    /** Tokens start with this, so that secret scanners (Palisade's own included) recognise a leaked one. */
    static final String PREFIX = "pal_";

    private final DataSource dataSource;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    TokenStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** A token as listed: never the token, nor its hash. */
    record TokenInfo(String name, Tokens.Role role, Instant createdAt, String createdBy, @Nullable Instant revokedAt) {}

    /** A token just made: the only time it is seen. */
    record IssuedToken(String name, Tokens.Role role, String token) {
        @Override
        public String toString() {
            return "IssuedToken[" + name + ", " + role + "]"; // never the token
        }
    }

    /** A token of that name exists already (names are kept after revocation, so the audit log stays clear). */
    static final class NameTakenException extends Exception {
        NameTakenException(String name) {
            super("a token named '" + name + "' exists already");
        }
    }

    Optional<Tokens.Caller> authenticate(@Nullable String authorization) throws SQLException {
        Optional<String> token = Tokens.bearer(authorization);
        if (token.isEmpty() || !token.get().startsWith(PREFIX)) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "SELECT name, role FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL")) {
            q.setString(1, Tokens.hash(token.get()));
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Tokens.Caller(
                        r.getString(1), Tokens.Role.parse(r.getString(2)).orElseThrow()));
            }
        }
    }

    boolean hasAdmin() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q =
                        c.prepareStatement("SELECT 1 FROM api_tokens WHERE role = 'admin' AND revoked_at IS NULL");
                ResultSet r = q.executeQuery()) {
            return r.next();
        }
    }

    IssuedToken create(String name, Tokens.Role role, String createdBy) throws SQLException, NameTakenException {
        byte[] bits = new byte[32];
        random.nextBytes(bits);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM api_tokens WHERE name = ?")) {
                    q.setString(1, name);
                    try (ResultSet r = q.executeQuery()) {
                        if (r.next()) {
                            throw new NameTakenException(name);
                        }
                    }
                }
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO api_tokens"
                        + " (name, role, token_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)")) {
                    insert.setString(1, name);
                    insert.setString(2, role.spelling());
                    insert.setString(3, Tokens.hash(token));
                    insert.setTimestamp(4, Timestamp.from(clock.instant()));
                    insert.setString(5, createdBy);
                    insert.executeUpdate();
                }
                c.commit();
            } catch (SQLException | NameTakenException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return new IssuedToken(name, role, token);
    }

    List<TokenInfo> list() throws SQLException {
        List<TokenInfo> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "SELECT name, role, created_at, created_by, revoked_at FROM api_tokens ORDER BY name");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                Timestamp revoked = r.getTimestamp(5);
                out.add(new TokenInfo(
                        r.getString(1),
                        Tokens.Role.parse(r.getString(2)).orElseThrow(),
                        r.getTimestamp(3).toInstant(),
                        r.getString(4),
                        revoked == null ? null : revoked.toInstant()));
            }
        }
        return out;
    }

    /** Revokes the token of that name; false when there is no such token still valid. */
    boolean revoke(String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement u = c.prepareStatement(
                        "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")) {
            u.setTimestamp(1, Timestamp.from(clock.instant()));
            u.setString(2, name);
            return u.executeUpdate() == 1;
        }
    }
}
