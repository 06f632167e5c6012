package dev.palisade.source.remote;

import dev.palisade.source.ArtifactLimitException;
import dev.palisade.source.EntryPaths;
import dev.palisade.source.FileAccess;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.jspecify.annotations.Nullable;

/**
 * Files of a remote directory read on demand over SFTP, by path relative to it (the remote root
 * file system, or its {@code /proc}). Confined like {@code DiskFiles}: a path never leaves the root,
 * a final symbolic link is reported, never followed, a file is opened only when every directory on
 * the way is a real directory (the server's realpath of the parent is the parent itself) and the
 * file itself is a regular file, so no device or FIFO is ever opened.
 */
public final class SftpFiles implements FileAccess {
    private final SftpClient sftp;
    private final String root;

    SftpFiles(SftpClient sftp, String root) {
        this.sftp = sftp;
        this.root = root.endsWith("/") && root.length() > 1 ? root.substring(0, root.length() - 1) : root;
    }

    @Override
    public Optional<FileEntry> entry(String path) {
        Optional<String> normalized = EntryPaths.normalize(path);
        if (normalized.isEmpty()) {
            return Optional.empty();
        }
        try {
            SftpClient.Attributes attributes = sftp.lstat(remote(normalized.get()));
            return Optional.of(entry(normalized.get(), attributes));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<FileEntry> children(String directory) throws IOException {
        return children(directory, new AtomicLong(), Long.MAX_VALUE);
    }

    /**
     * The entries directly inside {@code directory}, counted into {@code listed}: past {@code maxEntries}
     * listed in all, the listing stops with {@link ArtifactLimitException}, so that a directory of
     * millions of entries is not held in memory.
     */
    List<FileEntry> children(String directory, AtomicLong listed, long maxEntries) throws IOException {
        Optional<String> normalized = EntryPaths.normalize(directory);
        if (normalized.isEmpty()) {
            return List.of();
        }
        String dir = normalized.get();
        List<FileEntry> children = new ArrayList<>();
        SftpClient.CloseableHandle handle;
        try {
            handle = sftp.openDir(remote(dir));
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE || !isDirectory(dir)) {
                return List.of();
            }
            throw new IOException(remote(dir) + ": " + message(e), e);
        }
        try (handle) {
            for (List<SftpClient.DirEntry> batch = sftp.readDir(handle); batch != null; batch = sftp.readDir(handle)) {
                for (SftpClient.DirEntry d : batch) {
                    String name = d.getFilename();
                    if (name.equals(".") || name.equals("..") || name.isEmpty() || name.contains("/")) {
                        continue;
                    }
                    if (listed.incrementAndGet() > maxEntries) {
                        throw new ArtifactLimitException(
                                "more than " + maxEntries + " entries were listed (limit maxEntries)");
                    }
                    children.add(entry(EntryPaths.join(dir, name), d.getAttributes()));
                }
            }
        }
        children.sort(Comparator.comparing(FileEntry::path));
        return children;
    }

    @Override
    public InputStream open(FileEntry entry) throws IOException {
        String path = EntryPaths.normalize(entry.path()).orElseThrow(() -> new NoSuchFileException(entry.path()));
        String parent = sftp.canonicalPath(remote(EntryPaths.parent(path)));
        if (!inside(parent)) {
            throw new IOException(
                    remote(path) + ": reached through a symbolic link that leaves " + root + ": not read");
        }
        SftpClient.Attributes attributes = sftp.lstat(remote(path));
        if (!attributes.isRegularFile()) {
            throw new IOException(remote(path) + ": not a regular file");
        }
        return openWalked(path);
    }

    /** Opens a regular file the walk just listed in a directory it reached without following links. */
    InputStream openWalked(String path) throws IOException {
        return sftp.read(remote(path));
    }

    /** Whether a canonical remote path is the root or below it. */
    private boolean inside(String canonical) {
        return root.equals("/") || canonical.equals(root) || canonical.startsWith(root + "/");
    }

    private boolean isDirectory(String path) {
        try {
            return sftp.lstat(remote(path)).isDirectory();
        } catch (IOException e) {
            return false;
        }
    }

    private FileEntry entry(String path, SftpClient.Attributes attributes) throws IOException {
        FileKind kind = attributes.isSymbolicLink()
                ? FileKind.SYMLINK
                : attributes.isDirectory()
                        ? FileKind.DIRECTORY
                        : attributes.isRegularFile() ? FileKind.FILE : FileKind.OTHER;
        @Nullable String target = null;
        if (kind == FileKind.SYMLINK) {
            try {
                target = sftp.readLink(remote(path));
            } catch (SftpException e) {
                target = ""; // gone or unreadable: a link to nowhere
            }
        }
        return new FileEntry(
                path,
                kind,
                kind == FileKind.FILE ? attributes.getSize() : 0,
                attributes.getPermissions() & 07777,
                Integer.toUnsignedLong(attributes.getUserId()),
                Integer.toUnsignedLong(attributes.getGroupId()),
                target,
                0);
    }

    /** The remote absolute path of a normalised relative path. */
    String remote(String path) {
        if (path.isEmpty()) {
            return root;
        }
        return root.equals("/") ? "/" + path : root + "/" + path;
    }

    static String message(IOException e) {
        String message = e.getMessage();
        return message == null ? "cannot be read" : message;
    }
}
