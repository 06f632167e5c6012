package dev.palisade.vulndb;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where advisory files come from: the real OSV export over HTTPS, or a directory with the same
 * layout (an offline mirror). Both answer the same conditional fetch, so the import that follows is
 * one code path.
 */
public interface Mirror {
    /** The mirror's location, for messages and the status table. */
    String location();

    /** The ecosystems the mirror offers: the folders holding {@code all.zip}, or the usual list online. */
    List<String> ecosystems() throws IOException;

    /**
     * Fetches {@code path} unless it is unchanged since {@code previous}. A file fetched over the network
     * lands in {@code downloads} and belongs to the caller.
     */
    Fetch fetch(String path, @Nullable Validators previous, Path downloads) throws IOException;

    /** What tells whether a file changed: its ETag and Last-Modified (for a directory, size and mtime). */
    record Validators(@Nullable String etag, @Nullable String lastModified) {
        public String describe() {
            return etag != null ? etag : lastModified == null ? "" : lastModified;
        }
    }

    /** The outcome of a conditional fetch. */
    sealed interface Fetch permits Fetch.NotModified, Fetch.Fetched, Fetch.Missing {
        record NotModified() implements Fetch {}

        /** @param temporary whether {@code file} is a download to delete after use */
        record Fetched(Path file, Validators validators, boolean temporary) implements Fetch {}

        record Missing(String reason) implements Fetch {}
    }

    /** An http(s) URL or a directory. */
    static Mirror of(String location, HttpMirror.Settings http) {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            return new HttpMirror(URI.create(location.endsWith("/") ? location : location + "/"), http);
        }
        return new DirectoryMirror(Paths.get(location));
    }

    static Optional<Path> asDirectory(String location) {
        return location.startsWith("http://") || location.startsWith("https://")
                ? Optional.empty()
                : Optional.of(Paths.get(location));
    }
}
