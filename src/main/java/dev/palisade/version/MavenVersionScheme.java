package dev.palisade.version;

import org.apache.maven.artifact.versioning.ComparableVersion;

/**
 * Maven's ordering, by Maven's own {@link ComparableVersion} (maven-artifact): qualifiers
 * ({@code alpha < beta < milestone < rc = cr < snapshot < "" = final = ga = release < sp}), unknown
 * qualifiers after known ones, numbers numerically, trailing zeros ignored.
 */
public final class MavenVersionScheme implements VersionScheme {
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
    }
}
