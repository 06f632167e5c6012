package dev.palisade.catalog.java;

import java.nio.ByteBuffer;

/**
 * A read-only channel over a part of a byte array, so that a member stored (not deflated) in an archive
 * can be opened as an archive of its own where it lies, without a copy.
 */
final class ByteSliceChannel extends SliceChannel {
    private final byte[] bytes;
    private final int offset;

    ByteSliceChannel(byte[] bytes, int offset, int length) {
        super(length);
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " of " + bytes.length);
        }
        this.bytes = bytes;
        this.offset = offset;
    }

    @Override
    int readAt(ByteBuffer dst, long at, int max) {
        dst.put(bytes, offset + (int) at, max);
        return max;
    }
}
