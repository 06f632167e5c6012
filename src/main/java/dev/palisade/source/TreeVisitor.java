package dev.palisade.source;

import java.io.IOException;
import java.io.InputStream;

/**
 * Receives the merged view of an artifact as its layers stream past: paths already normalised,
 * whiteouts applied, parent directories resolved through symbolic links inside the root. A file
 * reported here may still be hidden or replaced by a later layer; {@link FileTree} tells at the end.
 */
public interface TreeVisitor {
    void startLayer(Layer layer);

    /** A regular file written by the current layer. {@code content} is valid only during the call. */
    void file(FileEntry entry, InputStream content) throws IOException;

    /** A hard link in the current layer to {@code targetPath}, a file the same layer wrote earlier. */
    void hardLink(FileEntry link, String targetPath);

    void endLayer(Layer layer);

    void problem(Problem problem);
}
