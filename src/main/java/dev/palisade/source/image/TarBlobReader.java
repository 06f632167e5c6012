package dev.palisade.source.image;

import dev.palisade.source.EntryPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Reads members of an image tar (docker-archive or OCI archive) by name, with random access, so
 * layers are streamed straight out of the archive without extracting it.
 */
final class TarBlobReader implements BlobReader {
    private final Path archive;
    private final TarFile tar;
    private final Map<String, TarArchiveEntry> members = new HashMap<>();

    TarBlobReader(Path archive, long maxEntries) throws IOException {
        this.archive = archive;
        this.tar = new TarFile(FileChannel.open(archive, StandardOpenOption.READ));
        if (tar.getEntries().size() > maxEntries) {
            tar.close();
            throw new IOException("the archive has more than " + maxEntries + " members (limit maxEntries)");
        }
        for (TarArchiveEntry entry : tar.getEntries()) {
            if (entry.isFile()) {
                EntryPaths.normalize(entry.getName()).ifPresent(name -> members.put(name, entry));
            }
        }
    }

    @Override
    public boolean exists(String name) {
        return members.containsKey(name);
    }

    @Override
    public InputStream open(String name) throws IOException {
        TarArchiveEntry entry = members.get(EntryPaths.normalize(name).orElse("\0"));
        if (entry == null) {
            throw new IOException("no member " + name + " in " + archive);
        }
        return tar.getInputStream(entry);
    }

    /**
     * The member's bytes read with positional reads on a channel of its own: the same bytes {@link #open} streams
     * (a sparse member, whose data is scattered, is not offered).
     */
    @Override
    public Optional<InputStream> openConcurrently(String name) throws IOException {
        TarArchiveEntry entry = members.get(EntryPaths.normalize(name).orElse("\0"));
        if (entry == null) {
            throw new IOException("no member " + name + " in " + archive);
        }
        if (entry.isSparse() || entry.getDataOffset() < 0) {
            return Optional.empty();
        }
        return Optional.of(new ChannelSlice(
                FileChannel.open(archive, StandardOpenOption.READ), entry.getDataOffset(), entry.getRealSize()));
    }

    /** {@code length} bytes of a channel from {@code start}, read with positional reads; closes the channel. */
    private static final class ChannelSlice extends InputStream {
        private final FileChannel channel;
        private final long end;
        private long position;

        ChannelSlice(FileChannel channel, long start, long length) {
            this.channel = channel;
            this.position = start;
            this.end = start + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position >= end) {
                return -1;
            }
            int n = channel.read(
                    java.nio.ByteBuffer.wrap(buffer, offset, (int) Math.min(length, end - position)), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    @Override
    public boolean readsAheadSafely() {
        return true;
    }

    @Override
    public String origin() {
        return archive.toString();
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
