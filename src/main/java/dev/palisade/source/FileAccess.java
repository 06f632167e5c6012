package dev.palisade.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Read access to the files of what is scanned, by path inside its root. Checks read every file
 * through this interface, never through local paths, so that a tree streamed from an image, a
 * directory on disk, a live host's {@code /proc} or a remote host are alike to them.
 */
public interface FileAccess {
    /** The entry at {@code path} (normalised, no leading slash), without following a final symbolic link. */
    Optional<FileEntry> entry(String path);

    /**
     * The entries directly inside {@code directory}, ordered by name; empty when it is not a
     * directory. Throws when the directory exists but cannot be listed (permissions).
     */
    List<FileEntry> children(String directory) throws IOException;

    /**
     * The content of a regular file. The caller bounds what it reads. Throws when the content is
     * not available (a layer that was streamed once and not kept) or cannot be read.
     */
    InputStream open(FileEntry entry) throws IOException;
}
