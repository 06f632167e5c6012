package dev.palisade.vulndb;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One advisory, whole, as the vulnerability database keeps it (translated from OSV).
 *
 * @param aliases ids of the same vulnerability in other databases (CVE, GHSA...)
 * @param related ids of related vulnerabilities (Debian advisories list the CVEs they fix here)
 * @param severities the advisory's scores: CVSS vectors with their type
 * @param severityLabel a qualitative severity the database states ({@code database_specific.severity})
 * @param withdrawn when the advisory was withdrawn; withdrawn advisories never match
 */
public record Advisory(
        String id,
        List<String> aliases,
        List<String> related,
        String summary,
        String details,
        @Nullable String published,
        String modified,
        @Nullable String withdrawn,
        List<Score> severities,
        @Nullable String severityLabel,
        List<Affected> affected,
        List<String> references,
        String source) {

    public Advisory {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(modified, "modified");
        aliases = List.copyOf(aliases);
        related = List.copyOf(related);
        severities = List.copyOf(severities);
        affected = List.copyOf(affected);
        references = List.copyOf(references);
    }

    /** A severity score as OSV gives it: {@code CVSS_V3} and a vector, say. */
    public record Score(String type, String score) {}

    /**
     * One package the advisory affects, with the versions it affects.
     *
     * @param module the RPM module stream the entry is about ({@code nodejs:18}, from the {@code rpmmod}
     *     qualifier of the package's purl, as Red Hat writes it), or null
     */
    public record Affected(
            String ecosystem,
            String name,
            List<Range> ranges,
            List<String> versions,
            @Nullable String severityLabel,
            @Nullable String module) {
        public Affected {
            ranges = List.copyOf(ranges);
            versions = List.copyOf(versions);
        }

        public Affected(
                String ecosystem,
                String name,
                List<Range> ranges,
                List<String> versions,
                @Nullable String severityLabel) {
            this(ecosystem, name, ranges, versions, severityLabel, null);
        }
    }

    /** An OSV range: its type ({@code ECOSYSTEM}, {@code SEMVER}, {@code GIT}) and its events in order. */
    public record Range(String type, List<Event> events) {
        public Range {
            events = List.copyOf(events);
        }
    }

    /** An OSV range event. */
    public record Event(EventKind kind, String version) {}

    public enum EventKind {
        INTRODUCED,
        FIXED,
        LAST_AFFECTED,
        LIMIT
    }

    public boolean isWithdrawn() {
        return withdrawn != null;
    }

    public Optional<String> severityLabelOptional() {
        return Optional.ofNullable(severityLabel);
    }
}
