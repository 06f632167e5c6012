package dev.palisade.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Where lower-case keywords occur in a text compared without case: exactly where they occur in the text
 * lower-cased with {@link Locale#ROOT}, most often without making that copy. Only two characters lower-case to
 * ASCII ones besides ASCII letters, {@code İ} (into two characters, {@code i} and a combining dot) and the Kelvin
 * sign (into {@code k}); a text without either is searched in place for ASCII keywords, an ASCII letter of the
 * text standing for its lower case and any other character for none of a keyword's; other texts and keywords are
 * searched in the lower-cased copy.
 */
final class KeywordSearch {
    /** ASCII letters from the rarest to the most common in English text: a rare one finds few false candidates. */
    private static final String LETTERS_BY_FREQUENCY = "zqxjkvbpygfwmucldrhsnioate";

    private final String text;
    /** Whether no character of the text lower-cases to an ASCII one other than an ASCII letter. */
    private final boolean inPlace;

    private @Nullable String lowerCase;

    private KeywordSearch(String text, boolean inPlace) {
        this.text = text;
        this.inPlace = inPlace;
    }

    static KeywordSearch of(String text) {
        return new KeywordSearch(text, text.indexOf('\u0130') < 0 && text.indexOf('\u212A') < 0);
    }

    private String lowerCase() {
        String lower = lowerCase;
        if (lower == null) {
            lower = text.toLowerCase(Locale.ROOT);
            lowerCase = lower;
        }
        return lower;
    }

    /** Whether the text holds no character besides ASCII letters that lower-cases to an ASCII one. */
    boolean inPlace() {
        return inPlace;
    }

    /** Whether an offset of a keyword found here is also that offset in the text (lower-casing kept the length). */
    boolean offsetsMatchText() {
        return inPlace || lowerCase().length() == text.length();
    }

    boolean contains(String keyword) {
        return indexOf(keyword, 0) >= 0;
    }

    /**
     * Which of a set's keywords the text holds: bit i for keyword i. Searched in {@code content}, the bytes the text
     * was decoded from as UTF-8, where that can be done: decoding turns each byte below 0x80 into that character and
     * other bytes into characters from 0x80 up, in order, so that an ASCII keyword is in the one where it is in the
     * other.
     */
    long present(Set set, byte[] content) {
        if (!inPlace || !set.searchesBytes()) {
            return present(set);
        }
        return presentInBytes(set, content);
    }

    /**
     * As {@link #present(Set, byte[])} for a set that {@link Set#searchesBytes() searches bytes}, from the bytes
     * alone: exact for content that does not {@link #mayLowerCaseToAscii(byte[]) lower-case to ASCII} beyond its
     * ASCII letters, and for any other content the keywords found are found in it too (some may be missed).
     */
    static long presentInBytes(Set set, byte[] content) {
        long found = 0;
        int end = content.length - 1;
        for (int i = 0; i < end; i++) {
            int pair = (content[i] << 7) | content[i + 1]; // negative when either byte is not ASCII
            if (pair < 0 || (set.pairs[pair >>> 6] & (1L << pair)) == 0) {
                continue;
            }
            long candidates = set.byFirst[content[i]] & set.bySecond[content[i + 1]] & ~found;
            while (candidates != 0) {
                int k = Long.numberOfTrailingZeros(candidates);
                candidates &= candidates - 1;
                String keyword = set.keywords.get(k);
                if (i + keyword.length() <= content.length && matchesAt(keyword, content, i)) {
                    found |= 1L << k;
                }
            }
            if (found == set.all) {
                break;
            }
        }
        return found;
    }

    /**
     * Whether UTF-8 {@code content} decodes to a text that holds {@code İ} or the Kelvin sign (the characters other
     * than ASCII letters that lower-case to ASCII): whether it holds their encodings, C4 B0 and E2 84 AA. Neither
     * C4 nor E2 can continue a sequence, so the decoder, also of malformed input, starts a character at each and
     * completes it with the bytes that follow.
     */
    static boolean mayLowerCaseToAscii(byte[] content) {
        int end = content.length - 1;
        for (int i = 0; i < end; i++) {
            byte b = content[i];
            if (b == (byte) 0xC4) {
                if (content[i + 1] == (byte) 0xB0) {
                    return true;
                }
            } else if (b == (byte) 0xE2
                    && content[i + 1] == (byte) 0x84
                    && i + 2 <= end
                    && content[i + 2] == (byte) 0xAA) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAt(String keyword, byte[] content, int at) {
        for (int i = 0; i < keyword.length(); i++) {
            int t = content[at + i];
            if (t >= 'A' && t <= 'Z') {
                t += 'a' - 'A';
            }
            if (t != keyword.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Which of a set's keywords the text holds: bit i for keyword i. */
    long present(Set set) {
        if (!inPlace || !set.inPlace) {
            long found = 0;
            for (int k = 0; k < set.keywords.size(); k++) {
                if (contains(set.keywords.get(k))) {
                    found |= 1L << k;
                }
            }
            return found;
        }
        long found = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                continue;
            }
            long candidates = set.byFirst[c] & ~found;
            if (candidates == 0) {
                continue;
            }
            char d = i + 1 < length ? text.charAt(i + 1) : 0x80;
            candidates &= (d < 0x80 ? set.bySecond[d] : 0) | set.oneCharacter;
            while (candidates != 0) {
                int k = Long.numberOfTrailingZeros(candidates);
                candidates &= candidates - 1;
                String keyword = set.keywords.get(k);
                if (i + keyword.length() <= length && matchesAt(keyword, i)) {
                    found |= 1L << k;
                }
            }
            if (found == set.all) {
                break;
            }
        }
        return found;
    }

    /** As {@code text.toLowerCase(Locale.ROOT).indexOf(keyword, from)} for a lower-case {@code keyword}. */
    int indexOf(String keyword, int from) {
        if (!inPlace || !isAscii(keyword)) {
            return lowerCase().indexOf(keyword, from);
        }
        int length = keyword.length();
        int start = Math.max(from, 0);
        if (length == 0 || !hasLetter(keyword)) {
            return text.indexOf(keyword, start); // nothing in it that case could change
        }
        int anchor = anchor(keyword);
        char c = keyword.charAt(anchor);
        if (c >= 'A' && c <= 'Z') {
            return -1; // no character of the text lower-cases to it
        }
        char upper = c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c;
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

    /** Whether the ASCII keyword is at {@code at}, which leaves room for it. */
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

    private static boolean isAscii(String keyword) {
        for (int i = 0; i < keyword.length(); i++) {
            if (keyword.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasLetter(String keyword) {
        for (int i = 0; i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                return true;
            }
        }
        return false;
    }

    /** The character of a keyword candidates are looked for by: one that is not a letter nor a space, else its rarest letter. */
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

    /**
     * Up to 64 distinct lower-case keywords, looked for together in one pass over a text: candidates are the places
     * where a keyword's first two characters are, in either case.
     */
    static final class Set {
        static final int MAX = 64;

        private final List<String> keywords;
        private final long[] byFirst = new long[0x80];
        private final long[] bySecond = new long[0x80];
        /** The first two characters of the keywords of two or more, in either case: bit (first << 7 | second). */
        private final long[] pairs = new long[0x80 * 0x80 / 64];

        private final long oneCharacter;
        private final long all;
        /** Whether every keyword is ASCII, so that a text can be searched in place for them. */
        private final boolean inPlace;

        Set(List<String> keywords) {
            if (keywords.size() > MAX) {
                throw new IllegalArgumentException("more than " + MAX + " keywords");
            }
            this.keywords = List.copyOf(keywords);
            long single = 0;
            boolean ascii = true;
            for (int k = 0; k < keywords.size(); k++) {
                String keyword = keywords.get(k);
                ascii &= isAscii(keyword) && !keyword.isEmpty();
                if (!ascii) {
                    break;
                }
                long bit = 1L << k;
                mark(byFirst, keyword.charAt(0), bit);
                if (keyword.length() == 1) {
                    single |= bit;
                } else {
                    mark(bySecond, keyword.charAt(1), bit);
                    for (char first : cases(keyword.charAt(0))) {
                        for (char second : cases(keyword.charAt(1))) {
                            int pair = first << 7 | second;
                            pairs[pair >>> 6] |= 1L << pair;
                        }
                    }
                }
            }
            this.oneCharacter = single;
            this.all = keywords.size() == MAX ? -1L : (1L << keywords.size()) - 1;
            this.inPlace = ascii;
        }

        /** Whether the set can be looked for in the UTF-8 bytes of a text: every keyword ASCII and of two or more. */
        boolean searchesBytes() {
            return inPlace && oneCharacter == 0;
        }

        /** Bit i for the i-th of {@code words} (which must be among this set's). */
        long bits(List<String> words) {
            long bits = 0;
            for (String word : words) {
                bits |= 1L << keywords.indexOf(word);
            }
            return bits;
        }

        /** The keywords of several lists, each once, in order. */
        static List<String> distinct(List<List<String>> lists) {
            List<String> all = new ArrayList<>();
            for (List<String> list : lists) {
                for (String word : list) {
                    if (!all.contains(word)) {
                        all.add(word);
                    }
                }
            }
            return all;
        }

        private static char[] cases(char c) {
            return c >= 'a' && c <= 'z' ? new char[] {c, (char) (c - ('a' - 'A'))} : new char[] {c};
        }

        private static void mark(long[] table, char c, long bit) {
            table[c] |= bit;
            if (c >= 'a' && c <= 'z') {
                table[c - ('a' - 'A')] |= bit;
            }
        }
    }
}
