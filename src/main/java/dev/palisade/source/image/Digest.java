package dev.palisade.source.image;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** A content digest such as {@code sha256:4f2a...}, checked when parsed. */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        boolean valid = switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
            default -> false;
        };
        if (!valid) {
            throw new IllegalArgumentException("not a valid digest: " + algorithm + ":" + hex);
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

    public String javaAlgorithm() {
        return algorithm.toUpperCase(Locale.ROOT).replace("SHA", "SHA-");
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
