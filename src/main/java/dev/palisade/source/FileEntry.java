package dev.palisade.source;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a merged file tree.
 *
 * @param path normalised path inside the artifact's root, without a leading slash ({@code usr/bin/bash})
 * @param kind what the entry is
 * @param size bytes of content (0 for anything but a regular file)
 * @param mode permission bits including setuid, setgid and sticky ({@code 04755})
 * @param uid owner user id
 * @param gid owner group id
 * @param linkTarget the target as written in the artifact, for symbolic and hard links
 * @param layer index of the layer that wrote this entry (0 for sources without layers)
 */
public record FileEntry(
        String path, FileKind kind, long size, int mode, long uid, long gid, @Nullable String linkTarget, int layer) {

    public FileEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
    }

    public boolean isRegularFile() {
        return kind == FileKind.FILE || kind == FileKind.HARDLINK;
    }

    public boolean isExecutable() {
        return (mode & 0111) != 0;
    }

    /** The last path component. */
    public String name() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    public FileEntry withPath(String newPath) {
        return new FileEntry(newPath, kind, size, mode, uid, gid, linkTarget, layer);
    }
}
