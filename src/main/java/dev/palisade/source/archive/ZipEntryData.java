package dev.palisade.source.archive;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/** Which zip members Palisade reads the data of. */
public final class ZipEntryData {
    private ZipEntryData() {}

    /**
     * Commons Compress's own answer (no encryption, a method it knows), less XZ and LZMA: Commons Compress leaves
     * those to the XZ library, which Palisade does not ship (its LZMA decoder would allocate a dictionary as large as
     * the member's header claims, up to 4 GiB). Neither the JVM nor a function runtime reads such members either.
     */
    public static boolean readable(ZipFile zip, ZipArchiveEntry entry) {
        int method = entry.getMethod();
        return method != ZipMethod.XZ.getCode() && method != ZipMethod.LZMA.getCode() && zip.canReadEntryData(entry);
    }
}
