package dev.palisade.catalog.rpm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.BitSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Reads the values of a Berkeley DB hash database, the format of rpm's {@code Packages} before rpm 4.16
 * (RHEL and CentOS 7 and 8, older SUSE), without the Berkeley DB library: the layout of Berkeley DB
 * 5.3's {@code dbinc/db_page.h}. Page 0 is the hash metadata page; every hash page holds key/data
 * pairs, inline or on a chain of overflow pages. The pages are read in file order, so a damaged bucket
 * chain cannot loop; overflow chains are bounded by the page count and checked for cycles.
 */
final class BerkeleyDbHash {
    static final int HASH_MAGIC = 0x061561;
    private static final int PAGE_HEADER = 26;
    private static final int P_HASH_UNSORTED = 2;
    private static final int P_OVERFLOW = 7;
    private static final int P_HASHMETA = 8;
    private static final int P_HASH = 13;
    private static final int H_KEYDATA = 1;
    private static final int H_OFFPAGE = 3;
    private static final int DBMETA_CHKSUM = 0x01;
    /** The largest value read: an rpm header is a few hundred kilobytes at most. */
    static final int MAX_VALUE = 64 * 1024 * 1024;

    private BerkeleyDbHash() {}

    /** A key and its value; rpm's keys are the 4-byte package instance numbers. */
    record Entry(byte[] key, byte[] value) {}

