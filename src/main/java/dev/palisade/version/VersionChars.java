package dev.palisade.version;

/** ASCII character classes as dpkg and rpm use them (C's isdigit/isalpha in the C locale). */
final class VersionChars {
    private VersionChars() {}

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isAlnum(char c) {
        return isDigit(c) || isAlpha(c);
    }

    static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares two runs of ASCII digits by value, whatever their length: leading zeros dropped, the
     * longer is the larger, equal lengths compare digit by digit. Returns -1, 0 or 1.
     */
    static int compareDigits(String a, String b) {
        int i = skipZeros(a);
        int j = skipZeros(b);
        int lengthA = a.length() - i;
        int lengthB = b.length() - j;
        if (lengthA != lengthB) {
            return lengthA < lengthB ? -1 : 1;
        }
        for (; i < a.length(); i++, j++) {
            if (a.charAt(i) != b.charAt(j)) {
                return a.charAt(i) < b.charAt(j) ? -1 : 1;
            }
        }
        return 0;
    }

    private static int skipZeros(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '0') {
            i++;
        }
        return i;
    }
}
