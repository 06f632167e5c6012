package dev.palisade.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/** An opened artifact: described up front, then streamed layer by layer, once. */
public interface Artifact extends Closeable {
    ArtifactDescription description();

    /**
     * Streams every layer, base first. Problems with single entries or layers go to the visitor;
     * only an artifact that cannot be read at all throws.
     */
    void walk(LayerVisitor visitor) throws SourceException;

    /**
     * The content of an entry of the merged tree, read again after the walk, for the checks. Sources
     * that stream their content once (image layers) cannot, and say so.
     */
    default InputStream open(FileEntry entry) throws IOException {
        throw FileTree.contentNotKept(entry);
    }
}
