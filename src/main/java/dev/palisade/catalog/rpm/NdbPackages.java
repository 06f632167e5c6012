package dev.palisade.catalog.rpm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.function.Consumer;

/**
 * Reads the package headers of rpm's NDB database, {@code Packages.db} (SUSE Linux Enterprise 15 and
 * openSUSE), as rpm's {@code lib/backend/ndb/rpmpkg.c} lays it out, little-endian: a 32-byte header
 * ({@code RpmP}, version 0, generation, slot page count) at the start of the slot pages; 16-byte slots
 * ({@code Slot}, package index, block offset, block count; index 0 is a free slot); and at each slot's
 * block offset (in 16-byte blocks) a blob ({@code BlbS}, package index, generation, length) followed by
 * the header blob.
 */
final class NdbPackages {
    private static final int HEADER_MAGIC = 'R' | 'p' << 8 | 'm' << 16 | 'P' << 24;
    private static final int SLOT_MAGIC = 'S' | 'l' << 8 | 'o' << 16 | 't' << 24;
    private static final int BLOB_MAGIC = 'B' | 'l' << 8 | 'b' << 16 | 'S' << 24;
    private static final int PAGE_SIZE = 4096;
    private static final int SLOT_SIZE = 16;
    private static final int BLOCK_SIZE = 16;
    private static final int BLOB_HEAD = 16;
    /** rpm never writes more slot pages than this (go-rpmdb uses the same bound). */
    static final int MAX_SLOT_PAGES = 2048;

    private NdbPackages() {}

    /** Hands every package header blob to {@code blobs}, and what could not be read to {@code problems}. */
    static void read(SeekableByteChannel file, Consumer<byte[]> blobs, Consumer<String> problems) throws IOException {
        long size = file.size();
        if (size < 32) {
            throw new IOException("not an rpm NDB database: " + size + " bytes");
        }
        ByteBuffer header = readAt(file, 0, 32, size);
        if (header.getInt(0) != HEADER_MAGIC) {
            throw new IOException("not an rpm NDB database (no RpmP magic)");
        }
        if (header.getInt(4) != 0) {
            throw new IOException("rpm NDB database version " + header.getInt(4) + " is not supported");
        }
        long slotPages = Integer.toUnsignedLong(header.getInt(12));
        if (slotPages == 0 || slotPages > MAX_SLOT_PAGES || slotPages * PAGE_SIZE > size) {
            throw new IOException("implausible rpm NDB database: " + slotPages + " slot pages in " + size + " bytes");
        }
        ByteBuffer slots = readAt(file, 0, (int) (slotPages * PAGE_SIZE), size);
        int slotCount = (int) (slotPages * PAGE_SIZE / SLOT_SIZE);
        for (int i = 2; i < slotCount; i++) { // the first two slots' room holds the database header
            int at = i * SLOT_SIZE;
            if (slots.getInt(at) != SLOT_MAGIC) {
                problems.accept("slot " + i + " is damaged (no Slot magic); the slots after it were not read");
                return;
            }
            long index = Integer.toUnsignedLong(slots.getInt(at + 4));
            if (index == 0) {
                continue;
            }
            long blockOffset = Integer.toUnsignedLong(slots.getInt(at + 8));
            long blockCount = Integer.toUnsignedLong(slots.getInt(at + 12));
            long start = blockOffset * BLOCK_SIZE;
            long room = blockCount * BLOCK_SIZE;
            if (blockOffset < slotPages * PAGE_SIZE / BLOCK_SIZE || room < BLOB_HEAD || start + room > size) {
                problems.accept("package " + index + ": its blob lies outside the database");
                continue;
            }
            ByteBuffer head = readAt(file, start, BLOB_HEAD, size);
            if (head.getInt(0) != BLOB_MAGIC || Integer.toUnsignedLong(head.getInt(4)) != index) {
                problems.accept("package " + index + ": no blob of that package at its slot's offset");
                continue;
            }
            long length = Integer.toUnsignedLong(head.getInt(12));
            if (length > room - BLOB_HEAD || length > BerkeleyDbHash.MAX_VALUE) {
                problems.accept("package " + index + ": a blob of " + length + " bytes does not fit its " + room
                        + "-byte slot");
                continue;
            }
            ByteBuffer blob = readAt(file, start + BLOB_HEAD, (int) length, size);
            blobs.accept(blob.array());
        }
    }

    private static ByteBuffer readAt(SeekableByteChannel file, long position, int length, long size)
            throws IOException {
        if (position < 0 || position + length > size) {
            throw new IOException("read past the end of the file at " + position);
        }
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (file.position(position + buffer.position()).read(buffer) < 0) {
                throw new IOException("the file ended early at " + (position + buffer.position()));
            }
        }
        return buffer.clear();
    }
}
