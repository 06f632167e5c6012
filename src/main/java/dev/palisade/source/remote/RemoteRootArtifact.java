package dev.palisade.source.remote;

import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactLimitException;
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
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A remote root file system walked over SFTP as one layer, like {@code DirectoryArtifact} walks a
 * local one: symbolic links are recorded, never followed; special files are recorded, never opened;
 * skipped directories are not entered. A file is opened only when a cataloger reads it, so the walk
 * costs one directory listing per directory and one request per link, several of them in flight.
 */
public final class RemoteRootArtifact implements Artifact {
    private static final int LISTING_REQUESTS = 8;

    private final SftpFiles files;
    private final ArtifactDescription description;
    private final Set<String> skipDirectories;
    private final ScanLimits limits;

    RemoteRootArtifact(
            SftpFiles files, ArtifactDescription description, Set<String> skipDirectories, ScanLimits limits) {
        this.files = files;
        this.description = description;
        this.skipDirectories = Set.copyOf(skipDirectories);
        this.limits = limits;
    }

    @Override
    public ArtifactDescription description() {
        return description;
    }

    @Override
    public void walk(LayerVisitor visitor) throws SourceException {
        Layer layer = Layer.single();
        visitor.startLayer(layer);
        // listings are asked for ahead of the walk, a few at a time: a round trip per request, not bandwidth,
        // is what a walk over SFTP waits for
        ExecutorService listers = Executors.newFixedThreadPool(LISTING_REQUESTS, runnable -> {
            Thread thread = new Thread(runnable, "palisade-sftp-listing");
            thread.setDaemon(true);
            return thread;
        });
        Map<String, Future<List<FileEntry>>> listings = new HashMap<>();
        AtomicLong listed = new AtomicLong();
        Deque<String> directories = new ArrayDeque<>();
        directories.push("");
        listings.put("", listers.submit(() -> files.children("", listed, limits.maxEntries())));
        long budget = limits.maxTotalBytes();
        try {
            while (!directories.isEmpty()) {
                String directory = directories.pop();
                limits.deadline().check("the walk of " + description.name());
                List<FileEntry> children;
                try {
                    children = listing(listings.remove(directory));
                } catch (ArtifactLimitException e) {
                    throw e;
                } catch (IOException e) {
                    if (directory.isEmpty()) {
                        throw new SourceException(
                                description.name() + ": / cannot be listed: " + SftpFiles.message(e), e);
                    }
                    visitor.problem(new Problem(directory, null, "cannot be read: " + SftpFiles.message(e)));
                    continue;
                }
                // pushed in reverse so that directories are entered in name order
                for (int i = children.size() - 1; i >= 0; i--) {
                    FileEntry child = children.get(i);
                    if (child.kind() == FileKind.DIRECTORY && !skipDirectories.contains(child.path())) {
                        directories.push(child.path());
                        listings.put(
                                child.path(),
                                listers.submit(() -> files.children(child.path(), listed, limits.maxEntries())));
                    }
                }
                for (FileEntry child : children) {
                    if (child.kind() == FileKind.DIRECTORY && skipDirectories.contains(child.path())) {
                        continue;
                    }
                    if (child.kind() == FileKind.FILE) {
                        budget -= file(visitor, child, budget);
                    } else {
                        visitor.entry(raw(child), InputStream.nullInputStream());
                    }
                }
            }
        } catch (ArtifactLimitException e) {
            visitor.problem(new Problem(
                    description.name(), null, "stopped reading: " + e.getMessage() + "; results so far are kept"));
        } catch (IOException e) {
            throw new SourceException(description.name() + ": cannot be read: " + SftpFiles.message(e), e);
        } finally {
            listers.shutdownNow();
        }
        visitor.endLayer(layer);
    }

    private static List<FileEntry> listing(@Nullable Future<List<FileEntry>> listing) throws IOException {
        if (listing == null) {
            throw new IllegalStateException("a directory was walked without its listing");
        }
        try {
            return listing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while listing");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause == null ? "cannot be listed" : String.valueOf(cause.getMessage()), e);
        }
    }

    /** Hands one regular file to the visitor, opened only if read; returns the bytes read. */
    private long file(LayerVisitor visitor, FileEntry entry, long budget) throws ArtifactLimitException {
        // bounded by the size stated before reading (a file that grows is cut there) and by what is left of the budget
        LimitedInputStream in = LimitedInputStream.artifactBudget(
                new LimitedInputStream(
                        new OpenedWhenRead(files, entry.path()),
                        entry.size(),
                        "the file, which grew while it was read beyond its size of " + entry.size() + " bytes,"),
                budget,
                "the content read from the host (limit maxTotalBytes)",
                limits.deadline());
        try (in) {
            visitor.entry(raw(entry), in);
        } catch (ArtifactLimitException e) {
            throw e;
        } catch (IOException e) {
            visitor.problem(new Problem(entry.path(), null, "cannot be read: " + SftpFiles.message(e)));
        }
        return in.count();
    }

    private static RawEntry raw(FileEntry e) {
        return new RawEntry(e.path(), e.kind(), e.size(), e.mode(), e.uid(), e.gid(), e.linkTarget());
    }

    /** Reads a file of the walked tree again, confined to the root as the walk was. */
    @Override
    public InputStream open(FileEntry entry) throws IOException {
        return files.open(entry);
    }

    @Override
    public void close() {}

    /** A remote file opened on the first read: most files the walk passes are never read. */
    private static final class OpenedWhenRead extends InputStream {
        private final SftpFiles files;
        private final String path;
        private @Nullable InputStream opened;

        OpenedWhenRead(SftpFiles files, String path) {
            this.files = files;
            this.path = path;
        }

        private InputStream in() throws IOException {
            InputStream in = opened;
            if (in == null) {
                in = files.openWalked(path);
                opened = in;
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return len == 0 ? 0 : in().read(b, off, len);
        }

        @Override
        public long skip(long n) throws IOException {
            return in().skip(n);
        }

        @Override
        public void close() throws IOException {
            if (opened != null) {
                opened.close();
            }
        }
    }
}
