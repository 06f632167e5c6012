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

    /**
     * PHP's version_compare(): -1, 0 or 1. When one side runs out, a number left on the other side
     * makes it the greater; anything else is compared, with the rest of that side, against "#N#",
     * which ranks as a number.
     */
    static int versionCompare(String a, String b) {
        List<String> pa = canonical(a);
        List<String> pb = canonical(b);
        int i = 0;
        int j = 0;
        while (true) {
            if (i < pa.size() && j < pb.size()) {
                int c = comparePart(pa.get(i++), pb.get(j++));
                if (c != 0) {
                    return c;
                }
            } else if (i >= pa.size() && j >= pb.size()) {
                return 0;
            } else if (i < pa.size()) {
                if (isNumber(pa.get(i))) {
                    return 1;
                }
                pb = NUMBER_PLACEHOLDER;
                j = 0;
            } else {
                if (isNumber(pb.get(j))) {
                    return -1;
                }
                pa = NUMBER_PLACEHOLDER;
                i = 0;
            }
        }
    }

    private static final List<String> NUMBER_PLACEHOLDER = List.of("#");

    private static int comparePart(String x, String y) {
        boolean xn = isNumber(x);
        boolean yn = isNumber(y);
        if (xn && yn) {
            return VersionChars.compareDigits(x, y);
        }
        return Integer.signum(Integer.compare(order(xn ? "#" : x), order(yn ? "#" : y)));
    }

    /**
     * PHP's special forms, matched as prefixes in the order {@code dev alpha a beta b RC rc # pl p},
     * case-sensitively: since {@code a}, {@code b} and {@code p} are forms of their own, the first character
     * decides all but {@code dev}, {@code RC} and {@code rc}. -1 for any other word.
     */
    private static int order(String word) {
        if (word.isEmpty()) {
            return -1;
        }
        char second = word.length() > 1 ? word.charAt(1) : 0;
        switch (word.charAt(0)) {
            case 'd':
                return second == 'e' && word.length() > 2 && word.charAt(2) == 'v' ? 0 : -1;
            case 'a':
                return 1;
            case 'b':
                return 2;
            case 'R':
                return second == 'C' ? 3 : -1;
            case 'r':
                return second == 'c' ? 3 : -1;
            case '#':
                return 4;
            case 'p':
                return 5;
            default:
                return -1;
        }
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
