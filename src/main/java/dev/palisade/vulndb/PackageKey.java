package dev.palisade.vulndb;

import java.util.Comparator;
import java.util.Objects;

/**
 * A package as the database is looked up by: the arguments of {@link VulnerabilityStore#advisories}. The
 * name is kept as the database keys it ({@link PackageNames#key}: PyPI names lower-cased and normalised), so a
 * key built from what a matcher passed equals the key the database reports for the same package.
 *
 * @param ecosystem OSV spelling, with the release for distributions ({@code Maven}, {@code Debian:12})
 * @param name the package name (a Debian source package for Debian), normalised on construction
 */
public record PackageKey(String ecosystem, String name) implements Comparable<PackageKey> {
    private static final Comparator<PackageKey> ORDER =
            Comparator.comparing(PackageKey::ecosystem).thenComparing(PackageKey::name);

    public PackageKey {
        Objects.requireNonNull(ecosystem, "ecosystem");
        name = PackageNames.key(ecosystem, Objects.requireNonNull(name, "name"));
    }

    @Override
    public int compareTo(PackageKey other) {
        return ORDER.compare(this, other);
    }
}
