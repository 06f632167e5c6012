package dev.palisade.vulndb;

import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What changed between two builds of the vulnerability database, as far as matching can tell: either
 * everything (no previous database, another schema, too much changed to list), or exactly
 *
 * <ul>
 *   <li>{@code packages}: the keys whose lookup ({@link VulnerabilityStore#advisories}) answers differently:
 *       an advisory added, removed, its body or source changed, or it stopped or started naming the package;
 *   <li>{@code ecosystems}: ecosystems that appeared in or disappeared from {@link VulnerabilityStore#ecosystems},
 *       which decides whether "no findings" there is said to mean "no data";
 *   <li>{@code kevCves}: CVE ids whose KEV entry was added, removed or changed. KEV status only annotates
 *       findings, so only results holding a finding with one of these ids (or related ids) can change.
 * </ul>
 *
 * <p>A stored match result is still valid when {@link #affects} is false for the keys its matcher looked up and
 * the ids of its findings. Changes of Palisade itself (parser, version comparison) are not database changes.
 *
 * @param everything whether every stored result must be matched again; the sets are then empty
 * @param reason why everything changed, in words; empty otherwise
 */
public record DatabaseChanges(
        boolean everything,
        String reason,
        SortedSet<PackageKey> packages,
        SortedSet<String> ecosystems,
        SortedSet<String> kevCves) {
    private static final DatabaseChanges NONE = of(Set.of(), Set.of(), Set.of());

    public DatabaseChanges {
        Objects.requireNonNull(reason, "reason");
        packages = Collections.unmodifiableSortedSet(new TreeSet<>(packages));
        ecosystems = Collections.unmodifiableSortedSet(new TreeSet<>(ecosystems));
        kevCves = Collections.unmodifiableSortedSet(new TreeSet<>(kevCves));
        if (everything && !(packages.isEmpty() && ecosystems.isEmpty() && kevCves.isEmpty())) {
            throw new IllegalArgumentException("'everything' lists no package, ecosystem or CVE");
        }
    }

    /** Nothing matching reads changed. */
    public static DatabaseChanges none() {
        return NONE;
    }

    /** Every stored result must be matched again; {@code reason} says why. */
    public static DatabaseChanges everything(String reason) {
        return new DatabaseChanges(true, reason, new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
    }

    public static DatabaseChanges of(
            Collection<PackageKey> packages, Collection<String> ecosystems, Collection<String> kevCves) {
        return new DatabaseChanges(
                false, "", new TreeSet<>(packages), new TreeSet<>(ecosystems), new TreeSet<>(kevCves));
    }

    /** Whether nothing matching reads changed. */
    public boolean isEmpty() {
        return !everything && packages.isEmpty() && ecosystems.isEmpty() && kevCves.isEmpty();
    }

    /**
     * Whether a stored match result may differ when matched again.
     *
     * @param lookedUp the keys its matcher looked up (arguments of {@link VulnerabilityStore#advisories}, raw or
     *     normalised: {@link PackageKey} normalises)
     * @param findingIds the ids and related ids of its findings (where KEV status is looked up)
     */
    public boolean affects(Collection<PackageKey> lookedUp, Collection<String> findingIds) {
        if (everything) {
            return true;
        }
        for (PackageKey key : lookedUp) {
            if (packages.contains(key) || ecosystems.contains(key.ecosystem())) {
                return true;
            }
        }
        for (String id : findingIds) {
            if (kevCves.contains(id)) {
                return true;
            }
        }
        return false;
    }
}
