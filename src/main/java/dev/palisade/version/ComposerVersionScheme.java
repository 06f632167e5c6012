package dev.palisade.version;

import java.util.ArrayList;
import java.util.List;

/**
 * Composer's ordering: versions are normalised as Composer's {@code VersionParser} does (a leading
 * {@code v} dropped, stability words spelled out) and compared with PHP's {@code version_compare}, which
 * Composer's constraints use: parts split at {@code . - _ +} and at digit/letter changes, numbers
 * numerically, and the special words ordered {@code dev < alpha = a < beta = b < RC = rc < (number) < pl = p};
 * any other word sorts below {@code dev}.
 */
public final class ComposerVersionScheme implements VersionScheme {
    @Override
    public String id() {
        return "composer";
    }

    @Override
    public void validate(String version) throws InvalidVersionException {
        String s = normalize(version);
        if (s.isEmpty() || !VersionChars.isDigit(s.charAt(0))) {
            throw new InvalidVersionException(id(), version, "not a Composer version");
        }
    }

    @Override
    public int compare(String left, String right) throws InvalidVersionException {
        validate(left);
        validate(right);
        return versionCompare(normalize(left), normalize(right));
    }

    static String normalize(String version) {
        String s = version.strip();
        if (s.length() > 1 && (s.charAt(0) == 'v' || s.charAt(0) == 'V') && VersionChars.isDigit(s.charAt(1))) {
            s = s.substring(1);
        }
        return s;
    }

    /** PHP's version_compare(): -1, 0 or 1. */
    static int versionCompare(String a, String b) {
        List<String> pa = canonical(a);
        List<String> pb = canonical(b);
        int n = Math.max(pa.size(), pb.size());
        for (int i = 0; i < n; i++) {
            if (i >= pa.size()) {
                return -compareToMissing(pb.get(i));
            }
            if (i >= pb.size()) {
                return compareToMissing(pa.get(i));
            }
            int c = comparePart(pa.get(i), pb.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** PHP compares a part against a missing one as if the missing one were "#" (a number). */
    private static int compareToMissing(String part) {
        if (isNumber(part)) {
            return 1;
        }
        return Integer.signum(Integer.compare(order(part), order("#")));
    }

    private static int comparePart(String x, String y) {
        boolean xn = isNumber(x);
        boolean yn = isNumber(y);
        if (xn && yn) {
            return VersionChars.compareDigits(x, y);
        }
        return Integer.signum(Integer.compare(order(xn ? "#" : x), order(yn ? "#" : y)));
    }

    /** PHP's special forms, matched as prefixes in this order, case-sensitively. */
    private static final String[][] SPECIAL_FORMS = {
        {"dev", "0"}, {"alpha", "1"}, {"a", "1"}, {"beta", "2"}, {"b", "2"}, {"RC", "3"}, {"rc", "3"},
        {"#", "4"}, {"pl", "5"}, {"p", "5"}};

    private static int order(String word) {
        for (String[] form : SPECIAL_FORMS) {
            if (word.startsWith(form[0])) {
                return Integer.parseInt(form[1]);
            }
        }
        return -1;
    }

    private static boolean isNumber(String s) {
        return VersionChars.isDigits(s);
    }

    private static List<String> canonical(String version) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int kind = 0; // 0 none, 1 digit, 2 other
        for (char c : version.toCharArray()) {
            if (c == '.' || c == '-' || c == '_' || c == '+') {
                flush(parts, current);
                kind = 0;
                continue;
            }
            int k = VersionChars.isDigit(c) ? 1 : 2;
            if (kind != 0 && k != kind) {
                flush(parts, current);
            }
            current.append(c);
            kind = k;
        }
        flush(parts, current);
        return parts;
    }

    private static void flush(List<String> parts, StringBuilder current) {
        if (current.length() > 0) {
            parts.add(current.toString());
            current.setLength(0);
        }
    }
}
