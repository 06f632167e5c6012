package dev.palisade.catalog.java;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipEntry;
import org.jspecify.annotations.Nullable;

/**
 * A Java archive's central directory, read for {@link JavaArchiveCataloger}: where every member lies (to refuse
 * members that share their data) and the few members the cataloger reads, the descriptors ({@code pom.properties},
 * {@code pom.xml}, the manifest) and the nested archives.
 *
 * <p>It finds and reads the directory by the rules of Commons Compress's {@code ZipFile}, which read these archives
 * before: the end record searched backwards through the last 64 KiB, Zip64 through its locator, a prefix before the
 * first member (a launch script) allowed for, names in UTF-8 with {@code ?} for malformed bytes, and the same
 * refusals. Unlike {@code ZipFile} it builds no object for the members it does not read: that took 20 times as long
 * as the JDK's own reader on the jars of a large image, most of it turning each member's DOS time into a date. It
 * reads stored and deflated members, the two methods the JVM's class loader reads; others are reported unread.
 */
final class ZipCentralDirectory {
    private static final int END_SIGNATURE = 0x06054b50;
    private static final int END_BYTES = 22;
    private static final int MAX_COMMENT_BYTES = 0xFFFF;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_LOCATOR_BYTES = 20;
    private static final int ZIP64_END_SIGNATURE = 0x06064b50;
    private static final int ZIP64_END_CENTRAL_OFFSET = 48;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int CENTRAL_FIXED_BYTES = 46;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int LOCAL_FIXED_BYTES = 30;
    private static final long ZIP64_MAGIC = 0xFFFFFFFFL;
    private static final int ZIP64_MAGIC_SHORT = 0xFFFF;
    private static final int ZIP64_EXTRA_ID = 0x0001;
    private static final int ENCRYPTED_FLAG = 1;
    private static final int WINDOW_BYTES = 64 * 1024;
    private static final int INFLATE_BUFFER_BYTES = 8 * 1024;
    private static final String MANIFEST = "META-INF/MANIFEST.MF";
    private static final String POM_XML = "/pom.xml";

    /**
     * A member the cataloger may read.
     *
     * @param index its place in the central directory
     * @param name its name, as Commons Compress decodes it
     * @param localHeaderOffset where its local header starts, prefix included
     * @param flags the general purpose flags
     */
    record Member(
            int index, String name, long localHeaderOffset, long compressedSize, long size, int method, int flags) {
        boolean encrypted() {
            return (flags & ENCRYPTED_FLAG) != 0;
        }

        /** Whether its data can be read: not encrypted, stored or deflated. */
        boolean readable() {
            return !encrypted() && (method == ZipEntry.STORED || method == ZipEntry.DEFLATED);
        }

        /** Why {@link #readable} said no, for a problem's reason. */
        String whyUnreadable() {
            return encrypted()
                    ? "is encrypted"
                    : "is compressed with method " + method + ", which Palisade does not read";
        }
    }

    private final ArchiveBytes bytes;
    private final long centralStart;
    private final List<Member> wanted;
    private final Map<String, Member> poms;
    private final BitSet overlapping;
    private final @Nullable String firstOverlapping;

    private ZipCentralDirectory(
            ArchiveBytes bytes,
            long centralStart,
            List<Member> wanted,
            Map<String, Member> poms,
            BitSet overlapping,
            @Nullable String firstOverlapping) {
        this.bytes = bytes;
        this.centralStart = centralStart;
        this.wanted = wanted;
        this.poms = poms;
        this.overlapping = overlapping;
        this.firstOverlapping = firstOverlapping;
    }

    /**
     * Reads the central directory of the archive in {@code bytes}.
     *
     * @throws IOException when there is none, or it is broken (a record cut short, a Zip64 field missing, a member
     *     said to start after the directory)
     */
    static ZipCentralDirectory read(ArchiveBytes bytes) throws IOException {
        long length = bytes.length();
        long end = findEnd(bytes);
        long centralStart;
        long prefix = 0;
        if (end > ZIP64_LOCATOR_BYTES && bytes.readInt(end - ZIP64_LOCATOR_BYTES) == ZIP64_LOCATOR_SIGNATURE) {
            long zip64End = bytes.readLong(end - ZIP64_LOCATOR_BYTES + 8);
            if (zip64End < 0 || zip64End > length - 4 || bytes.readInt(zip64End) != ZIP64_END_SIGNATURE) {
                throw new IOException("the Zip64 end of central directory locator is corrupt");
            }
            if (zip64End > length - ZIP64_END_CENTRAL_OFFSET - 8) {
                throw new EOFException("the Zip64 end of central directory record is cut short");
            }
            centralStart = bytes.readLong(zip64End + ZIP64_END_CENTRAL_OFFSET);
        } else {
            long centralLength = Integer.toUnsignedLong(bytes.readInt(end + 12));
            long centralOffset = Integer.toUnsignedLong(bytes.readInt(end + 16));
            prefix = Math.max(end - centralLength - centralOffset, 0);
            centralStart = centralOffset + prefix;
        }
        if (centralStart < 0 || centralStart > length) {
            throw new EOFException("the central directory starts past the end of the archive");
        }
        return new Reader(bytes, centralStart, prefix).read();
    }

