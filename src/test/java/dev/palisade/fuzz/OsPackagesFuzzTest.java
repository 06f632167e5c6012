package dev.palisade.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.palisade.catalog.apk.ApkInstalledCataloger;
import dev.palisade.catalog.dpkg.DpkgCopyrightCataloger;
import dev.palisade.catalog.dpkg.DpkgStatusCataloger;
import dev.palisade.catalog.golang.GoBinaryCataloger;
import dev.palisade.catalog.golang.GoBuildInfo;
import dev.palisade.catalog.os.OsReleaseParser;
import dev.palisade.catalog.rpm.RpmDbCataloger;
import dev.palisade.catalog.rpm.RpmHeaderParser;
import dev.palisade.inventory.Location;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Timeout;

/** The package databases an operating system keeps, and the build information inside Go executables. */
@Timeout(10)
class OsPackagesFuzzTest {

    @FuzzTest
    void dpkgStatus(byte[] input) {
        Fuzzing.catalog(new DpkgStatusCataloger(), DpkgStatusCataloger.STATUS, input);
    }

    @FuzzTest
    void apkInstalled(byte[] input) {
        Fuzzing.catalog(new ApkInstalledCataloger(), ApkInstalledCataloger.PATH, input);
    }

    /** One header blob of the rpmdb's Packages table. */
    @FuzzTest
    void rpmHeader(byte[] input) {
        try {
            RpmHeaderParser.parse(input);
        } catch (IOException expected) {
            // a malformed header is reported and skipped
        }
    }

    /** A whole rpmdb.sqlite file, opened with SQLite (slow per input: it goes through a temporary file). */
    @FuzzTest
    void rpmSqlite(byte[] input) {
        Fuzzing.catalog(new RpmDbCataloger(), "var/lib/rpm/rpmdb.sqlite", input);
    }

    /**
     * A Berkeley DB hash {@code Packages} file (RHEL 7 and older), read page by page. From memory: the
     * cataloger's copy to a temporary file would cost more than the read.
     */
    @FuzzTest
    void rpmBerkeleyDb(byte[] input) {
        readBlobs("var/lib/rpm/Packages", input);
    }

    /** An NDB {@code Packages.db} (SUSE), read slot by slot; from memory, as {@link #rpmBerkeleyDb}. */
    @FuzzTest
    void rpmNdb(byte[] input) {
        readBlobs("usr/lib/sysimage/rpm/Packages.db", input);
    }

    private static void readBlobs(String path, byte[] input) {
        try {
            Fuzzing.assertNamed(
                    RpmDbCataloger.readBlobs(new SeekableInMemoryByteChannel(input), path, Fuzzing.context()));
        } catch (IOException expected) {
            // not a database of that format at all
        }
    }

    /** A package's {@code copyright} file, machine-readable (DEP-5) or free-form, for its licenses. */
    @FuzzTest
    void dpkgCopyright(byte[] input) {
        Fuzzing.catalog(new DpkgCopyrightCataloger(), "usr/share/doc/zlib1g/copyright", input);
    }

    /** {@code os-release}: the distribution, and so which advisories apply to every OS package. */
    @FuzzTest
    void osRelease(byte[] input) {
        OsReleaseParser.parse(Fuzzing.utf8(input), Location.of(OsReleaseParser.ETC_PATH));
    }

    @FuzzTest
    void goBuildInfo(byte[] input) {
        try {
            GoBuildInfo.read(new ByteArrayInputStream(input));
        } catch (IOException expected) {
            // not a Go executable, or build information Palisade cannot read
        }
        Fuzzing.catalog(new GoBinaryCataloger(), "usr/local/bin/app", input);
    }
}
