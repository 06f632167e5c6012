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
}
