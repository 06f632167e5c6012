package dev.palisade.version;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Semantic Versioning 2.0.0 precedence (semver.org section 11), as npm, crates.io and OSV's
 * {@code SEMVER} ranges use it: major.minor.patch numerically, a pre-release below its release,
 * pre-release identifiers numeric-before-alphanumeric, build metadata ignored. A leading {@code v} or
 * {@code =} is accepted, as node-semver does. Numbers of any length compare by value; a shortened
 * {@code 1} or {@code 1.2} reads as {@code 1.0.0} or {@code 1.2.0}, as osv-scanner reads OSV ranges.
 *
 * <p>The Go flavour also reads Go toolchain versions ({@code 1.21}, {@code 1.21rc2}) the way the Go
 * vulnerability database writes them ({@code 1.21.0}, {@code 1.21.0-rc.2}); {@code +incompatible} is
 * build metadata and ignored.
 */
public final class SemverVersionScheme implements VersionScheme {
    private static final Pattern SEMVER = Pattern.compile(
            "^[v=]?\\s*(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*+))?(?:\\+[0-9A-Za-z-.]+)?$");
    /**
     * OSV advisories for npm and crates.io sometimes hold a shortened version ({@code "fixed": "1"});
     * osv-scanner reads the missing components as 0, and so does this scheme.
     */
    private static final Pattern SHORTENED = Pattern.compile(
            "^[v=]?\\s*(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*))?(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*+))?(?:\\+[0-9A-Za-z-.]+)?$");

    private static final Pattern GO_TOOLCHAIN =
            Pattern.compile("^(?:go)?(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:(rc|beta)(\\d+))?$");
    /** golang.org/x/mod/semver's shorthands: v1 is v1.0.0, v1.2 is v1.2.0 (no pre-release or build allowed). */
    private static final Pattern GO_SHORTHAND = Pattern.compile("^v(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*))?$");

    private final String id;
    private final boolean go;

    private SemverVersionScheme(String id, boolean go) {
        this.id = id;
        this.go = go;
    }

    public static SemverVersionScheme semver() {
        return new SemverVersionScheme("semver", false);
    }

    public static SemverVersionScheme go() {
        return new SemverVersionScheme("go", true);
    }

    /** The numeric components are runs of ASCII digits of any length, compared by value. */
    record Parsed(String major, String minor, String patch, List<String> pre) {}

    @Override
    public String id() {
        return id;
    }

    @Override
    public void validate(String version) throws InvalidVersionException {
        parse(version);
    }

    @Override
    public int compare(String left, String right) throws InvalidVersionException {
        Parsed a = parse(left);
        Parsed b = parse(right);
        int c = VersionChars.compareDigits(a.major, b.major);
        if (c == 0) {
            c = VersionChars.compareDigits(a.minor, b.minor);
        }
        if (c == 0) {
            c = VersionChars.compareDigits(a.patch, b.patch);
        }
        if (c != 0) {
            return Integer.signum(c);
        }
        if (a.pre.isEmpty() || b.pre.isEmpty()) {
            return a.pre.isEmpty() == b.pre.isEmpty() ? 0 : (a.pre.isEmpty() ? 1 : -1);
        }
        for (int i = 0; i < Math.min(a.pre.size(), b.pre.size()); i++) {
            int r = compareIdentifier(a.pre.get(i), b.pre.get(i));
            if (r != 0) {
                return r;
            }
        }
        return Integer.signum(Integer.compare(a.pre.size(), b.pre.size()));
    }

    Parsed parse(String raw) throws InvalidVersionException {
        String s = raw.strip();
        if (go) {
            Matcher shorthand = GO_SHORTHAND.matcher(s);
            if (shorthand.matches()) {
                return new Parsed(shorthand.group(1), orZero(shorthand.group(2)), "0", List.of());
            }
            Matcher toolchain = GO_TOOLCHAIN.matcher(s);
            if (toolchain.matches()) {
                List<String> pre =
                        toolchain.group(4) == null ? List.of() : List.of(toolchain.group(4), toolchain.group(5));
                return new Parsed(toolchain.group(1), toolchain.group(2), orZero(toolchain.group(3)), pre);
            }
        }
        Matcher m = SEMVER.matcher(s);
        if (m.matches()) {
            return new Parsed(m.group(1), m.group(2), m.group(3), preRelease(raw, m.group(4)));
        }
        // Go: only without the v, since golang.org/x/mod's rules for v-prefixed module versions stand
        if (!go || !s.startsWith("v")) {
            Matcher shortened = SHORTENED.matcher(s);
            if (shortened.matches()) {
                return new Parsed(
                        shortened.group(1), orZero(shortened.group(2)), "0", preRelease(raw, shortened.group(3)));
            }
        }
        throw new InvalidVersionException(id, raw, "not MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]");
    }

    private List<String> preRelease(String raw, @Nullable String text) throws InvalidVersionException {
        if (text == null) {
            return List.of();
        }
        List<String> pre = new ArrayList<>();
        for (String identifier : text.split("\\.")) {
            if (identifier.length() > 1 && identifier.charAt(0) == '0' && VersionChars.isDigits(identifier)) {
                throw new InvalidVersionException(id, raw, "numeric pre-release identifier with a leading zero");
            }
            pre.add(identifier);
        }
        return pre;
    }

    private static String orZero(@Nullable String digits) {
        return digits == null ? "0" : digits;
    }

    private static int compareIdentifier(String a, String b) {
        boolean an = VersionChars.isDigits(a);
        boolean bn = VersionChars.isDigits(b);
        if (an && bn) {
            return VersionChars.compareDigits(a, b);
        }
        if (an != bn) {
            return an ? -1 : 1;
        }
        return Integer.signum(a.compareTo(b));
    }
}
