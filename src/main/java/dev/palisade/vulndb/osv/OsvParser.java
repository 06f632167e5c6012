package dev.palisade.vulndb.osv;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.palisade.vulndb.Advisory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Translates OSV JSON records into {@link Advisory} values, refusing records that lack what matching needs. */
public final class OsvParser {
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(
                            StreamReadConstraints.builder().maxNestingDepth(64).build())
                    .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private OsvParser() {}

    /** A record that is not a usable OSV advisory, with the reason. */
    public static final class MalformedRecordException extends IOException {
        public MalformedRecordException(String message) {
            super(message);
        }
    }

    public static Advisory parse(byte[] json, String source) throws MalformedRecordException {
        OsvJson.Record r;
        try {
            r = JSON.readValue(json, OsvJson.Record.class);
        } catch (IOException e) {
            throw new MalformedRecordException("not valid OSV JSON: " + e.getMessage());
        }
        if (r == null || r.id() == null || r.id().isBlank()) {
            throw new MalformedRecordException("record has no id");
        }
        if (r.modified() == null) {
            throw new MalformedRecordException(r.id() + ": record has no 'modified'");
        }
        Set<String> related = new LinkedHashSet<>();
        addAll(related, r.upstream());
        addAll(related, r.related());
        List<Advisory.Affected> affected = new ArrayList<>();
        if (r.affected() != null) {
            for (OsvJson.Affected a : r.affected()) {
                if (a == null
                        || a.pkg() == null
                        || a.pkg().ecosystem() == null
                        || a.pkg().name() == null) {
                    continue; // affected entries without a package name only carry GIT ranges
                }
                affected.add(new Advisory.Affected(
                        a.pkg().ecosystem(),
                        a.pkg().name(),
                        ranges(r.id(), a.ranges()),
                        a.versions() == null ? List.of() : a.versions(),
                        label(a.databaseSpecific(), a.ecosystemSpecific()),
                        moduleStream(a.pkg().purl())));
            }
        }
        List<Advisory.Score> scores = new ArrayList<>();
        if (r.severity() != null) {
            for (OsvJson.Severity s : r.severity()) {
                if (s != null && s.type() != null && s.score() != null) {
                    scores.add(new Advisory.Score(s.type(), s.score()));
                }
            }
        }
        List<String> references = new ArrayList<>();
        if (r.references() != null) {
            for (OsvJson.Reference ref : r.references()) {
                if (ref != null && ref.url() != null) {
                    references.add(ref.url());
                }
            }
        }
        return new Advisory(
                r.id(),
                r.aliases() == null ? List.of() : r.aliases(),
                List.copyOf(related),
                r.summary() == null ? "" : r.summary(),
                r.details() == null ? "" : r.details(),
                r.published(),
                r.modified(),
                r.withdrawn(),
                scores,
                label(r.databaseSpecific(), null),
                affected,
                references,
                source);
    }

    private static List<Advisory.Range> ranges(String id, @Nullable List<OsvJson.Range> ranges)
            throws MalformedRecordException {
        List<Advisory.Range> out = new ArrayList<>();
        if (ranges == null) {
            return out;
        }
        for (OsvJson.Range range : ranges) {
            if (range == null || range.type() == null || range.events() == null) {
                throw new MalformedRecordException(id + ": a range has no type or no events");
            }
            List<Advisory.Event> events = new ArrayList<>();
            for (OsvJson.Event e : range.events()) {
                if (e == null) {
                    continue;
                }
                if (e.introduced() != null) {
                    events.add(new Advisory.Event(Advisory.EventKind.INTRODUCED, e.introduced()));
                } else if (e.fixed() != null) {
                    events.add(new Advisory.Event(Advisory.EventKind.FIXED, e.fixed()));
                } else if (e.lastAffected() != null) {
                    events.add(new Advisory.Event(Advisory.EventKind.LAST_AFFECTED, e.lastAffected()));
                } else if (e.limit() != null) {
                    events.add(new Advisory.Event(Advisory.EventKind.LIMIT, e.limit()));
                }
            }
            out.add(new Advisory.Range(range.type().toUpperCase(Locale.ROOT), events));
        }
        return out;
    }

    private static @Nullable String label(@Nullable JsonNode databaseSpecific, @Nullable JsonNode ecosystemSpecific) {
        for (JsonNode node : new JsonNode[] {databaseSpecific, ecosystemSpecific}) {
            if (node != null && node.isObject()) {
                JsonNode severity = node.get("severity");
                if (severity != null
                        && severity.isTextual()
                        && !severity.asText().isBlank()) {
                    return severity.asText().toUpperCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    private static void addAll(Set<String> into, @Nullable List<String> values) {
        if (values != null) {
            values.stream().filter(v -> v != null && !v.isBlank()).forEach(into::add);
        }
    }

    /**
     * The module stream of a modular RPM, from the {@code rpmmod} qualifier Red Hat puts in the purl
     * ({@code pkg:rpm/redhat/nodejs@...?arch=src&rpmmod=nodejs:18:8080020230524113304:63b34585}): {@code nodejs:18}.
     */
    static @Nullable String moduleStream(@Nullable String purl) {
        if (purl == null) {
            return null;
        }
        int query = purl.indexOf('?');
        if (query < 0) {
            return null;
        }
        String qualifiers = purl.substring(query + 1);
        int hash = qualifiers.indexOf('#');
        if (hash >= 0) {
            qualifiers = qualifiers.substring(0, hash);
        }
        for (String qualifier : qualifiers.split("&")) {
            if (qualifier.startsWith("rpmmod=")) {
                String value;
                try {
                    value = java.net.URLDecoder.decode(
                            qualifier.substring("rpmmod=".length()), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null; // a malformed escape: no stream to select by
                }
                String[] parts = value.split(":", -1);
                return parts.length >= 2 && !parts[0].isEmpty() && !parts[1].isEmpty()
                        ? parts[0] + ":" + parts[1]
                        : null;
            }
        }
        return null;
    }
}
