package dev.palisade.source;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something Palisade could not read, with where and why. Problems are part of the result: they are
 * written to the report and to stderr, so that nothing is skipped silently.
 *
 * @param path the file inside the artifact (or the artifact itself), nested members as {@code a.jar!/b.jar}
 * @param layer the layer's diff ID where the file came from a layer
 * @param reason why it could not be read, in words a user can act on
 */
public record Problem(String path, @Nullable String layer, String reason) {
    public Problem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return path + (layer == null ? "" : " (layer " + shortDigest(layer) + ")") + ": " + reason;
    }

    private static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        String hex = colon < 0 ? digest : digest.substring(colon + 1);
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
