package dev.palisade.source.directory;

import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.ArtifactLimitException;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.Layer;
import dev.palisade.source.LayerVisitor;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.Problem;
import dev.palisade.source.RawEntry;
import dev.palisade.source.ReadFailures;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A directory read as one layer: a root filesystem, a project directory or an unpacked function.
 * Symbolic links are recorded, never followed, so nothing outside the directory is read; special
 * files (devices, FIFOs, sockets) are recorded and never opened.
 */
public final class DirectoryArtifact implements Artifact {
    /** Kernel and runtime file systems skipped when the live root is scanned. */
    public static final Set<String> LIVE_ROOT_SKIPS = Set.of("proc", "sys", "dev", "run");

    private final Path root;
    private final ArtifactDescription description;
    private final Set<String> skipDirectories;
    private final ScanLimits limits;

    private DirectoryArtifact(
            Path root, ArtifactDescription description, Set<String> skipDirectories, ScanLimits limits) {
        this.root = root;
        this.description = description;
        this.skipDirectories = Set.copyOf(skipDirectories);
        this.limits = limits;
    }

    /**
     * @param skipDirectories paths relative to {@code root} not to descend into
     * @param limits bounds the walk: the bytes read from all files together stay within {@code maxTotalBytes}
     */
    public static DirectoryArtifact open(
            Path root, ArtifactKind kind, DeploymentModel model, Set<String> skipDirectories, ScanLimits limits)
            throws SourceException {
        Path real;
        try {
            if (!Files.readAttributes(root, BasicFileAttributes.class).isDirectory()) {
                throw new SourceException(root + ": not a directory");
            }
            real = root.toRealPath();
        } catch (IOException e) {
            throw new SourceException(root + ": cannot be read: " + ReadFailures.why(e), e);
        }
        ArtifactDescription description =
                new ArtifactDescription(root.toString(), kind, model, java.util.List.of(Layer.single()), null);
        return new DirectoryArtifact(real, description, skipDirectories, limits);
    }

    @Override
    public ArtifactDescription description() {
        return description;
    }

    @Override
    public void walk(LayerVisitor visitor) throws SourceException {
        Layer layer = Layer.single();
        visitor.startLayer(layer);
        try {
            Files.walkFileTree(root, Set.of(), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                private long budget = limits.maxTotalBytes();

                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    String relative = relative(dir);
                    if (!relative.isEmpty() && skipDirectories.contains(relative)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (!relative.isEmpty()) {
                        visitor.entry(raw(dir, relative, FileKind.DIRECTORY, 0, null), InputStream.nullInputStream());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String relative = relative(file);
                    if (attrs.isSymbolicLink()) {
                        String target = Files.readSymbolicLink(file).toString();
                        visitor.entry(raw(file, relative, FileKind.SYMLINK, 0, target), InputStream.nullInputStream());
                    } else if (attrs.isRegularFile()) {
                        // bounded by the size stated before reading (a file that grows is cut there) and by what is
                        // left of the budget
                        try (LimitedInputStream in = LimitedInputStream.artifactBudget(
                                new LimitedInputStream(
                                        Channels.newInputStream(Files.newByteChannel(
                                                file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))),
                                        attrs.size(),
                                        "the file, which grew while it was read beyond its size of " + attrs.size()
                                                + " bytes,"),
                                budget,
                                "the content read from the directory (limit maxTotalBytes)",
                                limits.deadline())) {
                            try {
                                visitor.entry(raw(file, relative, FileKind.FILE, attrs.size(), null), in);
                            } finally {
                                budget -= in.count();
                            }
                        } catch (ArtifactLimitException e) {
                            visitor.problem(new Problem(
                                    relative,
                                    null,
                                    "stopped reading: " + e.getMessage() + "; results so far are kept"));
                            return FileVisitResult.TERMINATE;
                        } catch (IOException e) {
                            visitor.problem(new Problem(relative, null, "cannot be read: " + ReadFailures.why(e)));
                        }
                    } else {
                        visitor.entry(raw(file, relative, FileKind.OTHER, 0, null), InputStream.nullInputStream());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (file.equals(root)) {
                        throw e; // nothing of the artifact can be read: an error, not a problem of one file
                    }
                    visitor.problem(new Problem(relative(file), null, "cannot be read: " + ReadFailures.why(e)));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (ArtifactLimitException e) {
            visitor.problem(new Problem(
                    root.toString(), null, "stopped reading: " + e.getMessage() + "; results so far are kept"));
        } catch (IOException e) {
            throw new SourceException(root + ": cannot be read: " + ReadFailures.why(e), e);
        }
        visitor.endLayer(layer);
    }

    private String relative(Path path) {
        return root.relativize(path).toString();
    }

    private static RawEntry raw(Path path, String relative, FileKind kind, long size, @Nullable String target) {
        UnixAttributes unix = UnixAttributes.of(path);
        return new RawEntry(relative, kind, size, unix.mode(), unix.uid(), unix.gid(), target);
    }

    /** Reads a file of the walked tree again, confined to the root as the walk was. */
    @Override
    public InputStream open(FileEntry entry) throws IOException {
        return DiskFiles.of(root).open(entry);
    }

    @Override
    public void close() {}
}