    /** Where the end of central directory record starts, searched backwards as Commons Compress does. */
    private static long findEnd(ArchiveBytes bytes) throws IOException {
        long length = bytes.length();
        if (length < END_BYTES) {
            throw new IOException("archive is not a ZIP archive (too short)");
        }
        int tail = (int) Math.min(length, END_BYTES + MAX_COMMENT_BYTES);
        byte[] last = new byte[tail];
        bytes.read(length - tail, last);
        for (int at = tail - END_BYTES; at >= 0; at--) {
            if (u32(last, at) == END_SIGNATURE) {
                return length - tail + at;
            }
        }
        throw new IOException("archive is not a ZIP archive (no end of central directory record)");
    }

    /** The members the cataloger reads, in the directory's order: descriptors and nested archives, no directories. */
    List<Member> wanted() {
        return wanted;
    }

    /** The first member named {@code META-INF/maven/.../pom.xml} with this name, if any. */
    @Nullable
    Member pom(String name) {
        return poms.get(name);
    }

    /** How many members share or overlap their data with another's. */
    int overlappingCount() {
        return overlapping.cardinality();
    }

    /** The first of them in the directory's order. */
    @Nullable
    String firstOverlapping() {
        return firstOverlapping;
    }

    boolean overlaps(Member member) {
        return overlapping.get(member.index());
    }

