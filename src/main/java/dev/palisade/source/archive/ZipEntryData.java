package dev.palisade.source.archive;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/** Which zip members Palisade reads the data of. */
public final class ZipEntryData {
    private ZipEntryData() {}

    /**
     * Commons Compress's own answer (no encryption, a method it knows), less XZ and LZMA, and less zstd where
     * zstd-jni's native library does not load. Commons Compress leaves XZ and LZMA to the XZ library, which Palisade
     * does not ship (its LZMA decoder would allocate a dictionary as large as the member's header claims, up to
     * 4 GiB); neither the JVM nor a function runtime reads such members either.
     */
    public static boolean readable(ZipFile zip, ZipArchiveEntry entry) {
        int method = entry.getMethod();
        if (method == ZipMethod.XZ.getCode() || method == ZipMethod.LZMA.getCode()) {
            return false;
        }
        if ((method == ZipMethod.ZSTD.getCode() || method == ZipMethod.ZSTD_DEPRECATED.getCode())
                && !ZstdLibrary.LOADS) {
            return false;
        }
        return zip.canReadEntryData(entry);
    }

    /** Why {@link #readable} said no, for a problem's reason: "is encrypted" or "is compressed with method 95". */
    public static String whyUnreadable(ZipArchiveEntry entry) {
        return entry.getGeneralPurposeBit().usesEncryption()
                ? "is encrypted"
                : "is compressed with method " + entry.getMethod() + ", which Palisade does not read";
    }

    /** Whether zstd-jni's native library loads here: it has no build for some systems (musl, for one). */
    private static final class ZstdLibrary {
        static final boolean LOADS = loads();

        private static boolean loads() {
            try {
                com.github.luben.zstd.util.Native.load();
                return true;
            } catch (LinkageError e) {
                return false;
            }
        }
    }
}
