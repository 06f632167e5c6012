package dev.palisade.source;

import java.io.IOException;
import java.io.InputStream;

/** Receives an artifact's layers as they stream past, in order, base layer first. */
public interface LayerVisitor {
    void startLayer(Layer layer);

    /**
     * One entry of the current layer. {@code content} is valid only during this call and holds the
     * entry's bytes for regular files (empty otherwise); the visitor need not read it to the end.
     */
    void entry(RawEntry entry, InputStream content) throws IOException;

    void endLayer(Layer layer);

    void problem(Problem problem);

    /**
     * A cheap look-up made before the source verifies a layer's blob: false when {@link #knows} would
     * surely answer false, so the source need not hash the blob ahead of reading it. A layer without
     * a blob digest may still be known once the source has computed one.
     */
    default boolean mightKnow(Layer layer) {
        return false;
    }

    /**
     * True when the visitor already knows what this layer holds (from a cache): the source then skips
     * reading it and only calls {@link #startLayer} and {@link #endLayer}. The source asks only about
     * a layer whose {@link Layer#digest()} it has verified against the blob in this run, so a cached
     * analysis is never replayed for other content.
     */
    default boolean knows(Layer layer) {
        return false;
    }

    /**
     * The layer was read to its end and matched its digests: what was learned from it may be kept.
     * {@code layer} carries the blob digest computed while reading where the image named none.
     */
    default void verified(Layer layer) {}
}
