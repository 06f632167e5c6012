package dev.palisade.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The read-only, merged file tree of an artifact: what a container or VM would see at run time. */
public interface FileTree extends FileAccess {
    /**
     * {@code path} with every symbolic link resolved inside the artifact's root: absolute targets
     * start at the root and {@code ..} never climbs above it. Empty when a link loops or the hop
     * limit is reached. The result need not exist.
     */
    Optional<String> resolve(String path);

    /** The entry {@code path} leads to after resolving every link on the way. */
    default Optional<FileEntry> resolveEntry(String path) {
        return resolve(path).flatMap(this::entry);
    }

    /** The entries directly inside {@code directory}: a tree holds its metadata, so listing cannot fail. */
    @Override
    List<FileEntry> children(String directory);

    /** Every entry, ordered by path. */
    Collection<FileEntry> entries();

    int size();

    /** Reads a regular file reached through {@code path} (links resolved inside the root), at most {@code maxBytes}. */
    default Optional<byte[]> readResolved(String path, long maxBytes) throws IOException {
        Optional<FileEntry> entry = resolveEntry(path).filter(FileEntry::isRegularFile);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = open(entry.get())) {
            return Optional.of(LimitedInputStream.readAll(in, maxBytes, path));
        }
    }

    /** A tree whose content cannot be read again (streamed once): {@link #open} always fails. */
    static IOException contentNotKept(FileEntry entry) {
        return new IOException(entry.path() + ": content is not kept after the artifact was streamed");
    }

    /** Helper for implementations: the direct children of {@code directory} among entries sorted by path. */
    static List<FileEntry> childrenOf(java.util.NavigableMap<String, FileEntry> sorted, String directory) {
        String prefix = directory.isEmpty() ? "" : directory + "/";
        Collection<FileEntry> below = prefix.isEmpty()
                ? sorted.values()
                : sorted.subMap(prefix, true, directory + "0", false).values();
        List<FileEntry> children = new java.util.ArrayList<>();
        for (FileEntry e : below) {
            if (e.path().indexOf('/', prefix.length()) < 0 && !e.path().isEmpty()) {
                children.add(e);
            }
        }
        return children;
    }
}