    /** The member's data, inflated when it is deflated; closing the stream frees its inflater. */
    InputStream open(Member member) throws IOException {
        if (!member.readable()) {
            throw new IOException(member.name() + " " + member.whyUnreadable());
        }
        long data = dataOffset(member);
        InputStream raw = bytes.stream(data, member.compressedSize());
        if (member.method() == ZipEntry.STORED) {
            return raw;
        }
        Inflater inflater = new Inflater(true);
        // an inflater without the zlib wrapper wants a byte past the data (Inflater's documentation), as the
        // JDK's and Commons Compress's zip readers give it
        return new InflaterInputStream(
                new SequenceInputStream(raw, new ByteArrayInputStream(new byte[1])), inflater, INFLATE_BUFFER_BYTES) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    inflater.end();
                }
            }
        };
    }

    /**
     * Where the member's data starts: past its local header's name and extra field. The header's signature is not
     * checked (Commons Compress does not either), but data reaching into the central directory is refused.
     */
    long dataOffset(Member member) throws IOException {
        long header = member.localHeaderOffset();
        if (header > bytes.length() - LOCAL_FIXED_BYTES) {
            throw new EOFException("the local header of " + member.name() + " lies past the end of the archive");
        }
        int lengths = bytes.readInt(header + 26);
        long data = header + LOCAL_FIXED_BYTES + (lengths & 0xFFFF) + (lengths >>> 16);
        if (member.compressedSize() > centralStart - data) {
            throw new IOException("data for " + member.name() + " overlaps with central directory.");
        }
        return data;
    }

    /**
     * Where the data of a member stored without compression starts, or -1 when it is compressed or its headers do
     * not agree with each other and with the archive's length (then it is read the ordinary way, through {@link
     * #open}, which refuses what it must).
     */
    long storedAt(Member member) throws IOException {
        long length = bytes.length();
        if (member.method() != ZipEntry.STORED || member.size() != member.compressedSize() || member.encrypted()) {
            return -1;
        }
        long header = member.localHeaderOffset();
        byte[] fixed = new byte[LOCAL_FIXED_BYTES];
        if (!bytes.read(header, fixed) || u32(fixed, 0) != LOCAL_SIGNATURE || Reader.u16(fixed, 8) != ZipEntry.STORED) {
            return -1;
        }
        long data = header + LOCAL_FIXED_BYTES + Reader.u16(fixed, 26) + Reader.u16(fixed, 28);
        return member.size() <= length - data ? data : -1;
    }

    private static int u32(byte[] bytes, int at) {
        return (bytes[at] & 0xFF)
                | (bytes[at + 1] & 0xFF) << 8
                | (bytes[at + 2] & 0xFF) << 16
                | (bytes[at + 3] & 0xFF) << 24;
    }

    static boolean isWanted(String name) {
        return JavaArchiveCataloger.isPomProperties(name) || name.equals(MANIFEST) || JarFileName.isJavaArchive(name);
    }

    static boolean isPom(String name) {
        return name.startsWith("META-INF/maven/") && name.endsWith(POM_XML);
    }

    /** One pass over the directory's records. */
    private static final class Reader {
        private final ArchiveBytes bytes;
        private final long centralStart;
        private final long prefix;
        private final byte[] window;
        private long windowStart;
        private int windowLength;
        private long position;

        private int count;
        private long[] offsets = new long[64];
        private long[] ends = new long[64];
        private final List<Member> wanted = new ArrayList<>();
        private final Map<String, Member> poms = new HashMap<>();

        Reader(ArchiveBytes bytes, long centralStart, long prefix) {
            this.bytes = bytes;
            this.centralStart = centralStart;
            this.prefix = prefix;
            this.window = new byte[(int) Math.min(WINDOW_BYTES, Math.max(bytes.length() - centralStart, 4))];
            this.position = centralStart;
        }

        ZipCentralDirectory read() throws IOException {
            if (!signatureAhead(CENTRAL_SIGNATURE)) {
                if (prefix <= bytes.length() - 4 && bytes.readInt(prefix) == LOCAL_SIGNATURE) {
                    throw new IOException("Central directory is empty, can't expand corrupt archive.");
                }
                return finish();
            }
            do {
                record();
            } while (signatureAhead(CENTRAL_SIGNATURE));
            return finish();
        }

        private boolean signatureAhead(int signature) throws IOException {
            if (position > bytes.length() - 4) {
                // Commons Compress reads the next signature with readFully: a directory that runs to the very end
                // of the archive, with no end record after it, is broken
                throw new EOFException("the central directory runs past the end of the archive");
            }
            fill(4);
            return intAt(0) == signature;
        }

        private void record() throws IOException {
            fill(CENTRAL_FIXED_BYTES);
            boolean msDos = (shortAt(4) >>> 8 & 0x0F) == 0;
            int flags = shortAt(8);
            int method = shortAt(10);
            long compressedSize = Integer.toUnsignedLong(intAt(20));
            long size = Integer.toUnsignedLong(intAt(24));
            int nameLength = shortAt(28);
            int extraLength = shortAt(30);
            int commentLength = shortAt(32);
            int diskStart = shortAt(34);
            // Commons Compress adds the prefix before it compares the offset with the Zip64 marker
            long localHeader = Integer.toUnsignedLong(intAt(42)) + prefix;
            position += CENTRAL_FIXED_BYTES;

            fill(nameLength);
            long namePosition = position;
            int nameAt = (int) (position - windowStart);
            String name = mayBeWanted(window, nameAt, nameLength) ? name(window, nameAt, nameLength, msDos) : null;
            position += nameLength;

            boolean hasSize = size == ZIP64_MAGIC;
            boolean hasCompressed = compressedSize == ZIP64_MAGIC;
            boolean hasOffset = localHeader == ZIP64_MAGIC;
            if (hasSize || hasCompressed || hasOffset || diskStart == ZIP64_MAGIC_SHORT) {
                fill(extraLength);
                long[] values = zip64Values(
                        (int) (position - windowStart),
                        extraLength,
                        hasSize,
                        hasCompressed,
                        hasOffset,
                        diskStart == ZIP64_MAGIC_SHORT);
                if (values != null) {
                    size = hasSize ? values[0] : size;
                    compressedSize = hasCompressed ? values[1] : compressedSize;
                    localHeader = hasOffset ? values[2] : localHeader;
                }
            }
            if (localHeader < 0) {
                throw new IOException("broken archive, entry with negative local file header offset");
            }
            if (localHeader > centralStart) {
                throw new IOException("local file header for "
                        + (name != null ? name : nameAt(namePosition, nameLength, msDos))
                        + " starts after central directory");
            }
            position += extraLength;
            skip(commentLength);

            add(localHeader, nameLength, compressedSize);
            if (name != null && !name.endsWith("/")) {
                Member member = new Member(count - 1, name, localHeader, compressedSize, size, method, flags);
                if (isPom(name)) {
                    poms.putIfAbsent(name, member);
                } else if (isWanted(name)) {
                    wanted.add(member);
                }
            }
        }

        /**
         * The Zip64 extra field's values in the central directory's order, each present only where the fixed field
         * holds the magic value (-1 where absent): uncompressed size, compressed size, local header offset. Null
         * when the record has no Zip64 field; a field too short for what it must hold is refused.
         */
        private long @Nullable [] zip64Values(
                int at, int length, boolean hasSize, boolean hasCompressed, boolean hasOffset, boolean hasDisk)
                throws IOException {
            int i = at;
            int stop = at + length;
            while (i + 4 <= stop) {
                int id = u16(i);
                int dataLength = u16(i + 2);
                if (i + 4 + dataLength > stop) {
                    return null; // Commons Compress keeps a field that runs past the extra data as unparseable data
                }
                if (id == ZIP64_EXTRA_ID) {
                    int needed = (hasSize ? 8 : 0) + (hasCompressed ? 8 : 0) + (hasOffset ? 8 : 0) + (hasDisk ? 4 : 0);
                    if (dataLength < needed) {
                        throw new IOException("archive contains unparseable zip64 extra field");
                    }
                    long[] values = {-1, -1, -1};
                    int v = i + 4;
                    if (hasSize) {
                        values[0] = longAt(v);
                        v += 8;
                    }
                    if (hasCompressed) {
                        values[1] = longAt(v);
                        v += 8;
                    }
                    if (hasOffset) {
                        values[2] = longAt(v);
                    }
                    if ((hasSize && values[0] < 0) || (hasCompressed && values[1] < 0)) {
                        throw new IOException("broken archive, entry with negative size");
                    }
                    return values;
                }
                i += 4 + dataLength;
            }
            return null;
        }

        private void add(long localHeader, int nameLength, long compressedSize) {
            if (count == offsets.length) {
                int grown = count * 2;
                offsets = Arrays.copyOf(offsets, grown);
                ends = Arrays.copyOf(ends, grown);
            }
            offsets[count] = localHeader;
            // the local header's fixed part and the name, then the data: a lower bound of where the member ends (a
            // Zip64 size past the archive's end, capped there, cannot wrap around)
            ends[count] = localHeader + LOCAL_FIXED_BYTES + nameLength + Math.min(compressedSize, bytes.length());
            count++;
        }

        private ZipCentralDirectory finish() throws IOException {
            BitSet overlapping = overlapping();
            String first = null;
            int firstIndex = overlapping.nextSetBit(0);
            if (firstIndex >= 0) {
                first = nameOf(firstIndex);
            }
            return new ZipCentralDirectory(
                    bytes, centralStart, Collections.unmodifiableList(wanted), poms, overlapping, first);
        }

        /**
         * The members whose local header and data share bytes with another's. A genuine archive stores each member
         * once; a directory pointing many entries at one member makes every read of them inflate it again.
         */
        private BitSet overlapping() {
            BitSet overlapping = new BitSet(count);
            int[] order = null;
            for (int i = 1; i < count; i++) {
                if (offsets[i] < offsets[i - 1]) {
                    order = byOffset();
                    break;
                }
            }
            int furthest = -1;
            long furthestEnd = -1;
            for (int k = 0; k < count; k++) {
                int i = order == null ? k : order[k];
                if (offsets[i] < furthestEnd) {
                    overlapping.set(i);
                    overlapping.set(furthest);
                }
                if (ends[i] > furthestEnd) {
                    furthestEnd = ends[i];
                    furthest = i;
                }
            }
            return overlapping;
        }

        /** The name of {@code length} bytes at {@code at}. */
        private String nameAt(long at, int length, boolean msDos) throws IOException {
            byte[] name = new byte[length];
            bytes.read(at, name);
            return name(name, 0, length, msDos);
        }

        /**
         * The members' indexes by local header offset, ties in the directory's order: each offset and index packed
         * in one long (offsets lie within the archive, whose length leaves room for the index) and sorted as such.
         */
        private int[] byOffset() {
            int indexBits = 64 - Long.numberOfLeadingZeros(count);
            if (bytes.length() >= 1L << (63 - indexBits)) {
                return IntStream.range(0, count)
                        .boxed()
                        .sorted((a, b) -> Long.compare(offsets[a], offsets[b]))
                        .mapToInt(Integer::intValue)
                        .toArray();
            }
            long[] keys = new long[count];
            for (int i = 0; i < count; i++) {
                keys[i] = offsets[i] << indexBits | i;
            }
            Arrays.sort(keys);
            int[] order = new int[count];
            long mask = (1L << indexBits) - 1;
            for (int i = 0; i < count; i++) {
                order[i] = (int) (keys[i] & mask);
            }
            return order;
        }

        /**
         * The name of the {@code index}-th record, walking the directory again: asked only of an archive with
         * members that overlap, so that no record's place is kept for every member.
         */
        private String nameOf(int index) throws IOException {
            long record = centralStart;
            byte[] fixed = new byte[CENTRAL_FIXED_BYTES];
            for (int i = 0; ; i++) {
                bytes.read(record, fixed);
                int nameLength = u16(fixed, 28);
                if (i == index) {
                    return nameAt(record + CENTRAL_FIXED_BYTES, nameLength, (u16(fixed, 4) >>> 8 & 0x0F) == 0);
                }
                record += CENTRAL_FIXED_BYTES + nameLength + u16(fixed, 30) + u16(fixed, 32);
            }
        }

        /** Makes {@code window} hold {@code [position, position + n)}; n is at most 64 KiB. */
        private void fill(int n) throws IOException {
            if (position < windowStart || position + n > windowStart + windowLength) {
                if (position > bytes.length() - n) {
                    throw new EOFException("the central directory is cut short");
                }
                windowStart = position;
                windowLength = (int) Math.min(window.length, bytes.length() - position);
                if (windowLength < n) {
                    throw new EOFException("the central directory is cut short");
                }
                bytes.read(windowStart, window, windowLength);
            }
        }

        private void skip(int n) throws IOException {
            if (position > bytes.length() - n) {
                throw new EOFException("the central directory is cut short");
            }
            position += n;
        }

        private int intAt(int relative) {
            int at = (int) (position - windowStart) + relative;
            return (window[at] & 0xFF)
                    | (window[at + 1] & 0xFF) << 8
                    | (window[at + 2] & 0xFF) << 16
                    | (window[at + 3] & 0xFF) << 24;
        }

        private int shortAt(int relative) {
            int at = (int) (position - windowStart) + relative;
            return (window[at] & 0xFF) | (window[at + 1] & 0xFF) << 8;
        }

        private int u16(int absolute) {
            return u16(window, absolute);
        }

        private static int u16(byte[] bytes, int at) {
            return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
        }

        private long longAt(int absolute) {
            long value = 0;
            for (int i = 7; i >= 0; i--) {
                value = value << 8 | (window[absolute + i] & 0xFF);
            }
            return value;
        }
    }

    /**
     * Whether a name of these bytes may be one {@link #isWanted} or {@link #isPom} accepts, without decoding it:
     * those end in {@code s}, {@code l}, {@code F} or an archive extension's last letter, and a name with a byte
     * outside ASCII (which may lower-case to ASCII) or a line break at its end goes to the exact test.
     */
    static boolean mayBeWanted(byte[] name, int at, int length) {
        if (length == 0) {
            return false;
        }
        byte last = name[at + length - 1];
        switch (last) {
            case 's', 'l', 'F', 'r', 'R', 'i', 'I', '\n', '\r':
                return true;
            default:
                for (int i = at; i < at + length; i++) {
                    if (name[i] < 0) {
                        return true;
                    }
                }
                return false;
        }
    }

    /**
     * The name as Commons Compress gives it: decoded, and for an archive made on MS-DOS (or by a Windows tool that
     * says so) with no {@code /} in it, its backslashes turned into slashes.
     */
    static String name(byte[] bytes, int at, int length, boolean msDos) {
        String name = decode(bytes, at, length);
        return msDos && name.indexOf('/') < 0 ? name.replace('\\', '/') : name;
    }

    /** The name as Commons Compress decodes it: UTF-8, each malformed sequence replaced by {@code ?}. */
    static String decode(byte[] name, int at, int length) {
        boolean ascii = true;
        for (int i = at; i < at + length; i++) {
            if (name[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(name, at, length, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer decoded = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .replaceWith("?")
                    .decode(ByteBuffer.wrap(name, at, length));
            return decoded.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not throw", e);
        }
    }
}
