package dev.palisade.source.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:4f2a...}, checked when parsed. Only the algorithms OCI
 * registers are accepted (sha256 and sha512), and Palisade verifies content against both.
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        boolean valid =
                switch (algorithm) {
                    case "sha256" -> SHA256.matcher(hex).matches();
                    case "sha512" -> SHA512.matcher(hex).matches();
                    default -> false;
                };
        if (!valid) {
            throw new IllegalArgumentException("not a valid sha256 or sha512 digest: " + algorithm + ":" + hex);
        }
    }

    /** Parses {@code algorithm:hex}; throws IllegalArgumentException for anything else. */
    public static Digest parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a valid digest: " + text);
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static Digest sha256(byte[] hash) {
        return new Digest("sha256", HexFormat.of().formatHex(hash));
    }

    /** A fresh hash of this digest's algorithm, to compute the digest of content as it streams. */
    public MessageDigest hasher() {
        return hasher(algorithm);
    }

    /** A fresh hash for {@code algorithm} ({@code sha256} or {@code sha512}). */
    public static MessageDigest hasher(String algorithm) {
        String javaName =
                switch (algorithm) {
                    case "sha256" -> "SHA-256";
                    case "sha512" -> "SHA-512";
                    default -> throw new IllegalArgumentException("unsupported digest algorithm: " + algorithm);
                };
        try {
            return MessageDigest.getInstance(javaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(javaName + " is required of every Java runtime", e);
        }
    }

    /** The digest of {@code algorithm} that {@code hash} (a {@link #hasher}) has computed; resets it. */
    public static Digest of(String algorithm, MessageDigest hash) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash.digest()));
    }

    /** The digest of {@code content} under this digest's algorithm. */
    public Digest recompute(byte[] content) {
        return new Digest(algorithm, HexFormat.of().formatHex(hasher().digest(content)));
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
