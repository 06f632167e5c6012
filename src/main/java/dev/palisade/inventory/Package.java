package dev.palisade.inventory;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One package found in an artifact.
 *
 * @param ecosystem where its versions and advisories come from
 * @param name the name in that ecosystem ({@code libc6}, {@code org.apache.logging.log4j:log4j-core},
 *     {@code @babel/core}, {@code golang.org/x/net})
 * @param version the version exactly as the metadata states it
 * @param purl its Package URL
 * @param locations the files it was found in, each with the layer that introduced it
 * @param sourceName for OS packages, the source package it was built from
 * @param sourceVersion for OS packages, the source package's version
 * @param foundBy the cataloger that found it
 * @param metadata further facts, sorted by key: architecture, SHA-1 of an archive, how a jar was
 *     identified...
 * @param licenses the licences its own metadata declares, each as written there (an SPDX expression, a
 *     name, a classifier); empty when the metadata states none
 */
public record Package(
        Ecosystem ecosystem,
        String name,
        String version,
        String purl,
        List<Location> locations,
        @Nullable String sourceName,
        @Nullable String sourceVersion,
        String foundBy,
        Map<String, String> metadata,
        List<String> licenses)
        implements Comparable<Package> {

    private static final Comparator<Package> ORDER = Comparator.comparing(Package::ecosystem)
            .thenComparing(Package::name)
            .thenComparing(Package::version)
            .thenComparing(
                    p -> p.locations().isEmpty() ? "" : p.locations().get(0).path());

    public Package {
        Objects.requireNonNull(ecosystem, "ecosystem");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(purl, "purl");
        Objects.requireNonNull(foundBy, "foundBy");
        locations = List.copyOf(locations);
        metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
        // null from an analysis cached before licences were read
        licenses = licenses == null ? List.of() : List.copyOf(licenses);
    }

    /** A package whose metadata declares no licence (or whose licence was not read). */
    public Package(
            Ecosystem ecosystem,
            String name,
            String version,
            String purl,
            List<Location> locations,
            @Nullable String sourceName,
            @Nullable String sourceVersion,
            String foundBy,
            Map<String, String> metadata) {
        this(ecosystem, name, version, purl, locations, sourceName, sourceVersion, foundBy, metadata, List.of());
    }

    /** A stable key: the same package found at the same place in two scans has the same key. */
    public String key() {
        return purl + (locations.isEmpty() ? "" : "|" + locations.get(0).path());
    }

    public Package withPurl(String newPurl) {
        return new Package(
                ecosystem, name, version, newPurl, locations, sourceName, sourceVersion, foundBy, metadata, licenses);
    }

    public Package withLocations(List<Location> newLocations) {
        return new Package(
                ecosystem, name, version, purl, newLocations, sourceName, sourceVersion, foundBy, metadata, licenses);
    }

    public Package withMetadata(Map<String, String> extra) {
        TreeMap<String, String> merged = new TreeMap<>(metadata);
        merged.putAll(extra);
        return new Package(
                ecosystem, name, version, purl, locations, sourceName, sourceVersion, foundBy, merged, licenses);
    }

    public Package withLicenses(List<String> declared) {
        return new Package(
                ecosystem, name, version, purl, locations, sourceName, sourceVersion, foundBy, metadata, declared);
    }

    @Override
    public int compareTo(Package other) {
        return ORDER.compare(this, other);
    }
}
