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
 * (a{1000}){1000}} is a million steps; three such levels run RE2/J out of memory while compiling). So before
 * compiling, the bounds of every counted repetition in the text are multiplied, nested or not, and a pattern whose
 * product passes {@link #MAX_REPETITION_PRODUCT} is refused: an upper bound that needs no parsing, where a parser
 * of groups and classes was twice shown to miss a level (a named group; {@code [!-[:]}, a range ending in a
 * bracket). After compiling, a program of more than {@link #MAX_STEPS} steps is refused.
 */
public final class TagPattern {
    /** The product of the bounds of all counted repetitions, at most. */
    static final long MAX_REPETITION_PRODUCT = 1_000;
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
        long product = repetitionProduct(regex);
        if (product > MAX_REPETITION_PRODUCT) {
            throw new IllegalArgumentException("the bounds of its counted repetitions multiply to " + product
                    + " (at most " + MAX_REPETITION_PRODUCT + ")");
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
     * The product of the larger bounds of every {@code {n}}, {@code {n,}} (n + 1) and {@code {n,m}} in the text,
     * whether RE2 reads it as a repetition or, escaped or inside a class, as literal braces: at least the product
     * along any chain of nested repetitions. Saturates instead of overflowing.
     */
    static long repetitionProduct(String regex) {
        long product = 1;
        for (int i = regex.indexOf('{'); i >= 0; i = regex.indexOf('{', i + 1)) {
            long bound = repetitionBound(regex, i);
            if (bound > 1) {
                product = product > Integer.MAX_VALUE / bound ? Integer.MAX_VALUE : product * bound;
            }
        }
        return product;
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
}
