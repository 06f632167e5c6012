package dev.palisade.catalog.golang;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds the build information the Go linker embeds in executables (the {@code .go.buildinfo}
 * section) by scanning the file as it streams, without loading it whole and without running it.
 * The header is the 14-byte magic {@code \xff Go buildinf:} at a 16-byte aligned offset, then the
 * pointer size and a flags byte; since Go 1.18 (flag 0x2) the Go version and the module information
 * follow inline as length-prefixed strings.
 */
public final class GoBuildInfo {
    static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
    private static final int HEADER = 32;
    private static final int WINDOW = 128 * 1024;
    private static final int MAX_STRING = 1 << 20;
    private static final int FLAG_INLINE = 0x2;

    private GoBuildInfo() {}

    /** What the header holds: the toolchain version and the raw module information text. */
    public record Raw(String goVersion, String modInfo) {}

    /** Thrown for a Go binary whose build information uses the pointer format of Go 1.17 and older. */
    public static final class UnsupportedFormatException extends IOException {
        UnsupportedFormatException(String message) {
            super(message);
        }
    }

    public static boolean isElf(byte[] head) {
        return head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
    }

    /** Scans {@code in} (positioned at offset 0) for the build information; empty when there is none. */
    public static Optional<Raw> read(InputStream in) throws IOException {
        byte[] window = new byte[WINDOW + 32];
        long base = 0; // file offset of window[0]
        int filled = in.readNBytes(window, 0, WINDOW);
        while (filled >= MAGIC.length) {
            int p = (int) ((16 - (base % 16)) % 16);
            for (; p + MAGIC.length <= filled; p += 16) {
                if (matches(window, p)) {
                    int have = filled - p;
                    byte[] data = Arrays.copyOf(Arrays.copyOfRange(window, p, filled), HEADER + 2 * (MAX_STRING + 10));
                    have += in.readNBytes(data, have, data.length - have);
                    return Optional.of(parse(Arrays.copyOf(data, have)));
                }
            }
            // keep the tail from the next aligned offset, so a magic straddling two reads is still seen
            int keepFrom = Math.min(p, filled);
            int keep = filled - keepFrom;
            System.arraycopy(window, keepFrom, window, 0, keep);
            base += keepFrom;
            int read = in.readNBytes(window, keep, WINDOW);
            if (read == 0) {
                return Optional.empty();
            }
            filled = keep + read;
        }
        return Optional.empty();
    }

    private static boolean matches(byte[] window, int at) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (window[at + i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static Raw parse(byte[] data) throws IOException {
        if (data.length < HEADER) {
            throw new IOException("Go build information header is truncated");
        }
        int flags = data[15] & 0xff;
        if ((flags & FLAG_INLINE) == 0) {
            throw new UnsupportedFormatException(
                    "Go build information in the pointer format of Go 1.17 and older is not read yet");
        }
        int[] position = {HEADER};
        String version = new String(bytes(data, position), StandardCharsets.UTF_8);
        byte[] modInfo = bytes(data, position);
        if (modInfo.length >= 33 && modInfo[modInfo.length - 17] == '\n') {
            modInfo = Arrays.copyOfRange(modInfo, 16, modInfo.length - 16); // strip the 16-byte sentinels
        }
        return new Raw(version, new String(modInfo, StandardCharsets.UTF_8));
    }

    private static byte[] bytes(byte[] data, int[] position) throws IOException {
        long length = 0;
        int shift = 0;
        while (true) {
            if (position[0] >= data.length || shift > 35) {
                throw new IOException("Go build information: malformed length");
            }
            int b = data[position[0]++] & 0xff;
            length |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        if (length > MAX_STRING || position[0] + length > data.length) {
            throw new IOException("Go build information: a string of " + length + " bytes runs past the data");
        }
        byte[] s = Arrays.copyOfRange(data, position[0], position[0] + (int) length);
        position[0] += (int) length;
        return s;
    }
}
