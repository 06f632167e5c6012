package dev.palisade.registry;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.io.IOException;

/**
 * Which tags of a repository to scan: a regular expression in RE2 syntax (Go's {@code regexp}) the whole tag must
 * match, written by whoever asked for the scan, a server's API client included. java.util.regex backtracks:
 * {@code (.*a){20}b} takes 5 s on a tag of 28 a's and grows with the twentieth power of its length, and
 * {@code (|)(|)…} doubles with each group without reading the tag at all. RE2 matches in time linear in the tag and
 * the compiled program, but the program grows with the product of nested counted repetitions ({@code
 * (a{1000}){1000}} is a million steps; three such levels run RE2/J out of memory while compiling). So a pattern is
 * refused when its nested repetition bounds multiply past {@link #MAX_NESTED_REPETITION} (read from the text, before
 * compiling) or its compiled program has more than {@link #MAX_STEPS} steps. Named groups and {@code \Q…\E} quoting,
 * which a tag filter does not need, are refused too: they would hide a group's structure from that reading.
 */
public final class TagPattern {
    /** The product of the counted repetitions nested in each other, at most. */
    static final long MAX_NESTED_REPETITION = 1_000;
    /** The compiled program's steps, at most: ten thousand tags of 128 characters match within seconds. */
    static final int MAX_STEPS = 500;

    private final Pattern regex;

    private TagPattern(Pattern regex) {
        this.regex = regex;
    }

    public static TagPattern everyTag() {
        return new TagPattern(Pattern.compile(".*"));
    }

    /** @throws IllegalArgumentException with a message for the user when it is no pattern, or too large a one */
    public static TagPattern compile(String regex) {
        if (regex.contains("(?P<") || regex.contains("(?<") || regex.contains("\\Q") || regex.contains("\\E")) {
            throw new IllegalArgumentException("named groups and \\Q...\\E quoting are not taken in tag patterns");
        }
        long nested = nestedRepetition(regex);
        if (nested > MAX_NESTED_REPETITION) {
            throw new IllegalArgumentException("its nested counted repetitions multiply to " + nested + " (at most "
                    + MAX_NESTED_REPETITION + ")");
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a regular expression (RE2 syntax): " + e.getDescription());
        } catch (RuntimeException | StackOverflowError e) {
            throw new IllegalArgumentException("not a regular expression RE2 can compile");
        }
        if (compiled.programSize() > MAX_STEPS) {
            throw new IllegalArgumentException(
                    "it compiles to " + compiled.programSize() + " steps (at most " + MAX_STEPS + ")");
        }
        return new TagPattern(compiled);
    }

    /** Whether the whole tag matches; an IOException when RE2/J's matcher runs out of stack on this pattern. */
    public boolean matches(String tag) throws IOException {
        try {
            return regex.matches(tag);
        } catch (StackOverflowError e) {
            throw new IOException("the tag pattern nests too deeply to be matched: simplify it");
        }
    }

    @Override
    public String toString() {
        return regex.pattern();
    }

    /**
     * The largest product of counted-repetition bounds along a chain of groups nested in each other ({@code {n,m}}
     * counts m, {@code {n,}} n + 1). Groups are read as RE2 reads them, given that named groups and quoting were
     * refused before: {@code (?flags)} sets flags and holds nothing, every other parenthesis opens a group.
     * Saturates instead of overflowing.
     */
    static long nestedRepetition(String regex) {
        java.util.ArrayDeque<long[]> groups = new java.util.ArrayDeque<>(); // each: {largest inside, last}
        long largest = 1; // in the current group
        long last = 1; // the product within the last atom or group, which a following {n,m} multiplies
        int n = regex.length();
        for (int i = 0; i < n; i++) {
            char c = regex.charAt(i);
            switch (c) {
                case '\\' -> {
                    i = skipEscape(regex, i);
                    last = 1;
                }
                case '[' -> {
                    i = skipClass(regex, i);
                    last = 1;
                }
                case '(' -> {
                    int flagsEnd = flagGroupEnd(regex, i);
                    if (flagsEnd >= 0) {
                        i = flagsEnd;
                        continue; // no atom: a repetition after it is RE2's error
                    }
                    groups.push(new long[] {largest, last});
                    largest = 1;
                    last = 1;
                }
                case ')' -> {
                    long inside = largest;
                    long[] outer = groups.isEmpty() ? new long[] {1, 1} : groups.pop();
                    largest = Math.max(outer[0], inside);
                    last = inside;
                }
                case '{' -> {
                    long times = repetitionBound(regex, i);
                    if (times < 0) { // a literal brace
                        last = 1;
                    } else {
                        last = saturated(last * Math.max(1, times));
                        largest = Math.max(largest, last);
                        i = regex.indexOf('}', i);
                    }
                }
                case '*', '+', '?', '|' -> {}
                default -> last = 1;
            }
        }
        while (!groups.isEmpty()) { // unbalanced: RE2 refuses it anyway
            largest = Math.max(largest, groups.pop()[0]);
        }
        return largest;
    }

    /** The index of the closing parenthesis of a flag group {@code (?imsU-imsU)} at {@code open}, else -1. */
    private static int flagGroupEnd(String regex, int open) {
        if (open + 1 >= regex.length() || regex.charAt(open + 1) != '?') {
            return -1;
        }
        for (int i = open + 2; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == ')') {
                return i;
            }
            if ("imsU-".indexOf(c) < 0) {
                return -1;
            }
        }
        return -1;
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
