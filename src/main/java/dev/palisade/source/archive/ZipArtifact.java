package dev.palisade.source.archive;

import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.ArtifactLimitException;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.EntryPaths;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.Layer;
import dev.palisade.source.LayerVisitor;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.Problem;
import dev.palisade.source.RawEntry;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * A zip read as one layer, by its central directory: an AWS Lambda deployment package, for
 * example. Members are streamed, never extracted; their sizes are bounded while they are read, so a
 * member that lies about its size or inflates without end is cut off.
 */
public final class ZipArtifact implements Artifact {
    private static final int UNIX_TYPE_MASK = 0170000;
    private static final int UNIX_SYMLINK = 0120000;
    private static final int UNIX_DIRECTORY = 0040000;
    /** PATH_MAX: no system follows a longer link. */
    private static final int MAX_LINK_TARGET = 4096;

    private final ZipFile zip;
    private final ArtifactDescription description;
    private final ScanLimits limits;
    /** Members by normalised path, built on the first {@link #open}. */
    private @Nullable Map<String, ZipArchiveEntry> members;

    private ZipArtifact(ZipFile zip, ArtifactDescription description, ScanLimits limits) {
        this.zip = zip;
        this.description = description;
        this.limits = limits;
    }

    public static ZipArtifact open(Path path, ArtifactKind kind, DeploymentModel model, ScanLimits limits)
            throws SourceException {
        if (!Files.isRegularFile(path)) {
            throw new SourceException(path + ": no such file");
        }
        try {
            ZipFile zip = ZipFile.builder().setPath(path).get();
            ArtifactDescription description =
                    new ArtifactDescription(path.toString(), kind, model, List.of(Layer.single()), null);
            return new ZipArtifact(zip, description, limits);
        } catch (IOException | RuntimeException e) {
            throw new SourceException(path + " is not a readable zip archive: " + e.getMessage(), e);
        }
    }

    @Override
    public ArtifactDescription description() {
        return description;
    }

    @Override
    public void walk(LayerVisitor visitor) throws SourceException {
        Layer layer = Layer.single();
        visitor.startLayer(layer);
        long budget = limits.maxTotalBytes();
        try {
            for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
                try {
                    budget -= visit(entry, budget, visitor);
                } catch (ArtifactLimitException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    // one bad entry must not hide the others
                    visitor.problem(new Problem(entry.getName(), null, "entry skipped: " + message(e)));
                }
            }
        } catch (ArtifactLimitException e) {
            visitor.problem(new Problem(
                    description.name(), null, "stopped reading: " + e.getMessage() + "; results so far are kept"));
        }
        visitor.endLayer(layer);
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private long visit(ZipArchiveEntry entry, long budget, LayerVisitor visitor) throws IOException {
        int unixMode = entry.getUnixMode();
        int type = unixMode & UNIX_TYPE_MASK;
        int mode = unixMode & 07777;
        if (entry.isDirectory() || type == UNIX_DIRECTORY) {
            visitor.entry(
                    new RawEntry(entry.getName(), FileKind.DIRECTORY, 0, mode, 0, 0, null),
                    InputStream.nullInputStream());
            return 0;
        }
        if (!ZipEntryData.readable(zip, entry)) {
            visitor.problem(new Problem(entry.getName(), null, ZipEntryData.whyUnreadable(entry) + "; not read"));
            return 0;
        }
        if (type == UNIX_SYMLINK) {
            try (InputStream in = zip.getInputStream(entry)) {
                byte[] target = LimitedInputStream.readAll(in, MAX_LINK_TARGET, "the symbolic link's target");
                visitor.entry(
                        new RawEntry(
                                entry.getName(),
                                FileKind.SYMLINK,
                                0,
                                mode,
                                0,
                                0,
                                new String(target, StandardCharsets.UTF_8)),
                        InputStream.nullInputStream());
            }
            return 0;
        }
        long size = entry.getSize() < 0 ? 0 : entry.getSize();
        try (LimitedInputStream in = LimitedInputStream.artifactBudget(
                zip.getInputStream(entry),
                budget,
                "the uncompressed content of the archive (limit maxTotalBytes)",
                limits.deadline())) {
            try {
                visitor.entry(
                        new RawEntry(entry.getName(), FileKind.FILE, size, mode == 0 ? 0644 : mode, 0, 0, null), in);
            } catch (ArtifactLimitException e) {
                throw e;
            } catch (IOException e) {
                visitor.problem(new Problem(entry.getName(), null, "cannot be read: " + e.getMessage()));
            }
            return in.count();
        }
    }

    /** A member read again, for the checks that read function code after the walk; bounded like the walk. */
    @Override
    public InputStream open(FileEntry entry) throws IOException {
        if (members == null) {
            Map<String, ZipArchiveEntry> byPath = new HashMap<>();
            for (ZipArchiveEntry member : Collections.list(zip.getEntries())) {
                if (!member.isDirectory()) {
                    // the last member of a name wins, as in the walk's merged tree
                    EntryPaths.normalize(member.getName()).ifPresent(path -> byPath.put(path, member));
                }
            }
            members = byPath;
        }
        ZipArchiveEntry member = members.get(entry.path());
        if (member == null) {
            throw new IOException(entry.path() + ": not in the archive");
        }
        if (!ZipEntryData.readable(zip, member)) {
            throw new IOException(entry.path() + " " + ZipEntryData.whyUnreadable(member));
        }
        return LimitedInputStream.withDeadline(
                zip.getInputStream(member),
                limits.maxFileBytes(),
                entry.path() + " (limit maxFileBytes)",
                limits.deadline());
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
