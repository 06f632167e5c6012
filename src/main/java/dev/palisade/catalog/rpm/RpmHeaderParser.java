package dev.palisade.catalog.rpm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the tags Palisade needs from an RPM header blob as rpmdb stores it: a big-endian index
 * count and data length, then 16-byte index entries (tag, type, offset, count) into a data store.
 * Every offset and count is checked against the blob before it is used.
 */
public final class RpmHeaderParser {
    static final int TAG_NAME = 1000;
    static final int TAG_VERSION = 1001;
    static final int TAG_RELEASE = 1002;
    static final int TAG_EPOCH = 1003;
    static final int TAG_ARCH = 1022;
    static final int TAG_SOURCERPM = 1044;
    static final int TAG_VENDOR = 1011;
    static final int TAG_LICENSE = 1014;
    static final int TAG_MODULARITYLABEL = 5096;

    private static final int TYPE_INT32 = 4;
    private static final int TYPE_STRING = 6;
    private static final int TYPE_STRING_ARRAY = 8;
    private static final int TYPE_I18NSTRING = 9;
    private static final int MAX_INDEX_ENTRIES = 100_000;

    private RpmHeaderParser() {}

    /** The header's string and int32 tags that Palisade reads. */
    public record Header(Map<Integer, String> strings, Map<Integer, Integer> ints) {
        public String string(int tag) {
            return strings.getOrDefault(tag, "");
        }

        public Optional<Integer> integer(int tag) {
            return Optional.ofNullable(ints.get(tag));
        }
    }

    public static Header parse(byte[] blob) throws IOException {
        if (blob.length < 8) {
            throw new IOException("header blob of " + blob.length + " bytes is too short");
        }
        ByteBuffer buffer = ByteBuffer.wrap(blob).order(ByteOrder.BIG_ENDIAN);
        int indexCount = buffer.getInt(0);
        int dataLength = buffer.getInt(4);
        if (indexCount <= 0 || indexCount > MAX_INDEX_ENTRIES || dataLength < 0) {
            throw new IOException(
                    "implausible header: " + indexCount + " index entries, " + dataLength + " data bytes");
        }
        long dataStart = 8L + 16L * indexCount;
        if (dataStart + dataLength > blob.length) {
            throw new IOException(
                    "header claims " + (dataStart + dataLength) + " bytes but the blob has " + blob.length);
        }
        Map<Integer, String> strings = new HashMap<>();
        Map<Integer, Integer> ints = new HashMap<>();
        for (int i = 0; i < indexCount; i++) {
            int at = 8 + 16 * i;
            int tag = buffer.getInt(at);
            int type = buffer.getInt(at + 4);
            int offset = buffer.getInt(at + 8);
            int count = buffer.getInt(at + 12);
            if (!isWanted(tag)) {
                continue;
            }
            if (offset < 0 || offset >= dataLength || count <= 0) {
                throw new IOException("tag " + tag + " points outside the data store");
            }
            int position = (int) dataStart + offset;
            if (type == TYPE_INT32) {
                if (position + 4 > dataStart + dataLength) {
                    throw new IOException("tag " + tag + " runs past the data store");
                }
                ints.put(tag, buffer.getInt(position));
            } else if (type == TYPE_STRING || type == TYPE_I18NSTRING || type == TYPE_STRING_ARRAY) {
                int end = position;
                int limit = (int) (dataStart + dataLength);
                while (end < limit && blob[end] != 0) {
                    end++;
                }
                if (end >= limit) {
                    throw new IOException("tag " + tag + " is not NUL-terminated inside the data store");
                }
                strings.put(tag, new String(blob, position, end - position, StandardCharsets.UTF_8));
            }
        }
        return new Header(strings, ints);
    }

    private static boolean isWanted(int tag) {
        return tag == TAG_NAME
                || tag == TAG_VERSION
                || tag == TAG_RELEASE
                || tag == TAG_EPOCH
                || tag == TAG_ARCH
                || tag == TAG_SOURCERPM
                || tag == TAG_VENDOR
                || tag == TAG_LICENSE
                || tag == TAG_MODULARITYLABEL;
    }
}
