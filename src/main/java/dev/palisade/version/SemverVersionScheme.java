package dev.palisade.version;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Semantic Versioning 2.0.0 precedence (semver.org section 11), as npm, crates.io and OSV's
 * {@code SEMVER} ranges use it: major.minor.patch numerically, a pre-release below its release,
 * pre-release identifiers numeric-before-alphanumeric, build metadata ignored. A leading {@code v} or
 * {@code =} is accepted, as node-semver does.
 *
 * <p>The Go flavour also reads Go toolchain versions ({@code 1.21}, {@code 1.21rc2}) the way the Go
 * vulnerability database writes them ({@code 1.21.0}, {@code 1.21.0-rc.2}); {@code +incompatible} is
 * build metadata and ignored.
 */
public final class SemverVersionScheme implements VersionScheme {
    private static final Pattern SEMVER = Pattern.compile(
            "^[v=]?\\s*(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z-.]+)?$");
    private static final Pattern GO_TOOLCHAIN = Pattern.compile("^(?:go)?(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:(rc|beta)(\\d+))?$");
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

    record Parsed(long major, long minor, long patch, List<String> pre) {}

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
        int c = Long.compare(a.major, b.major);
        if (c == 0) {
            c = Long.compare(a.minor, b.minor);
        }
        if (c == 0) {
            c = Long.compare(a.patch, b.patch);
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
                return new Parsed(Long.parseLong(shorthand.group(1)),
                        shorthand.group(2) == null ? 0 : Long.parseLong(shorthand.group(2)), 0, List.of());
            }
            Matcher toolchain = GO_TOOLCHAIN.matcher(s);
            if (toolchain.matches()) {
                List<String> pre = toolchain.group(4) == null ? List.of() : List.of(toolchain.group(4), toolchain.group(5));
                return new Parsed(Long.parseLong(toolchain.group(1)), Long.parseLong(toolchain.group(2)),
                        toolchain.group(3) == null ? 0 : Long.parseLong(toolchain.group(3)), pre);
            }
        }
        Matcher m = SEMVER.matcher(s);
        if (!m.matches()) {
            throw new InvalidVersionException(id, raw, "not MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]");
        }
        List<String> pre = new ArrayList<>();
        if (m.group(4) != null) {
            for (String identifier : m.group(4).split("\\.")) {
                if (identifier.length() > 1 && identifier.charAt(0) == '0' && identifier.chars().allMatch(Character::isDigit)) {
                    throw new InvalidVersionException(id, raw, "numeric pre-release identifier with a leading zero");
                }
                pre.add(identifier);
            }
        }
        try {
            return new Parsed(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), pre);
        } catch (NumberFormatException e) {
            throw new InvalidVersionException(id, raw, "a number is too large");
        }
    }

    private static int compareIdentifier(String a, String b) {
        boolean an = a.chars().allMatch(Character::isDigit);
        boolean bn = b.chars().allMatch(Character::isDigit);
        if (an && bn) {
            if (a.length() != b.length()) {
                return a.length() < b.length() ? -1 : 1;
            }
            return Integer.signum(a.compareTo(b));
        }
        if (an != bn) {
            return an ? -1 : 1;
        }
        return Integer.signum(a.compareTo(b));
    }
}
