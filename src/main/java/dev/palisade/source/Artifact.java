package dev.palisade.source;

import java.io.Closeable;

/** An opened artifact: described up front, then streamed layer by layer, once. */
public interface Artifact extends Closeable {
    ArtifactDescription description();

    /**
     * Streams every layer, base first. Problems with single entries or layers go to the visitor;
     * only an artifact that cannot be read at all throws.
     */
    void walk(LayerVisitor visitor) throws SourceException;
}
