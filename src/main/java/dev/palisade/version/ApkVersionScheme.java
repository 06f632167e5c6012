package dev.palisade.version;

import org.jspecify.annotations.Nullable;

/**
 * Alpine's apk ordering (apk-tools {@code src/version.c}): a version is a stream of tokens (digits,
 * one letter, {@code _suffix} with an optional number, {@code -rN} revision) compared token by token.
 * Pre-release suffixes ({@code _alpha}, {@code _beta}, {@code _pre}, {@code _rc}) sort before the
 * bare version, post-release ones ({@code _cvs}, {@code _svn}, {@code _git}, {@code _hg}, {@code _p})
 * after it. Leading zeros after a dot compare as a fraction. A version apk cannot tokenise falls
 * back to a plain string comparison, as apk does.
 */
public final class ApkVersionScheme implements VersionScheme {
    private static final int INVALID = -1;
    private static final int DIGIT_OR_ZERO = 0;
    private static final int DIGIT = 1;
    private static final int LETTER = 2;
    private static final int SUFFIX = 3;
    private static final int SUFFIX_NO = 4;
    private static final int REVISION_NO = 5;
    private static final int END = 6;
    private static final String[] PRE_SUFFIXES = {"alpha", "beta", "pre", "rc"};
    private static final String[] POST_SUFFIXES = {"cvs", "svn", "git", "hg", "p"};

    @Override
    public String id() {
        return "apk";
    }

    @Override
    public void validate(String version) throws InvalidVersionException {
        if (version.isBlank()) {
            throw new InvalidVersionException(id(), version, "empty");
        }
        Cursor c = new Cursor(version.strip());
        c.type = DIGIT;
        while (c.type != END && c.type != INVALID) {
            c.token();
        }
        if (c.type == INVALID) {
            throw new InvalidVersionException(id(), version, "not a valid apk version");
        }
    }

    @Override
    public int compare(String left, String right) throws InvalidVersionException {
        if (left.isBlank() || right.isBlank()) {
            throw new InvalidVersionException(id(), left.isBlank() ? left : right, "empty");
        }
        Cursor a = new Cursor(left.strip());
        Cursor b = new Cursor(right.strip());
        a.type = DIGIT;
        b.type = DIGIT;
        int order = 0;
        while (a.type == b.type && a.type != END && a.type != INVALID && order == 0) {
            order = a.token().compareTo(b.token());
        }
        if (order != 0) {
            return order;
        }
        if (a.type == b.type) {
            return 0;
        }
        if (a.type == INVALID || b.type == INVALID) {
            // apk-tools 2.14+: versions that do not tokenise are ordered as plain strings
            return Integer.signum(left.strip().compareTo(right.strip()));
        }
        if (a.type == SUFFIX && a.copy().token().small() < 0) {
            return -1;
        }
        if (b.type == SUFFIX && b.copy().token().small() < 0) {
            return 1;
        }
        if (a.type > b.type) {
            return -1;
        }
        if (b.type > a.type) {
            return 1;
        }
        return 0;
    }

    /**
     * A token's value: a number as its run of digits (apk compares numbers of any length by value), or
     * the small value of any other token (a letter, a suffix's rank, minus the count of leading zeros).
     */
    private record Value(long small, @Nullable String digits) implements Comparable<Value> {
        static Value of(long small) {
            return new Value(small, null);
        }

        @Override
        public int compareTo(Value other) {
            if (digits != null && other.digits != null) {
                return VersionChars.compareDigits(digits, other.digits);
            }
            return Long.compare(small, other.small);
        }
    }

    /** A position in a version string and the type of the token that starts there. */
    private static final class Cursor {
        final String s;
        int pos;
        int type;

        Cursor(String s) {
            this.s = s;
        }

        Cursor copy() {
            Cursor c = new Cursor(s);
            c.pos = pos;
            c.type = type;
            return c;
        }

        Value token() {
            if (pos >= s.length()) {
                type = END;
                return Value.of(0);
            }
            Value value = Value.of(0);
            int i = pos;
            int nextType = INVALID;
            switch (type) {
                case DIGIT_OR_ZERO:
                    if (s.charAt(i) == '0') {
                        while (i < s.length() && s.charAt(i) == '0') {
                            i++;
                        }
                        nextType = DIGIT;
                        value = Value.of(-(i - pos));
                        break;
                    }
                    // a number without leading zeros
                    i = digitsEnd(i);
                    value = number(s.substring(pos, i));
                    break;
                case DIGIT:
                case SUFFIX_NO:
                case REVISION_NO:
                    i = digitsEnd(i);
                    value = number(s.substring(pos, i));
                    break;
                case LETTER:
                    value = Value.of(s.charAt(i));
                    i++;
                    break;
                case SUFFIX: {
                    int found = -1;
                    int length = 0;
                    for (int k = 0; k < PRE_SUFFIXES.length; k++) {
                        if (s.startsWith(PRE_SUFFIXES[k], i)) {
                            found = k;
                            length = PRE_SUFFIXES[k].length();
                            break;
                        }
                    }
                    if (found >= 0) {
                        value = Value.of(found - PRE_SUFFIXES.length);
                        i += length;
                        break;
                    }
                    for (int k = 0; k < POST_SUFFIXES.length; k++) {
                        if (s.startsWith(POST_SUFFIXES[k], i)) {
                            found = k;
                            length = POST_SUFFIXES[k].length();
                            break;
                        }
                    }
                    if (found >= 0) {
                        value = Value.of(found);
                        i += length;
                        break;
                    }
                    type = INVALID;
                    return Value.of(-1);
                }
                default:
                    type = INVALID;
                    return Value.of(-1);
            }
            pos = i;
            if (pos >= s.length()) {
                type = END;
            } else if (nextType != INVALID) {
                type = nextType;
            } else {
                nextToken();
            }
            return value;
        }

        /** A number token; beyond what a long holds it only meets other numbers, compared by their digits. */
        private static Value number(String digits) {
            long small = digits.length() > 18 ? Long.MAX_VALUE : digits.isEmpty() ? 0 : Long.parseLong(digits);
            return new Value(small, digits);
        }

        private int digitsEnd(int from) {
            int i = from;
            while (i < s.length() && VersionChars.isDigit(s.charAt(i))) {
                i++;
            }
            return i;
        }

        private void nextToken() {
            int n = INVALID;
            char c = s.charAt(pos);
            if ((type == DIGIT || type == DIGIT_OR_ZERO) && c >= 'a' && c <= 'z') {
                n = LETTER;
            } else if (type == LETTER && VersionChars.isDigit(c)) {
                n = DIGIT;
            } else if (type == SUFFIX && VersionChars.isDigit(c)) {
                n = SUFFIX_NO;
            } else {
                switch (c) {
                    case '.' -> n = DIGIT_OR_ZERO;
                    case '_' -> n = SUFFIX;
                    case '-' -> {
                        if (pos + 1 < s.length() && s.charAt(pos + 1) == 'r') {
                            n = REVISION_NO;
                            pos++;
                        }
                    }
                    default -> n = INVALID;
                }
                pos++;
            }
            if (n < type) {
                boolean allowed = (n == DIGIT_OR_ZERO && type == DIGIT)
                        || (n == SUFFIX && type == SUFFIX_NO)
                        || (n == DIGIT && type == LETTER);
                if (!allowed) {
                    n = INVALID;
                }
            }
            type = n;
        }
    }
}
