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
     * True when the visitor already knows what this layer holds (from a cache): the source then skips
     * reading it and only calls {@link #startLayer} and {@link #endLayer}.
     */
    default boolean knows(Layer layer) {
        return false;
    }

    /** The layer was read to its end and matched its digests: what was learned from it may be kept. */
    default void verified(Layer layer) {}
}
