package dev.palisade.catalog.java;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only channel over a part of something larger, so that an archive stored inside another is opened where it
 * lies; closing it closes only the view. Subclasses say how bytes are read at a position of the slice.
 */
abstract class SliceChannel implements SeekableByteChannel {
    private final long length;
    private long position;
    private boolean open = true;

    SliceChannel(long length) {
        this.length = length;
    }

    /** Reads into {@code dst} from {@code at} (within the slice), at most {@code max} bytes; the number read. */
    abstract int readAt(ByteBuffer dst, long at, int max) throws IOException;

    @Override
    public final int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= length) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        int n = readAt(dst, position, (int) Math.min(dst.remaining(), length - position));
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public final int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public final long position() throws ClosedChannelException {
        ensureOpen();
        return position;
    }

    @Override
    public final SeekableByteChannel position(long newPosition) throws ClosedChannelException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public final long size() throws ClosedChannelException {
        ensureOpen();
        return length;
    }

    @Override
    public final SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public final boolean isOpen() {
        return open;
    }

    @Override
    public final void close() {
        open = false;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
