package dev.palisade.checks;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Where lower-case keywords occur in a text compared without case: exactly where they occur in the text
 * lower-cased with {@link Locale#ROOT}. An ASCII text (most files) is searched in place, a letter of the text
 * standing for its ASCII lower case; any other is lower-cased once, as lower-casing may change its length or
 * turn a non-ASCII character into an ASCII one (the Kelvin sign into {@code k}).
 */
final class KeywordSearch {
    /** ASCII letters from the rarest to the most common in English text: a rare one finds few false candidates. */
    private static final String LETTERS_BY_FREQUENCY = "zqxjkvbpygfwmucldrhsnioate";

    private final String text;
    /** The lower-cased text, or null for an ASCII text, searched in place. */
    private final @Nullable String lowerCase;

    private KeywordSearch(String text, @Nullable String lowerCase) {
        this.text = text;
        this.lowerCase = lowerCase;
    }

    /** @param content the bytes {@code text} was decoded from as UTF-8 */
    static KeywordSearch of(String text, byte[] content) {
        return isAscii(content)
                ? new KeywordSearch(text, null)
                : new KeywordSearch(text, text.toLowerCase(Locale.ROOT));
    }

    private static boolean isAscii(byte[] content) {
        int negative = 0;
        for (byte b : content) {
            negative |= b;
        }
        return negative >= 0;
    }

    /** Whether an offset of a keyword found here is also that offset in the text (lower-casing kept the length). */
    boolean offsetsMatchText() {
        return lowerCase == null || lowerCase.length() == text.length();
    }

    boolean contains(String keyword) {
        return indexOf(keyword, 0) >= 0;
    }

    /** As {@code text.toLowerCase(Locale.ROOT).indexOf(keyword, from)} for a lower-case {@code keyword}. */
    int indexOf(String keyword, int from) {
        if (lowerCase != null) {
            return lowerCase.indexOf(keyword, from);
        }
        int length = keyword.length();
        if (length == 0) {
            return from <= 0 ? 0 : Math.min(from, text.length());
        }
        int anchor = anchor(keyword);
        char c = keyword.charAt(anchor);
        if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
            return -1; // no letter of an ASCII text lower-cases to it
        }
        char upper = c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c;
        int start = Math.max(from, 0);
        int last = text.length() - length;
        int nextLower = text.indexOf(c, start + anchor);
        int nextUpper = upper == c ? -1 : text.indexOf(upper, start + anchor);
        while (nextLower >= 0 || nextUpper >= 0) {
            int at;
            if (nextUpper < 0 || (nextLower >= 0 && nextLower < nextUpper)) {
                at = nextLower;
                nextLower = text.indexOf(c, at + 1);
            } else {
                at = nextUpper;
                nextUpper = text.indexOf(upper, at + 1);
            }
            int candidate = at - anchor;
            if (candidate > last) {
                return -1;
            }
            if (matchesAt(keyword, candidate)) {
                return candidate;
            }
        }
        return -1;
    }

    private boolean matchesAt(String keyword, int at) {
        for (int i = 0; i < keyword.length(); i++) {
            char t = text.charAt(at + i);
            if (t >= 'A' && t <= 'Z') {
                t = (char) (t + ('a' - 'A'));
            }
            if (t != keyword.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Which character of the keyword candidates are looked for by: one that is not a letter (its case does not
     * matter) nor a space, else its rarest letter.
     */
    private static int anchor(String keyword) {
        int best = 0;
        int bestRank = Integer.MAX_VALUE;
        for (int i = 0; i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            int rank;
            if (c >= 'a' && c <= 'z') {
                rank = 1 + LETTERS_BY_FREQUENCY.indexOf(c);
            } else if (c == ' ') {
                rank = 100;
            } else {
                rank = 0;
            }
            if (rank < bestRank) {
                best = i;
                bestRank = rank;
            }
        }
        return best;
    }
}
