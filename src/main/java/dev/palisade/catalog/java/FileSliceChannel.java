package dev.palisade.catalog.java;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.jspecify.annotations.Nullable;

/**
 * A read-only channel over a part of a spool file, by positional reads, so that an archive stored inside another
 * is opened where it lies. Closing it leaves the file open for its owner.
 *
 * <p>Small reads are served from a window of the file read ahead: opening an archive reads its central directory a
 * record and a name at a time, two system calls per entry of an archive of tens of thousands.
 */
final class FileSliceChannel extends SliceChannel {
    static final int WINDOW_BYTES = 64 * 1024;

    private final FileChannel file;
    private final long offset;
    private final long length;
    private byte @Nullable [] window;
    /** Where in the slice the window starts, and how many bytes it holds. */
    private long windowStart;

    private int windowLength;
    /** Bytes read into the window so far: what reading through it costs. */
    private long filledBytes;

    FileSliceChannel(FileChannel file, long offset, long length) {
        super(length);
        this.file = file;
        this.offset = offset;
        this.length = length;
    }

    @Override
    int readAt(ByteBuffer dst, long at, int max) throws IOException {
        if (max >= WINDOW_BYTES) {
            return readDirect(dst, at, max);
        }
        byte[] bytes = window;
        if (bytes == null || at < windowStart || Math.min(at + max, length) > windowStart + windowLength) {
            // A read behind the window takes the window that ends with it: a search backwards from the end, as for
            // a zip's end of central directory, a byte at a time, then costs a window per 64 KiB, not per byte.
            long start = bytes != null && at < windowStart ? Math.max(0, at + max - WINDOW_BYTES) : at;
            bytes = fill(start);
            if (windowStart + windowLength <= at) {
                return -1; // the spool file ends here, as a read of it would say
            }
        }
        int n = (int) Math.min(max, windowStart + windowLength - at);
        dst.put(bytes, (int) (at - windowStart), n);
        return n;
    }

    private byte[] fill(long at) throws IOException {
        byte[] bytes = window;
        if (bytes == null) {
            bytes = new byte[WINDOW_BYTES];
            window = bytes;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, (int) Math.min(WINDOW_BYTES, length - at));
        windowStart = at;
        windowLength = 0;
        while (buffer.hasRemaining() && file.read(buffer, offset + at + buffer.position()) >= 0) {
            // until the window is full or the file ends
        }
        windowLength = buffer.position();
        filledBytes += windowLength;
        return bytes;
    }

    long filledBytes() {
        return filledBytes;
    }

    private int readDirect(ByteBuffer dst, long at, int max) throws IOException {
        int limit = dst.limit();
        dst.limit(dst.position() + max);
        try {
            return file.read(dst, offset + at);
        } finally {
            dst.limit(limit);
        }
    }
}
