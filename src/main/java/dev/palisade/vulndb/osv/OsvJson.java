package dev.palisade.vulndb.osv;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The OSV schema's wire shapes (ossf.github.io/osv-schema). Only the translator sees them. */
final class OsvJson {
    private OsvJson() {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Record(
            @Nullable String id,
            @Nullable String modified,
            @Nullable String published,
            @Nullable String withdrawn,
            @Nullable List<String> aliases,
            @Nullable List<String> related,
            @Nullable List<String> upstream,
            @Nullable String summary,
            @Nullable String details,
            @Nullable List<Severity> severity,
            @Nullable List<Affected> affected,
            @Nullable List<Reference> references,
            @JsonProperty("database_specific") @Nullable JsonNode databaseSpecific) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Severity(@Nullable String type, @Nullable String score) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Affected(
            @JsonProperty("package") @Nullable PackageRef pkg,
            @Nullable List<Range> ranges,
            @Nullable List<String> versions,
            @Nullable List<Severity> severity,
            @JsonProperty("ecosystem_specific") @Nullable JsonNode ecosystemSpecific,
            @JsonProperty("database_specific") @Nullable JsonNode databaseSpecific) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PackageRef(@Nullable String ecosystem, @Nullable String name, @Nullable String purl) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Range(@Nullable String type, @Nullable String repo, @Nullable List<Event> events) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Event(
            @Nullable String introduced,
            @Nullable String fixed,
            @JsonProperty("last_affected") @Nullable String lastAffected,
            @Nullable String limit) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Reference(@Nullable String type, @Nullable String url) {}
}
