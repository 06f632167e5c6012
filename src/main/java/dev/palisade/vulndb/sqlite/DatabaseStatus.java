package dev.palisade.vulndb.sqlite;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a database file holds: when it was built and checked, and each source with its record counts. */
public record DatabaseStatus(Map<String, String> meta, List<Source> sources) {
    public DatabaseStatus {
        meta = Map.copyOf(meta);
        sources = List.copyOf(sources);
    }

    /** @param name an OSV ecosystem or {@code KEV} */
    public record Source(String name, String location, String fetchedAt, long records, long malformed) {}

    public Optional<Instant> checkedAt() {
        String value = meta.get("checked_at");
        return value == null ? Optional.empty() : Optional.of(Instant.parse(value));
    }

    public Duration age(Instant now) {
        return checkedAt().map(t -> Duration.between(t, now)).orElse(Duration.ofDays(36500));
    }
}
