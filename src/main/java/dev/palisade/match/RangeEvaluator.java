package dev.palisade.match;

import dev.palisade.version.InvalidVersionException;
import dev.palisade.version.VersionScheme;
import dev.palisade.vulndb.Advisory;
import dev.palisade.vulndb.Advisory.Event;
import dev.palisade.vulndb.Advisory.EventKind;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a version is affected by an OSV {@code affected} entry, following the OSV
 * specification's evaluation: events sorted by version ({@code introduced: "0"} first), walked in
 * order ({@code introduced} turns affected on, {@code fixed} and {@code last_affected} turn it off),
 * {@code limit} events bounding the range, and the explicit {@code versions} list. GIT ranges are
 * commit ranges and are skipped. The fixes offered are the {@code fixed} events that close the
 * stretch the version falls in.
 */
public final class RangeEvaluator {
    private RangeEvaluator() {}

    /** The verdict for one affected entry. */
    public sealed interface Verdict permits Verdict.Affected, Verdict.NotAffected, Verdict.NotCompared {
        /** @param fixes versions that fix it, from the ranges that affect the version */
        record Affected(List<String> fixes) implements Verdict {}

        record NotAffected() implements Verdict {}

        record NotCompared(String reason) implements Verdict {}
    }

    /**
     * No ecosystem's versions come near this. A longer one (a crafted SBOM's 24 KB PEP 440 version of 12,000
     * segments) cost time in proportion to its length at every comparison: four seconds for one package.
     */
    static final int MAX_VERSION_LENGTH = 256;

    public static Verdict evaluate(
            Advisory.Affected affected, String version, VersionScheme ecosystemScheme, VersionScheme semverScheme) {
        if (version.isBlank()) {
            return new Verdict.NotCompared(
                    "the installed version is empty: the package's metadata does not say which version it is");
        }
        if (version.length() > MAX_VERSION_LENGTH) {
            return new Verdict.NotCompared(
                    "the installed version is " + version.length() + " characters long, more than " + MAX_VERSION_LENGTH
                            + ": no ecosystem's versions are, so it is not compared");
        }
        try {
            ecosystemScheme.validate(version);
        } catch (InvalidVersionException e) {
            return new Verdict.NotCompared(String.valueOf(e.getMessage()));
        }
        boolean hit = false;
        TreeSet<String> fixes = new TreeSet<>();
        String problem = null;
        for (Advisory.Range range : affected.ranges()) {
            if (range.type().equals("GIT")) {
                continue;
            }
            VersionScheme scheme = range.type().equals("SEMVER") ? semverScheme : ecosystemScheme;
            try {
                RangeHit result = evaluateRange(range.events(), version, scheme);
                if (result.affected) {
                    hit = true;
                    if (result.fix != null) {
                        fixes.add(result.fix);
                    }
                }
            } catch (InvalidVersionException e) {
                problem = "the advisory's range holds a version that is not valid here: " + e.getMessage();
            }
        }
        for (String listed : affected.versions()) {
            if (listed.equals(version) || equalVersions(ecosystemScheme, listed, version)) {
                hit = true;
            }
        }
        if (hit) {
            return new Verdict.Affected(sortedDistinct(fixes, ecosystemScheme));
        }
        return problem != null ? new Verdict.NotCompared(problem) : new Verdict.NotAffected();
    }

    private record RangeHit(boolean affected, @Nullable String fix) {}

    private static RangeHit evaluateRange(List<Event> events, String version, VersionScheme scheme)
            throws InvalidVersionException {
        List<Event> sorted = new ArrayList<>(events);
        List<Event> limits = new ArrayList<>();
        sorted.removeIf(e -> {
            if (e.kind() == EventKind.LIMIT) {
                limits.add(e);
                return true;
            }
            return false;
        });
        // every version is checked first: a comparator that fails halfway would leave the sort inconsistent
        for (Event event : events) {
            if (!isIntroducedZero(event)
                    && !(event.kind() == EventKind.LIMIT && event.version().equals("*"))) {
                scheme.validate(event.version());
            }
        }
        sorted.sort((a, b) -> {
            if (isIntroducedZero(a) || isIntroducedZero(b)) {
                return Boolean.compare(!isIntroducedZero(a), !isIntroducedZero(b));
            }
            try {
                return scheme.compare(a.version(), b.version());
            } catch (InvalidVersionException e) {
                throw new IllegalStateException("validated above", e);
            }
        });
        boolean affected = false;
        String fix = null;
        for (Event event : sorted) {
            switch (event.kind()) {
                case INTRODUCED -> {
                    if (isIntroducedZero(event) || scheme.compare(version, event.version()) >= 0) {
                        affected = true;
                        fix = null;
                    }
                }
                case FIXED -> {
                    if (affected && scheme.compare(version, event.version()) >= 0) {
                        affected = false;
                    } else if (affected && fix == null) {
                        fix = event.version();
                    }
                }
                case LAST_AFFECTED -> {
                    if (affected && scheme.compare(version, event.version()) > 0) {
                        affected = false;
                    }
                }
                default -> {}
            }
        }
        if (affected && !limits.isEmpty()) {
            boolean below = false;
            for (Event limit : limits) {
                if (limit.version().equals("*") || scheme.compare(version, limit.version()) < 0) {
                    below = true;
                }
            }
            affected = below;
        }
        return new RangeHit(affected, affected ? fix : null);
    }

    /**
     * {@code introduced: "0"} is the OSV spelling of "from the very first version", below every version.
     * Only there: a {@code fixed: "0"} is a version of the ecosystem, as osv-scanner reads it.
     */
    private static boolean isIntroducedZero(Event event) {
        return event.kind() == EventKind.INTRODUCED && event.version().equals("0");
    }

    private static boolean equalVersions(VersionScheme scheme, String a, String b) {
        try {
            return scheme.compare(a, b) == 0;
        } catch (InvalidVersionException e) {
            return false;
        }
    }

    /** Versions without repeats, in the scheme's order (versions it cannot read sort as plain text). */
    public static List<String> sortedDistinct(java.util.Collection<String> versions, VersionScheme scheme) {
        List<String> sorted = new ArrayList<>(new java.util.LinkedHashSet<>(versions));
        sorted.sort((a, b) -> {
            try {
                return scheme.compare(a, b);
            } catch (InvalidVersionException e) {
                return a.compareTo(b);
            }
        });
        return sorted;
    }
}
