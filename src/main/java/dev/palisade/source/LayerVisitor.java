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
}
