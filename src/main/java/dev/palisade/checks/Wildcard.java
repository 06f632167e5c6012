package dev.palisade.checks;

import java.util.regex.Pattern;

/**
 * A pattern of {@code *} (any run of characters, none included) and {@code ?} (exactly one character), everything
 * else literal: sshd's {@code Include} file names, sysctl's keys and IAM's action names. The patterns come from the
 * scanned files, so matching takes time at most quadratic in the lengths of pattern and text; a regular expression
 * built from the pattern backtracks exponentially on a run of stars that does not match ({@code ***…*x}).
 */
public final class Wildcard {
    private final String source;
    private final boolean ignoreCase;
    private final String separator; // empty: none
    private final int[][] parts; // the pattern's code points, between separators

    private Wildcard(String pattern, boolean ignoreCase, String separator) {
        this.source = pattern;
        this.ignoreCase = ignoreCase;
        this.separator = separator;
        this.parts = codePoints(split(pattern));
    }

    /** A pattern whose literal characters must match exactly. */
    public static Wildcard of(String pattern) {
        return new Wildcard(pattern, false, "");
    }

    /** A pattern whose ASCII letters match either case (IAM action names). */
    public static Wildcard ignoringCase(String pattern) {
        return new Wildcard(pattern, true, "");
    }

    /**
     * A pattern whose {@code *} and {@code ?} never match {@code separator}, as a glob's never match a slash: the
     * separators of pattern and text line up (sysctl's {@code net.ipv4.conf.*.rp_filter}).
     */
    public static Wildcard withSeparator(String pattern, char separator) {
        return new Wildcard(pattern, false, String.valueOf(separator));
    }

    /** Whether the whole text matches. */
    public boolean matches(String text) {
        int[][] textParts = codePoints(split(text));
        if (textParts.length != parts.length) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            if (!matches(parts[i], textParts[i])) {
                return false;
            }
        }
        return true;
    }

    private String[] split(String text) {
        return separator.isEmpty() ? new String[] {text} : text.split(Pattern.quote(separator), -1);
    }

    private static int[][] codePoints(String[] texts) {
        int[][] out = new int[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            out[i] = texts[i].codePoints().toArray();
        }
        return out;
    }

    /**
     * The classic greedy match: a star first takes nothing; on a mismatch the last star seen takes one more
     * character and the rest of the pattern is tried again from there. Going back to an earlier star never helps,
     * since the last one can already absorb whatever the earlier one would.
     */
    private boolean matches(int[] pattern, int[] text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length) {
            if (p < pattern.length && pattern[p] != '*' && (pattern[p] == '?' || same(pattern[p], text[t]))) {
                p++;
                t++;
            } else if (p < pattern.length && pattern[p] == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length && pattern[p] == '*') {
            p++;
        }
        return p == pattern.length;
    }

    /**
     * ASCII letters only fold, as IAM compares action names: a Kelvin sign or a long s in a template's action is not
     * a k or an s to AWS, and must not make a grant match an action it does not allow.
     */
    private boolean same(int a, int b) {
        return a == b || ignoreCase && asciiLower(a) == asciiLower(b);
    }

    private static int asciiLower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    @Override
    public String toString() {
        return source;
    }
}
