package dev.palisade.version;

import org.apache.maven.artifact.versioning.ComparableVersion;

/**
 * Maven's ordering, by Maven's own {@link ComparableVersion} (maven-artifact): qualifiers
 * ({@code alpha < beta < milestone < rc = cr < snapshot < "" = final = ga = release < sp}), unknown
 * qualifiers after known ones, numbers numerically, trailing zeros ignored.
 */
public final class MavenVersionScheme implements VersionScheme {
    /**
     * ComparableVersion nests a list at every hyphen and every change between digits and letters, and
     * compares the nesting recursively: a version crafted with thousands of them overflows the stack.
     * Real versions nest a handful of times.
     */
    static final int MAX_NESTING = 100;
    /** ComparableVersion parses long numbers as BigInteger, in time quadratic in their length. */
    static final int MAX_LENGTH = 10_000;

    @Override
    public String id() {
        return "maven";
    }

    @Override
    public int compare(String left, String right) throws InvalidVersionException {
        validate(left);
        validate(right);
        return Integer.signum(new ComparableVersion(left.strip()).compareTo(new ComparableVersion(right.strip())));
    }

    @Override
    public void validate(String version) throws InvalidVersionException {
        if (version.isBlank()) {
            throw new InvalidVersionException(id(), version, "empty");
        }
        if (version.length() > MAX_LENGTH) {
            throw new InvalidVersionException(id(), version, "longer than " + MAX_LENGTH + " characters");
        }
        int nesting = 0;
        for (int i = 1; i < version.length(); i++) {
            char c = version.charAt(i);
            char previous = version.charAt(i - 1);
            boolean digitChange = Character.isDigit(c) != Character.isDigit(previous)
                    && c != '.'
                    && c != '-'
                    && previous != '.'
                    && previous != '-';
            if (c == '-' || digitChange) {
                nesting++;
            }
        }
        if (nesting > MAX_NESTING) {
            throw new InvalidVersionException(
                    id(), version, "more than " + MAX_NESTING + " hyphens and digit-letter changes");
        }
    }
}
