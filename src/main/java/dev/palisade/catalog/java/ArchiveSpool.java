package dev.palisade.catalog.java;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where archives larger than {@code threshold} bytes are spooled while they are read, instead of being held in
 * memory: one file each ({@code palisade-archive-*.zip}, mode 0600 where the file system has modes), in
 * {@code directory} or, when null, the Java temporary directory; deleted once the archive is read, also when
 * reading it fails.
 */
record ArchiveSpool(@Nullable Path directory, long threshold) {
    /** Archives up to 4 MiB stay in memory: most jars, read without a file. */
    static final long DEFAULT_THRESHOLD = 4 * 1024 * 1024;

    static ArchiveSpool inTemporaryDirectory() {
        return new ArchiveSpool(null, DEFAULT_THRESHOLD);
    }

    Path create() throws IOException {
        String prefix = "palisade-archive-";
        return directory == null
                ? Files.createTempFile(prefix, ".zip")
                : Files.createTempFile(directory, prefix, ".zip");
    }
}
