package dev.palisade.vulndb;

import java.util.Objects;

/** What the database is asked for: a package name in an ecosystem, spelled as {@link VulnerabilityStore#advisories} takes them. */
public record PackageKey(String ecosystem, String name) implements Comparable<PackageKey> {
    public PackageKey {
        Objects.requireNonNull(ecosystem, "ecosystem");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public int compareTo(PackageKey other) {
        int byEcosystem = ecosystem.compareTo(other.ecosystem);
        return byEcosystem != 0 ? byEcosystem : name.compareTo(other.name);
    }
}
