package dev.palisade.registry;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Which tags of a repository to scan: a regular expression in RE2 syntax (Go's {@code regexp}) the whole tag must
 * match, written by whoever asked for the scan, a server's API client included. java.util.regex backtracks:
 * {@code (.*a){20}b} takes 5 s on a tag of 28 a's and grows with the twentieth power of its length, and
 * {@code (|)(|)…} doubles with each group without reading the tag at all. RE2 matches in time linear in the tag and
 * the compiled program; the program grows with counted repetitions ({@code (a{1000}){1000}} is a million
 * instructions, and RE2/J runs out of memory compiling three of them), so their size is estimated from the text
 * before compiling and a pattern over {@link #MAX_SIZE} is refused.
 */
public final class TagPattern {
    /** Instructions, about: ten thousand tags of 128 characters stay within seconds. */
    static final long MAX_SIZE = 2_000;

    private final Pattern regex;

    private TagPattern(Pattern regex) {
        this.regex = regex;
    }

    public static TagPattern everyTag() {
        return new TagPattern(Pattern.compile(".*"));
    }

    /** @throws IllegalArgumentException with a message for the user when it is no pattern, or too large a one */
    public static TagPattern compile(String regex) {
        long size = estimatedSize(regex);
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException("its counted repetitions make it too large (about " + size
                    + " steps per character, at most " + MAX_SIZE + ")");
        }
        try {
            return new TagPattern(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a regular expression (RE2 syntax): " + e.getDescription());
        } catch (RuntimeException | StackOverflowError e) {
            throw new IllegalArgumentException("not a regular expression RE2 can compile");
        }
    }

    public boolean matches(String tag) {
        return regex.matches(tag);
    }

    @Override
    public String toString() {
        return regex.pattern();
    }

    /**
     * An upper estimate of the compiled program's size: every literal, class or escape one, a group the sum of what
     * it holds, and a counted repetition {@code {n,m}} the repeated part's size times the larger bound. Saturates
     * instead of overflowing.
     */
    static long estimatedSize(String regex) {
        java.util.ArrayDeque<long[]> groups = new java.util.ArrayDeque<>(); // each: {total, last}
        long total = 0;
        long last = 0;
        int n = regex.length();
        for (int i = 0; i < n; i++) {
            char c = regex.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 < n && regex.charAt(i + 1) == 'Q') { // \Q...\E: each character a literal
                        int end = regex.indexOf("\\E", i + 2);
                        int stop = end < 0 ? n : end;
                        total = saturated(total + (stop - i - 2));
                        last = 1;
                        i = end < 0 ? n : end + 1;
                    } else {
                        i = skipEscape(regex, i);
                        total = saturated(total + 1);
                        last = 1;
                    }
                }
                case '[' -> {
                    i = skipClass(regex, i);
                    total = saturated(total + 1);
                    last = 1;
                }
                case '(' -> {
                    if (i + 1 < n && regex.charAt(i + 1) == '?') {
                        int colon = regex.indexOf(':', i);
                        int close = regex.indexOf(')', i);
                        if (close >= 0 && (colon < 0 || close < colon)) { // a flag group such as (?i)
                            i = close;
                            continue;
                        }
                    }
                    groups.push(new long[] {total, last});
                    total = 0;
                    last = 0;
                }
                case ')' -> {
                    long inside = saturated(total + 1);
                    long[] outer = groups.isEmpty() ? new long[] {0, 0} : groups.pop();
                    total = saturated(outer[0] + inside);
                    last = inside;
                }
                case '|' -> {
                    total = saturated(total + 1);
                    last = 0;
                }
                case '*', '+', '?' -> {
                    total = saturated(total + 1);
                }
                case '{' -> {
                    long times = repetitionBound(regex, i);
                    if (times < 0) { // a literal brace
                        total = saturated(total + 1);
                        last = 1;
                    } else {
                        long repeated = saturated(last * times);
                        total = saturated(total - last + repeated);
                        last = repeated;
                        i = regex.indexOf('}', i);
                    }
                }
                default -> {
                    total = saturated(total + 1);
                    last = 1;
                }
            }
        }
        while (!groups.isEmpty()) { // unbalanced: the compiler refuses it anyway
            total = saturated(groups.pop()[0] + total);
        }
        return total;
    }

    private static long saturated(long value) {
        return value < 0 || value > Integer.MAX_VALUE ? Integer.MAX_VALUE : value;
    }

    /** The larger bound of {@code {n}}, {@code {n,}} (n + 1) or {@code {n,m}} at {@code open}; -1 when it is none. */
    private static long repetitionBound(String regex, int open) {
        int close = regex.indexOf('}', open);
        if (close < 0) {
            return -1;
        }
        String inside = regex.substring(open + 1, close);
        if (!inside.matches("[0-9]{1,9}(,[0-9]{0,9})?")) {
            return -1;
        }
        int comma = inside.indexOf(',');
        if (comma < 0) {
            return Long.parseLong(inside);
        }
        long low = Long.parseLong(inside.substring(0, comma));
        return comma == inside.length() - 1 ? low + 1 : Math.max(low, Long.parseLong(inside.substring(comma + 1)));
    }

    /** The index of the escape's last character: {@code \p{Greek}} and {@code \x{10FFFF}} run to their brace. */
    private static int skipEscape(String regex, int backslash) {
        int i = backslash + 1;
        if (i + 1 < regex.length()
                && "pPx".indexOf(regex.charAt(i)) >= 0
                && regex.charAt(i + 1) == '{'
                && regex.indexOf('}', i) >= 0) {
            return regex.indexOf('}', i);
        }
        return Math.min(i, regex.length() - 1);
    }

    /** The index of the class's closing bracket (a first {@code ]} and escaped ones are members). */
    private static int skipClass(String regex, int open) {
        int i = open + 1;
        if (i < regex.length() && regex.charAt(i) == '^') {
            i++;
        }
        if (i < regex.length() && regex.charAt(i) == ']') {
            i++;
        }
        for (; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[' && i + 1 < regex.length() && regex.charAt(i + 1) == ':') {
                int end = regex.indexOf(":]", i + 2);
                if (end >= 0) {
                    i = end + 1;
                }
            } else if (c == ']') {
                return i;
            }
        }
        return regex.length() - 1;
    }
}
