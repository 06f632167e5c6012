package dev.palisade.source.image;

import dev.palisade.source.FileKind;
import dev.palisade.source.LayerVisitor;
import dev.palisade.source.RawEntry;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The entries of one uncompressed layer tar, handed to a visitor in the order they are stored. The
 * caller owns the stream, its limits and its digests; this only walks the tar.
 */
public final class LayerTar {
    private static final int UNREAD_BUFFER = 64 * 1024;

    private LayerTar() {}

    /** Visits every entry of {@code tar}; what the visitor leaves of an entry's content is read past. */
    public static void entries(InputStream tar, LayerVisitor visitor) throws IOException {
        TarArchiveInputStream entries = new TarArchiveInputStream(tar);
        TarArchiveEntry entry;
        byte[] unread = new byte[UNREAD_BUFFER];
        while ((entry = entries.getNextEntry()) != null) {
            visitor.entry(toRaw(entry), entries);
            // what the visitor left of the entry, read here into one array: Commons Compress would read it
            // 8 KiB at a time into a new array each time
            while (entries.read(unread, 0, unread.length) > 0) {
                // skipped
            }
        }
    }

    private static RawEntry toRaw(TarArchiveEntry entry) {
        FileKind kind;
        if (entry.isDirectory()) {
            kind = FileKind.DIRECTORY;
        } else if (entry.isSymbolicLink()) {
            kind = FileKind.SYMLINK;
        } else if (entry.isLink()) {
            kind = FileKind.HARDLINK;
        } else if (entry.isFile()) {
            kind = FileKind.FILE;
        } else {
            kind = FileKind.OTHER;
        }
        String link = entry.isSymbolicLink() || entry.isLink() ? entry.getLinkName() : null;
        return new RawEntry(
                entry.getName(),
                kind,
                kind == FileKind.FILE ? entry.getSize() : 0,
                entry.getMode(),
                entry.getLongUserId(),
                entry.getLongGroupId(),
                link);
    }
}
