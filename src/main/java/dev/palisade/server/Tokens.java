package dev.palisade.server;

import io.javalin.security.RouteRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The API tokens the server accepts, kept only as SHA-256 hashes. Each line of the configuration reads
 * {@code NAME ROLE TOKEN}: the name is who stored a scan, the role what the token may do. Blank lines
 * and lines starting with {@code #} are ignored.
 */
public final class Tokens {
    /** Shorter tokens could be guessed: refuse them rather than serve behind them. */
    static final int MIN_TOKEN_LENGTH = 24;

    /** What a token may do; each role may do what the roles after it may. */
    public enum Role implements RouteRole {
        /** everything, and the database update and re-match */
        ADMIN,
        /** submit inventories, and read */
        SCANNER,
        /** read */
        VIEWER;

        boolean allows(Role needed) {
            return ordinal() <= needed.ordinal();
        }

        /** As the API and the storage spell it: {@code admin}, {@code scanner}, {@code viewer}. */
        String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Role> parse(@Nullable String text) {
            for (Role role : values()) {
                if (role.spelling().equals(text)) {
                    return Optional.of(role);
                }
            }
            return Optional.empty();
        }
    }

    /** Who presented a token. */
    public record Caller(String name, Role role) {}

    private final Map<String, Caller> byHash;

    private Tokens(Map<String, Caller> byHash) {
        this.byHash = Map.copyOf(byHash);
    }

    /** No configured tokens: only those the server stores (the admin token it made, and those made through the API). */
    public static Tokens none() {
        return new Tokens(Map.of());
    }

    /**
     * @param text the configuration: lines of {@code NAME ROLE TOKEN}
     * @param source where the text came from, for messages (never the text itself: it holds secrets)
     */
    public static Tokens parse(String text, String source) {
        Map<String, Caller> byHash = new HashMap<>();
        String[] lines = text.split("\r?\n|;");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " entry " + (i + 1);
            String[] words = line.split("\\s+");
            if (words.length != 3) {
                throw new IllegalArgumentException(where + ": expected NAME ROLE TOKEN");
            }
            if (!words[0].matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")) {
                throw new IllegalArgumentException(
                        where + ": the name may hold letters, digits and . _ @ - (at most 64)");
            }
            Role role;
            try {
                role = Role.valueOf(words[1].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        where + ": unknown role '" + words[1] + "' (use admin, scanner or viewer)");
            }
            if (words[2].length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException(where + ": the token is shorter than " + MIN_TOKEN_LENGTH
                        + " characters (generate one with: openssl rand -hex 32)");
            }
            if (byHash.putIfAbsent(hash(words[2]), new Caller(words[0], role)) != null) {
                throw new IllegalArgumentException(where + ": the same token is given twice");
            }
        }
        if (byHash.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no token (lines of NAME ROLE TOKEN)");
        }
        return new Tokens(byHash);
    }

    /** The caller an {@code Authorization: Bearer TOKEN} header names, if the token is known. */
    public Optional<Caller> authenticate(@Nullable String authorization) {
        return bearer(authorization).map(token -> byHash.get(hash(token)));
    }

    /** The token of an {@code Authorization: Bearer TOKEN} header. */
    static Optional<String> bearer(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).strip();
        // looking the hash up leaks at most how long a prefix of an unguessable hash matched
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    public int size() {
        return byHash.size();
    }

    boolean hasAdmin() {
        return byHash.values().stream().anyMatch(c -> c.role() == Role.ADMIN);
    }

    static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
