package dev.palisade.version;

/**
 * A non-negative number of any length, kept as its ASCII digits without leading zeros: versions
 * hold numbers longer than a long, and parsing them as BigInteger takes quadratic time.
 */
record Digits(String value) implements Comparable<Digits> {
    static final Digits ZERO = new Digits("0");

    Digits {
        if (!VersionChars.isDigits(value)) {
            throw new IllegalArgumentException("not digits");
        }
        int i = 0;
        while (i < value.length() - 1 && value.charAt(i) == '0') {
            i++;
        }
        value = value.substring(i);
    }

    boolean isZero() {
        return value.equals("0");
    }

    @Override
    public int compareTo(Digits other) {
        return VersionChars.compareDigits(value, other.value);
    }
}
