package dev.palisade.catalog.java;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A read-only channel over a part of a spool file, by positional reads, so that an archive stored inside another
 * is opened where it lies. Closing it leaves the file open for its owner.
 */
final class FileSliceChannel extends SliceChannel {
    private final FileChannel file;
    private final long offset;

    FileSliceChannel(FileChannel file, long offset, long length) {
        super(length);
        this.file = file;
        this.offset = offset;
    }

    @Override
    int readAt(ByteBuffer dst, long at, int max) throws IOException {
        int limit = dst.limit();
        dst.limit(dst.position() + max);
        try {
            return file.read(dst, offset + at);
        } finally {
            dst.limit(limit);
        }
    }
}
