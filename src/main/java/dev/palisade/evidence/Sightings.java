package dev.palisade.evidence;

import dev.palisade.match.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds sightings from what was observed over time on one target: a finding is first seen when it
 * first appears, fixed when a later observation lacks it, and when it comes back it is open again with
 * its first sighting kept (a regression does not restart the patch deadline).
 */
final class Sightings {
    private record Key(String vulnerabilityId, String purl) {}

    private static final class Open {
        final Severity severity;
        final @Nullable String kevDueDate;
        final Instant firstSeen;

        @Nullable
        Instant fixedAt;

        Open(Severity severity, @Nullable String kevDueDate, Instant firstSeen) {
            this.severity = severity;
            this.kevDueDate = kevDueDate;
            this.firstSeen = firstSeen;
        }
    }

    private final String application;
    private final String target;
    private final Map<Key, Open> byKey = new LinkedHashMap<>();

    Sightings(String application, String target) {
        this.application = application;
        this.target = target;
    }

    /** The finding was seen at {@code at}. */
    void seen(String vulnerabilityId, String purl, Severity severity, @Nullable String kevDueDate, Instant at) {
        Open open = byKey.computeIfAbsent(new Key(vulnerabilityId, purl), k -> new Open(severity, kevDueDate, at));
        open.fixedAt = null;
    }

    /** The finding was no longer there at {@code at}. */
    void gone(String vulnerabilityId, String purl, Instant at) {
        Open open = byKey.get(new Key(vulnerabilityId, purl));
        if (open != null && open.fixedAt == null) {
            open.fixedAt = at;
        }
    }

    /**
     * A whole observation (one report) at {@code at}: every finding it holds is seen, and every open
     * finding it lacks is fixed at that time.
     */
    void observed(List<Seen> findings, Instant at) {
        java.util.Set<Key> present = new java.util.HashSet<>();
        for (Seen f : findings) {
            seen(f.vulnerabilityId(), f.purl(), f.severity(), f.kevDueDate(), at);
            present.add(new Key(f.vulnerabilityId(), f.purl()));
        }
        byKey.forEach((k, v) -> {
            if (v.fixedAt == null && !present.contains(k)) {
                v.fixedAt = at;
            }
        });
    }

    /** A finding as one observation holds it. */
    record Seen(String vulnerabilityId, String purl, Severity severity, @Nullable String kevDueDate) {}

    List<History.Sighting> sightings() {
        List<History.Sighting> out = new ArrayList<>();
        byKey.forEach((k, v) -> out.add(new History.Sighting(
                application, target, k.vulnerabilityId(), k.purl(), v.severity, v.kevDueDate, v.firstSeen, v.fixedAt)));
        return out;
    }
}
