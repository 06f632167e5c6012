package dev.palisade.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.palisade.catalog.apk.ApkInstalledCataloger;
import dev.palisade.catalog.dpkg.DpkgStatusCataloger;
import dev.palisade.catalog.golang.GoBinaryCataloger;
import dev.palisade.catalog.golang.GoBuildInfo;
import dev.palisade.catalog.rpm.RpmDbCataloger;
import dev.palisade.catalog.rpm.RpmHeaderParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
