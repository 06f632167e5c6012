package dev.palisade.source;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An entry as an archive or directory states it, before normalisation or merging: {@code name} may
 * still hold {@code ./}, {@code ..} or a leading slash, and {@code linkTarget} may point anywhere.
 */
public record RawEntry(
        String name, FileKind kind, long size, int mode, long uid, long gid, @Nullable String linkTarget) {
    public RawEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}
