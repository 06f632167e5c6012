package dev.palisade.registry;

import java.io.IOException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which tags of a repository to scan: a Java regular expression the whole tag must match, written by whoever asked
 * for the scan, a server's API client included. java.util.regex backtracks: {@code (.*a){20}b} takes 5 s on a tag
 * of 28 a's and grows with the twentieth power of the length. Each match here may read the tag's characters a
 * fixed number of times in all, and a pattern that needs more is refused, naming the tag it stalled on.
 */
public final class TagPattern {
    static final long READS_PER_TAG = 2_000_000;

    private final Pattern regex;

    private TagPattern(Pattern regex) {
        this.regex = regex;
    }

    public static TagPattern everyTag() {
        return new TagPattern(Pattern.compile(".*"));
    }

    /** @throws PatternSyntaxException when {@code regex} is not a regular expression */
    public static TagPattern compile(String regex) {
        return new TagPattern(Pattern.compile(regex));
    }

    /** Whether the whole tag matches; an IOException when the pattern needs too many steps to tell. */
    public boolean matches(String tag) throws IOException {
        try {
            return regex.matcher(new CountedText(tag)).matches();
        } catch (TooManyReads e) {
            throw new IOException("the tag pattern '" + regex.pattern() + "' takes too long to match the tag '" + tag
                    + "' (repetitions such as (.*a){20} backtrack): simplify it");
        }
    }

    @Override
    public String toString() {
        return regex.pattern();
    }

    /** The tag, counting the matcher's reads of it. */
    private static final class CountedText implements CharSequence {
        private final String text;
        private long reads;

        CountedText(String text) {
            this.text = text;
        }

        @Override
        public char charAt(int index) {
            if (++reads > READS_PER_TAG) {
                throw new TooManyReads();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.substring(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static final class TooManyReads extends RuntimeException {
        TooManyReads() {
            super(null, null, false, false);
        }
    }
}
