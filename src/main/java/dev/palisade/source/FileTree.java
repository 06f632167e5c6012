package dev.palisade.source;

import java.util.Collection;
import java.util.Optional;

/** The read-only, merged file tree of an artifact: what a container or VM would see at run time. */
public interface FileTree {
    /** The entry at {@code path}, without following a final symbolic link. */
    Optional<FileEntry> entry(String path);

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

    /** Every entry, ordered by path. */
    Collection<FileEntry> entries();

    int size();
}
