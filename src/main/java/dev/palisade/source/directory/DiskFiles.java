package dev.palisade.source.directory;

import dev.palisade.source.EntryPaths;
import dev.palisade.source.FileAccess;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Files of a local directory read on demand, by path relative to it: for trees too large or too
 * volatile to walk ({@code /proc}). Confined like a walked directory: no path leaves the root, no
 * symbolic link is followed, and special files are never opened.
 */
public final class DiskFiles implements FileAccess {
    private final Path root;

    private DiskFiles(Path root) {
        this.root = root;
    }

    public static DiskFiles of(Path root) throws IOException {
        return new DiskFiles(root.toRealPath());
    }

    @Override
    public Optional<FileEntry> entry(String path) {
        Optional<Path> local = confined(path);
        if (local.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(stat(local.get(), path));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<FileEntry> children(String directory) throws IOException {
        Optional<Path> local = confined(directory);
        if (local.isEmpty()) {
            return List.of();
        }
        List<FileEntry> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(local.get())) {
            for (Path child : stream) {
                String name = child.getFileName().toString();
                String path = directory.isEmpty() ? name : directory + "/" + name;
                try {
                    children.add(stat(child, path));
                } catch (NoSuchFileException gone) {
                    // removed between listing and looking (a process that exited): not there any more
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        }
        children.sort(Comparator.comparing(FileEntry::path));
        return children;
    }

    @Override
    public InputStream open(FileEntry entry) throws IOException {
        Path local = confined(entry.path()).orElseThrow(() -> new NoSuchFileException(entry.path()));
        if (!Files.isRegularFile(local, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(entry.path() + ": not a regular file");
        }
        return Channels.newInputStream(
                Files.newByteChannel(local, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)));
    }

    /** The local path of {@code path}, when every directory on the way is a real directory inside the root. */
    private Optional<Path> confined(String path) {
        Optional<String> normalized = EntryPaths.normalize(path);
        if (normalized.isEmpty()) {
            return Optional.empty();
        }
        Path local = normalized.get().isEmpty() ? root : root.resolve(normalized.get());
        Path parent = local.getParent();
        try {
            if (!local.equals(root) && (parent == null || !parent.toRealPath().startsWith(root))) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(local);
    }

    private static FileEntry stat(Path local, String path) throws IOException {
        BasicFileAttributes attributes =
                Files.readAttributes(local, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        FileKind kind = attributes.isSymbolicLink()
                ? FileKind.SYMLINK
                : attributes.isDirectory()
                        ? FileKind.DIRECTORY
                        : attributes.isRegularFile() ? FileKind.FILE : FileKind.OTHER;
        @Nullable
        String target = kind == FileKind.SYMLINK ? Files.readSymbolicLink(local).toString() : null;
        UnixAttributes unix = UnixAttributes.of(local);
        return new FileEntry(
                path,
                kind,
                kind == FileKind.FILE ? attributes.size() : 0,
                unix.mode(),
                unix.uid(),
                unix.gid(),
                target,
                0);
    }
}
