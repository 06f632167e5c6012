package dev.palisade.source.image;

import dev.palisade.source.EntryPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;

/** Reads the files of an OCI image layout directory, refusing links and paths out of it. */
final class DirectoryBlobReader implements BlobReader {
    private final Path root;

    DirectoryBlobReader(Path root) {
        this.root = root;
    }

    @Override
    public boolean exists(String name) {
        return locate(name)
                .map(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                .orElse(false);
    }

    @Override
    public InputStream open(String name) throws IOException {
        Path path = locate(name).orElseThrow(() -> new IOException(name + " is outside the image layout " + root));
        for (Path p = path; p != null && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw new IOException(root.relativize(p) + " in the image layout is a symbolic link; not followed");
            }
        }
        return Channels.newInputStream(
                Files.newByteChannel(path, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)));
    }

    private Optional<Path> locate(String name) {
        return EntryPaths.normalize(name).filter(n -> !n.isEmpty()).map(root::resolve);
    }

    @Override
    public boolean readsAheadSafely() {
        return true;
    }

    @Override
    public String origin() {
        return root.toString();
    }

    @Override
    public void close() {}
}
