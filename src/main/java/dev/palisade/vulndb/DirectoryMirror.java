package dev.palisade.vulndb;

import dev.palisade.source.EntryPaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An offline mirror: a directory laid out like the OSV export ({@code <Ecosystem>/all.zip}). */
public final class DirectoryMirror implements Mirror {
    private final Path root;

    public DirectoryMirror(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public List<String> ecosystems() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("mirror directory " + root + " does not exist");
        }
        List<String> ecosystems = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
            for (Path child : children) {
                if (Files.isRegularFile(child.resolve("all.zip"))) {
                    ecosystems.add(child.getFileName().toString());
                }
            }
        }
        ecosystems.sort(null);
        return ecosystems;
    }

    @Override
    public Fetch fetch(String path, @Nullable Validators previous, Path downloads) throws IOException {
        String normalized =
                EntryPaths.normalize(path).orElseThrow(() -> new IOException("path outside the mirror: " + path));
        Path file = root.resolve(normalized);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) {
            return new Fetch.Missing(file + " does not exist");
        }
        Validators current = new Validators(
                Files.size(file) + "-" + Files.getLastModifiedTime(file).toMillis(), null);
        if (previous != null && java.util.Objects.equals(current.etag(), previous.etag())) {
            return new Fetch.NotModified();
        }
        return new Fetch.Fetched(file, current, false);
    }
}
