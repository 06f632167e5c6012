package dev.palisade.catalog.java;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only channel over a part of a spool file, by positional reads, so that an archive stored inside another
 * is opened where it lies. Closing it leaves the file open for its owner.
 */
final class FileSliceChannel implements SeekableByteChannel {
    private final FileChannel file;
    private final long offset;
    private final long length;
    private long position;
    private boolean open = true;

    FileSliceChannel(FileChannel file, long offset, long length) {
        this.file = file;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= length) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        int limit = dst.limit();
        if (dst.remaining() > length - position) {
            dst.limit(dst.position() + (int) (length - position));
        }
        try {
            int n = file.read(dst, offset + position);
            if (n > 0) {
                position += n;
            }
            return n;
        } finally {
            dst.limit(limit);
        }
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws ClosedChannelException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws ClosedChannelException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws ClosedChannelException {
        ensureOpen();
        return length;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
