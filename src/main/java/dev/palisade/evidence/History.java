package dev.palisade.evidence;

import dev.palisade.match.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the scan history says, whichever way it was read (the server's API, or a folder of saved
 * reports): when each target was scanned, when each finding was first seen and fixed, and the
 * exceptions (suppressions) in force.
 *
 * @param problems what could not be read, said in the pack (never silently left out)
 */
public record History(List<Scan> scans, List<Sighting> sightings, List<Exception> exceptions, List<String> problems) {
    public History {
        scans = List.copyOf(scans);
        sightings = List.copyOf(sightings);
        exceptions = List.copyOf(exceptions);
        problems = List.copyOf(problems);
    }

    /** One scan of a target, and the database build it was matched with ("" when vulnerabilities were not scanned). */
    public record Scan(String application, String target, String model, Instant at, String databaseBuiltAt) {
        public Scan {
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A finding on a target from when it was first seen until it was fixed (null while it is open).
     *
     * @param kevDueDate CISA's due date when the vulnerability is in the KEV catalog
     */
    public record Sighting(
            String application,
            String target,
            String vulnerabilityId,
            String purl,
            Severity severity,
            @Nullable String kevDueDate,
            Instant firstSeen,
            @Nullable Instant fixedAt) {}

    /**
     * A suppression in force at a scan: what it covered and what it says of itself.
     *
     * @param kind {@code vulnerability} or {@code misconfiguration}
     * @param findingId the vulnerability id or the check id
     * @param subject the package (its purl) or the file of a check finding
     * @param seenAt when it was seen in force (a saved report's scan) or made (a server's exception)
     * @param until when it stopped being in force: the scan itself for a saved report, a server exception's
     *     revocation or expiry, or null while it holds
     */
    public record Exception(
            String application,
            String target,
            String kind,
            String findingId,
            String subject,
            String source,
            String reason,
            @Nullable String owner,
            @Nullable String approvedBy,
            @Nullable String expires,
            Instant seenAt,
            @Nullable Instant until) {
        public static final String VULNERABILITY = "vulnerability";
        public static final String MISCONFIGURATION = "misconfiguration";
    }
}