    /**
     * Hands every key/data pair to {@code entries}, and what could not be read to {@code problems}.
     *
     * @throws IOException when the file is not a Berkeley DB hash database Palisade can read at all
     */
    static void read(SeekableByteChannel file, Consumer<Entry> entries, Consumer<String> problems) throws IOException {
        long size = file.size();
        ByteBuffer meta = readAt(file, 0, 512, size);
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (meta.order(order).getInt(12) != HASH_MAGIC) {
            order = ByteOrder.BIG_ENDIAN;
            if (meta.order(order).getInt(12) != HASH_MAGIC) {
                throw new IOException("not a Berkeley DB hash database (no hash magic number)");
            }
        }
        meta.order(order);
        int pageSize = meta.getInt(20);
        if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            throw new IOException("implausible Berkeley DB page size " + Integer.toUnsignedString(pageSize));
        }
        if (meta.get(24) != 0) {
            throw new IOException("the Berkeley DB database is encrypted");
        }
        if (meta.get(25) != P_HASHMETA) {
            throw new IOException("the Berkeley DB metadata page is not a hash metadata page");
        }
        if ((meta.get(26) & DBMETA_CHKSUM) != 0) {
            throw new IOException("Berkeley DB databases with page checksums are not supported");
        }
        long lastPage = Integer.toUnsignedLong(meta.getInt(32));
        long pagesInFile = size / pageSize;
        if (lastPage >= pagesInFile) {
            problems.accept("the database claims " + (lastPage + 1) + " pages but the file holds " + pagesInFile
                    + " (truncated?); reading those present");
            lastPage = pagesInFile - 1;
        }
        BitSet chain = new BitSet();
        for (long pageNumber = 1; pageNumber <= lastPage; pageNumber++) {
            ByteBuffer page =
                    readAt(file, pageNumber * pageSize, pageSize, size).order(order);
            int type = page.get(25) & 0xff;
            if (type != P_HASH && type != P_HASH_UNSORTED) {
                continue;
            }
            readHashPage(file, page, pageNumber, lastPage, order, size, chain, entries, problems);
        }
    }

    private static void readHashPage(
            SeekableByteChannel file,
            ByteBuffer page,
            long pageNumber,
            long lastPage,
            ByteOrder order,
            long size,
            BitSet chain,
            Consumer<Entry> entries,
            Consumer<String> problems)
            throws IOException {
        int pageSize = page.capacity();
        int count = page.getShort(20) & 0xffff;
        int indexEnd = PAGE_HEADER + 2 * count;
        if (indexEnd > pageSize) {
            problems.accept("page " + pageNumber + " claims " + count + " items, more than fit in a page");
            return;
        }
        int[] offsets = new int[count];
        for (int i = 0; i < count; i++) {
            offsets[i] = page.getShort(PAGE_HEADER + 2 * i) & 0xffff;
            int end = i == 0 ? pageSize : offsets[i - 1];
            if (offsets[i] < indexEnd || offsets[i] >= end) {
                problems.accept("page " + pageNumber + " item " + i + " lies outside its page");
                return;
            }
        }
        for (int i = 0; i + 1 < count; i += 2) {
            byte[] key = item(file, page, offsets, i, pageNumber, lastPage, order, size, chain, problems);
            byte[] value = item(file, page, offsets, i + 1, pageNumber, lastPage, order, size, chain, problems);
            if (key != null && value != null) {
                entries.accept(new Entry(key, value));
            }
        }
    }

    private static byte @Nullable [] item(
            SeekableByteChannel file,
            ByteBuffer page,
            int[] offsets,
            int index,
            long pageNumber,
            long lastPage,
            ByteOrder order,
            long size,
            BitSet chain,
            Consumer<String> problems)
            throws IOException {
        int start = offsets[index];
        int end = index == 0 ? page.capacity() : offsets[index - 1];
        int type = page.get(start) & 0xff;
        if (type == H_KEYDATA) {
            byte[] data = new byte[end - start - 1];
            page.get(start + 1, data);
            return data;
        }
        if (type == H_OFFPAGE) {
            if (end - start < 12) {
                problems.accept("page " + pageNumber + " item " + index + ": overflow reference cut short");
                return null;
            }
            long first = Integer.toUnsignedLong(page.getInt(start + 4));
            long length = Integer.toUnsignedLong(page.getInt(start + 8));
            return overflow(file, first, length, lastPage, order, page.capacity(), size, chain, problems);
        }
        problems.accept("page " + pageNumber + " item " + index + " has item type " + type
                + " (duplicates), which rpm databases do not use");
        return null;
    }

    private static byte @Nullable [] overflow(
            SeekableByteChannel file,
            long first,
            long length,
            long lastPage,
            ByteOrder order,
            int pageSize,
            long size,
            BitSet chain,
            Consumer<String> problems)
            throws IOException {
        if (length > MAX_VALUE) {
            problems.accept("a value of " + length + " bytes is larger than any rpm header; skipped");
            return null;
        }
        // checked before anything is allocated: a page of small items may each claim a large value
        if (first < 1 || first > lastPage) {
            problems.accept("an overflow chain points to page " + first + ", outside the database");
            return null;
        }
        // grown as pages are read, never beyond what the chain really holds: a page of small items may each
        // claim a large value
        byte[] value = new byte[(int) Math.min(length, 4L * pageSize)];
        int filled = 0;
        chain.clear();
        long pageNumber = first;
        while (filled < length) {
            if (pageNumber < 1 || pageNumber > lastPage) {
                problems.accept("an overflow chain points to page " + pageNumber + ", outside the database");
                return null;
            }
            if (chain.get((int) pageNumber)) {
                problems.accept("an overflow chain loops back to page " + pageNumber);
                return null;
            }
            chain.set((int) pageNumber);
            ByteBuffer page =
                    readAt(file, pageNumber * pageSize, pageSize, size).order(order);
            if ((page.get(25) & 0xff) != P_OVERFLOW) {
                problems.accept("an overflow chain reaches page " + pageNumber + ", which is no overflow page");
                return null;
            }
            int used = page.getShort(22) & 0xffff;
            if (used > pageSize - PAGE_HEADER || used > length - filled) {
                problems.accept("overflow page " + pageNumber + " claims " + used + " bytes that do not fit");
                return null;
            }
            if (filled + used > value.length) {
                value = java.util.Arrays.copyOf(
                        value, (int) Math.min(length, Math.max(2L * value.length, filled + used)));
            }
            page.get(PAGE_HEADER, value, filled, used);
            filled += used;
            pageNumber = Integer.toUnsignedLong(page.getInt(16));
        }
        if (filled != length) {
            problems.accept("an overflow chain ends after " + filled + " of " + length + " bytes");
            return null;
        }
        return value;
    }

    private static ByteBuffer readAt(SeekableByteChannel file, long position, int length, long size)
            throws IOException {
        if (position < 0 || position + length > size) {
            throw new IOException("read past the end of the file at " + position);
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (file.position(position + buffer.position()).read(buffer) < 0) {
                throw new IOException("the file ended early at " + (position + buffer.position()));
            }
        }
        return buffer.clear();
    }
}
