package dev.palisade.source;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One layer of an artifact. Sources without layers (a directory, a zip) have a single layer with
 * no digests.
 *
 * @param index position, 0 for the base layer
 * @param diffId sha256 of the uncompressed layer tar, as the image config lists it
 * @param digest digest of the blob as stored (compressed), where the source knows it
 * @param createdBy the image history line that created this layer
 */
public record Layer(int index, @Nullable String diffId, @Nullable String digest, @Nullable String createdBy) {
    public Layer {
        if (index < 0) {
            throw new IllegalArgumentException("layer index must not be negative: " + index);
        }
    }

    public static Layer single() {
        return new Layer(0, null, null, null);
    }

    public Optional<String> diffIdOptional() {
        return Optional.ofNullable(diffId);
    }

    public Layer withCreatedBy(@Nullable String history) {
        return new Layer(index, diffId, digest, history);
    }

    public Layer withDigest(@Nullable String blobDigest) {
        return new Layer(index, diffId, blobDigest, createdBy);
    }

    public boolean sameAs(Layer other) {
        return index == other.index && Objects.equals(diffId, other.diffId);
    }
}
