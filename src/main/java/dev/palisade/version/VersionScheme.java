package dev.palisade.version;

/** How one ecosystem orders its versions. Implementations are stateless and follow the upstream algorithm. */
public interface VersionScheme {
    /** A short name: {@code deb}, {@code rpm}, {@code apk}, {@code maven}, {@code semver}, {@code pep440}... */
    String id();

    /** Negative, zero or positive as {@code left} sorts before, with or after {@code right}. */
    int compare(String left, String right) throws InvalidVersionException;

    /** Throws when {@code version} is not a version of this scheme. */
    void validate(String version) throws InvalidVersionException;

    default boolean isValid(String version) {
        try {
            validate(version);
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }
}
