package dev.palisade.catalog.java;

import dev.palisade.catalog.ContentBytes;
import dev.palisade.source.LimitExceededException;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of an archive being read: an array when it is small, else a spool file, so that a large archive never
 * sits whole on the heap. A slice of either is an archive stored inside another, read where it lies. Closing the
 * instance that made a spool file closes it (its name is unlinked as soon as it is open); slices close nothing.
 */
final class ArchiveBytes implements Closeable {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final byte @Nullable [] array;
    private final @Nullable FileChannel file;
    /** Whether this instance made the spool file, and so closes it. */
    private final boolean owner;

    private final long offset;
    private final long length;

    private ArchiveBytes(byte @Nullable [] array, @Nullable FileChannel file, boolean owner, long offset, long length) {
        this.array = array;
        this.file = file;
        this.owner = owner;
        this.offset = offset;
        this.length = length;
    }

    static ArchiveBytes of(byte[] bytes) {
        return new ArchiveBytes(bytes, null, false, 0, bytes.length);
    }

    /**
     * The whole stream, failing as {@link ContentBytes#read(InputStream, long, long, long, String)} does once more than
     * {@code limit} bytes arrive; held in memory up to {@link ArchiveSpool#threshold()} bytes, beyond in a spool file.
     */
    static ArchiveBytes read(
            InputStream in, long expectedSize, long limit, long trusted, String what, ArchiveSpool spool)
            throws IOException {
        long inMemory = Math.min(limit, spool.threshold());
        if (expectedSize <= inMemory) {
            byte[] head = ContentBytes.read(new PrefixStream(in, inMemory), expectedSize, inMemory, trusted, what);
            if (head.length < inMemory) {
                return of(head);
            }
            int next = in.read();
            if (next < 0) {
                return of(head);
            }
            checkLimit(head.length + 1L, limit, what); // no spool file for what fails at once
            return spool(in, head, next, limit, what, spool);
        }
        return spool(in, new byte[0], -1, limit, what, spool);
    }

