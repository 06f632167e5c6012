package dev.palisade.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.palisade.version.ApkVersionScheme;
import dev.palisade.version.ComposerVersionScheme;
import dev.palisade.version.DebianVersionScheme;
import dev.palisade.version.InvalidVersionException;
import dev.palisade.version.MavenVersionScheme;
import dev.palisade.version.NuGetVersionScheme;
import dev.palisade.version.Pep440VersionScheme;
import dev.palisade.version.RpmVersionScheme;
import dev.palisade.version.RubyGemsVersionScheme;
import dev.palisade.version.SemverVersionScheme;
import dev.palisade.version.VersionScheme;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Version strings come from package metadata inside the artifact and from advisories. Each input is
 * two versions, one per line. A scheme may only reject a version with {@link InvalidVersionException};
 * when it orders two versions, the order must be antisymmetric and a valid version equals itself.
 */
@Timeout(10)
class VersionSchemesFuzzTest {

    @FuzzTest
    void debian(byte[] input) {
        check(new DebianVersionScheme(), input);
    }

    @FuzzTest
    void rpm(byte[] input) {
        check(new RpmVersionScheme(), input);
    }

    @FuzzTest
    void apk(byte[] input) {
        check(new ApkVersionScheme(), input);
    }

    @FuzzTest
    void maven(byte[] input) {
        check(new MavenVersionScheme(), input);
    }

    @FuzzTest
    void semver(byte[] input) {
        check(SemverVersionScheme.semver(), input);
    }

    @FuzzTest
    void go(byte[] input) {
        check(SemverVersionScheme.go(), input);
    }

    @FuzzTest
    void pep440(byte[] input) {
        check(new Pep440VersionScheme(), input);
    }

    @FuzzTest
    void rubygems(byte[] input) {
        check(new RubyGemsVersionScheme(), input);
    }

    @FuzzTest
    void nuget(byte[] input) {
        check(new NuGetVersionScheme(), input);
    }

    @FuzzTest
    void composer(byte[] input) {
        check(new ComposerVersionScheme(), input);
    }

    private static void check(VersionScheme scheme, byte[] input) {
        String text = Fuzzing.utf8(input);
        int newline = text.indexOf('\n');
        String left = newline < 0 ? text : text.substring(0, newline);
        String right = newline < 0 ? text : text.substring(newline + 1);
        for (String version : List.of(left, right)) {
            if (scheme.isValid(version)) {
                int self = compareOrNull(scheme, version, version);
                if (self != 0) {
                    throw new AssertionError(scheme.id() + ": '" + version + "' does not equal itself (" + self + ")");
                }
            }
        }
        Integer forward = compareOrNullBoxed(scheme, left, right);
        Integer backward = compareOrNullBoxed(scheme, right, left);
        if (forward != null && backward != null && Integer.signum(forward) != -Integer.signum(backward)) {
            throw new AssertionError(scheme.id() + ": '" + left + "' vs '" + right + "' gives " + forward
                    + " one way and " + backward + " the other");
        }
    }

    private static int compareOrNull(VersionScheme scheme, String left, String right) {
        Integer result = compareOrNullBoxed(scheme, left, right);
        if (result == null) {
            throw new AssertionError(scheme.id() + ": '" + left + "' is valid but cannot be compared");
        }
        return result;
    }

    private static Integer compareOrNullBoxed(VersionScheme scheme, String left, String right) {
        try {
            return scheme.compare(left, right);
        } catch (InvalidVersionException expected) {
            return null;
        }
    }
}
