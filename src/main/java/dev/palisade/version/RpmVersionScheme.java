package dev.palisade.version;

/**
 * RPM's ordering: {@code [epoch:]version[-release]} with each part compared by {@code rpmvercmp}
 * (rpmio/rpmvercmp.c): alphanumeric segments, numbers numerically and above letters, {@code ~} before
 * everything, {@code ^} after the end but before anything else. A missing epoch is 0; a missing
 * release matches any release, as rpm does when a dependency names none.
 */
public final class RpmVersionScheme implements VersionScheme {
    /** The epoch is kept as text: rpm compares epochs with rpmvercmp too, so they have no size limit. */
    record Evr(String epoch, String version, String release) {}

    @Override
    public String id() {
        return "rpm";
    }

    @Override
    public int compare(String left, String right) throws InvalidVersionException {
        Evr a = parse(left);
        Evr b = parse(right);
        int epoch = rpmvercmp(a.epoch, b.epoch);
        if (epoch != 0) {
            return epoch;
        }
        int version = rpmvercmp(a.version, b.version);
        if (version != 0 || a.release.isEmpty() || b.release.isEmpty()) {
            return version;
        }
        return rpmvercmp(a.release, b.release);
    }

    @Override
    public void validate(String version) throws InvalidVersionException {
        parse(version);
    }

    /**
     * rpm's {@code rpmverParse}: an epoch only when the version starts with digits and a colon (so
     * {@code a:1} is a version with a colon in it), the release after the last hyphen.
     */
    Evr parse(String raw) throws InvalidVersionException {
        String s = raw.strip();
        if (s.isEmpty()) {
            throw new InvalidVersionException(id(), raw, "empty");
        }
        String epoch = "0";
        int digits = 0;
        while (digits < s.length() && VersionChars.isDigit(s.charAt(digits))) {
            digits++;
        }
        if (digits < s.length() && s.charAt(digits) == ':') {
            epoch = digits == 0 ? "0" : s.substring(0, digits);
            s = s.substring(digits + 1);
        }
        int hyphen = s.lastIndexOf('-');
        String version = hyphen >= 0 ? s.substring(0, hyphen) : s;
        String release = hyphen >= 0 ? s.substring(hyphen + 1) : "";
        if (version.isEmpty()) {
            throw new InvalidVersionException(id(), raw, "empty version");
        }
        return new Evr(epoch, version, release);
    }

    /** rpmvercmp: -1, 0 or 1. */
    public static int rpmvercmp(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int one = 0;
        int two = 0;
        int la = a.length();
        int lb = b.length();
        while (one < la || two < lb) {
            while (one < la && !VersionChars.isAlnum(a.charAt(one)) && a.charAt(one) != '~' && a.charAt(one) != '^') {
                one++;
            }
            while (two < lb && !VersionChars.isAlnum(b.charAt(two)) && b.charAt(two) != '~' && b.charAt(two) != '^') {
                two++;
            }
            if ((one < la && a.charAt(one) == '~') || (two < lb && b.charAt(two) == '~')) {
                if (one >= la || a.charAt(one) != '~') {
                    return 1;
                }
                if (two >= lb || b.charAt(two) != '~') {
                    return -1;
                }
                one++;
                two++;
                continue;
            }
            if ((one < la && a.charAt(one) == '^') || (two < lb && b.charAt(two) == '^')) {
                if (one >= la) {
                    return -1;
                }
                if (two >= lb) {
                    return 1;
                }
                if (a.charAt(one) != '^') {
                    return 1;
                }
                if (b.charAt(two) != '^') {
                    return -1;
                }
                one++;
                two++;
                continue;
            }
            if (!(one < la && two < lb)) {
                break;
            }
            int start1 = one;
            int start2 = two;
            boolean numeric = VersionChars.isDigit(a.charAt(one));
            if (numeric) {
                while (one < la && VersionChars.isDigit(a.charAt(one))) {
                    one++;
                }
                while (two < lb && VersionChars.isDigit(b.charAt(two))) {
                    two++;
                }
            } else {
                while (one < la && VersionChars.isAlpha(a.charAt(one))) {
                    one++;
                }
                while (two < lb && VersionChars.isAlpha(b.charAt(two))) {
                    two++;
                }
            }
            String seg1 = a.substring(start1, one);
            String seg2 = b.substring(start2, two);
            if (seg2.isEmpty()) {
                return numeric ? 1 : -1;
            }
            if (numeric) {
                seg1 = stripZeros(seg1);
                seg2 = stripZeros(seg2);
                if (seg1.length() != seg2.length()) {
                    return seg1.length() > seg2.length() ? 1 : -1;
                }
            }
            int rc = seg1.compareTo(seg2);
            if (rc != 0) {
                return rc < 0 ? -1 : 1;
            }
        }
        if (one >= la && two >= lb) {
            return 0;
        }
        return one >= la ? -1 : 1;
    }

    private static String stripZeros(String s) {
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }
}