    /** Writes {@code head}, then {@code next} when not negative, then the rest of {@code in} to a new spool file. */
    private static ArchiveBytes spool(
            InputStream in, byte[] head, int next, long limit, String what, ArchiveSpool spool) throws IOException {
        Path path = spool.create();
        FileChannel channel = null;
        try {
            // DELETE_ON_CLOSE unlinks the file as soon as it is open (on Linux and macOS): the channel keeps the
            // bytes, and a run killed while it reads leaves nothing behind
            channel = FileChannel.open(
                    path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        } finally {
            if (channel == null) {
                Files.deleteIfExists(path);
            }
        }
        try {
            writeFully(channel, ByteBuffer.wrap(head));
            long total = head.length;
            byte[] buffer = new byte[BUFFER_BYTES];
            if (next >= 0) {
                buffer[0] = (byte) next;
                total++;
                checkLimit(total, limit, what);
                writeFully(channel, ByteBuffer.wrap(buffer, 0, 1));
            }
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                checkLimit(total, limit, what);
                writeFully(channel, ByteBuffer.wrap(buffer, 0, n));
            }
            ArchiveBytes bytes = new ArchiveBytes(null, channel, true, 0, total);
            channel = null;
            return bytes;
        } finally {
            if (channel != null) {
                try {
                    channel.close();
                } finally {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** The message {@code LimitedInputStream.readAll} gives, so that the spool path fails exactly like the array. */
    private static void checkLimit(long total, long limit, String what) throws LimitExceededException {
        if (total > limit) {
            throw new LimitExceededException(what + " is larger than the limit of " + limit + " bytes");
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    long length() {
        return length;
    }

    boolean spooled() {
        return file != null;
    }

    /** {@code bytes[position, position + length)} of these bytes as an archive of its own. */
    ArchiveBytes slice(long position, long sliceLength) {
        if (position < 0 || sliceLength < 0 || position > length - sliceLength) {
            throw new IndexOutOfBoundsException("slice " + position + "+" + sliceLength + " of " + length);
        }
        return new ArchiveBytes(array, file, false, offset + position, sliceLength);
    }

    /** Fills {@code destination} from {@code position}; false when these bytes end before it is full. */
    boolean read(long position, byte[] destination) throws IOException {
        return read(position, destination, destination.length);
    }

    /** Fills {@code destination[0, count)} from {@code position}; false when these bytes end before. */
    boolean read(long position, byte[] destination, int count) throws IOException {
        if (position < 0 || count < 0 || count > destination.length || position > length - count) {
            return false;
        }
        if (array != null) {
            System.arraycopy(array, (int) (offset + position), destination, 0, count);
            return true;
        }
        ByteBuffer buffer = ByteBuffer.wrap(destination, 0, count);
        FileChannel channel = channel(file);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + position + buffer.position()) < 0) {
                throw new EOFException("spool file shorter than written");
            }
        }
        return true;
    }

    /** The little-endian 32-bit value at {@code position}. */
    int readInt(long position) throws IOException {
        byte[] four = new byte[4];
        if (!read(position, four)) {
            throw new EOFException("archive ends before byte " + (position + 4));
        }
        return (four[0] & 0xFF) | (four[1] & 0xFF) << 8 | (four[2] & 0xFF) << 16 | (four[3] & 0xFF) << 24;
    }

    /** The little-endian 64-bit value at {@code position}. */
    long readLong(long position) throws IOException {
        return Integer.toUnsignedLong(readInt(position)) | (long) readInt(position + 4) << 32;
    }

    /**
     * {@code bytes[position, position + count)} as a stream, ending early where these bytes end (a member whose
     * data runs past the archive reads short, and its reader tells it).
     */
    InputStream stream(long position, long count) throws IOException {
        if (position < 0 || count < 0) {
            throw new EOFException("a member's data at " + position + "+" + count + " lies outside the archive");
        }
        long available = Math.max(0, Math.min(count, length - position));
        long start = offset + Math.min(position, length);
        if (array != null) {
            return new ByteArrayInputStream(array, (int) start, (int) available);
        }
        return new SpoolRange(channel(file), start, available);
    }

    String sha1() throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java runtime", e);
        }
        if (array != null) {
            digest.update(array, (int) offset, (int) length);
        } else {
            FileChannel channel = channel(file);
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
            long position = 0;
            while (position < length) {
                buffer.clear().limit((int) Math.min(BUFFER_BYTES, length - position));
                int n = channel.read(buffer, offset + position);
                if (n < 0) {
                    throw new EOFException("spool file shorter than written");
                }
                digest.update(buffer.array(), 0, n);
                position += n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Closes the spool file this instance made (its name was unlinked when it was opened: the name may belong to
     * another file by now, so it is not deleted again); nothing for arrays and slices.
     */
    @Override
    public void close() throws IOException {
        if (owner && file != null) {
            file.close();
        }
    }

    private static FileChannel channel(@Nullable FileChannel file) {
        if (file == null) {
            throw new IllegalStateException("not spooled");
        }
        return file;
    }

    /**
     * {@code length} bytes of a spool file from {@code start}, by positional reads: a member's reader asks for a few
     * KiB at a time, and several may read one file. Closing it leaves the file open for its owner.
     */
    private static final class SpoolRange extends InputStream {
        private final FileChannel file;
        private final long end;
        private long position;

        SpoolRange(FileChannel file, long start, long length) {
            this.file = file;
            this.position = start;
            this.end = start + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int n = file.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n < 0) {
                throw new EOFException("spool file shorter than written");
            }
            position += n;
            return n;
        }
    }

    /** At most {@code limit} bytes of a stream, leaving the rest in it. */
    private static final class PrefixStream extends InputStream {
        private final InputStream in;
        private long left;

        PrefixStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
