package dev.palisade.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.match.Severity;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The history a Palisade server kept, read through its API: every application's scans
 * ({@code /scans}) and finding events ({@code /history}: new, resolved, reopened), page by page.
 */
public final class ServerHistory {
    /** Reads one API path (with its query) and returns the JSON body; the entry point owns the HTTP. */
    @FunctionalInterface
    public interface Api {
        byte[] get(String pathAndQuery) throws IOException;
    }

    /** More pages than this of one list is a server answering in circles. */
    static final int MAX_PAGES = 10_000;

    private final ObjectMapper json = new ObjectMapper();
    private final Api api;

    public ServerHistory(Api api) {
        this.api = api;
    }

    private record Event(
            Instant at,
            String event,
            String target,
            String vulnerabilityId,
            String purl,
            Severity severity,
            @Nullable String kevDueDate) {}

    public History read() throws IOException {
        List<History.Scan> scans = new ArrayList<>();
        List<History.Sighting> sightings = new ArrayList<>();
        List<History.Exception> exceptions = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode a : read("/api/v1/applications").path("applications")) {
            String application = a.path("name").asText();
            String base = "/api/v1/applications/" + URLEncoder.encode(application, StandardCharsets.UTF_8);
            for (JsonNode s : pages(base + "/scans", "scans")) {
                scans.add(new History.Scan(
                        application,
                        s.path("target").asText(),
                        s.path("model").asText(),
                        Instant.parse(s.path("submittedAt").asText()),
                        s.path("databaseBuiltAt").asText("")));
            }
            List<Event> events = new ArrayList<>();
            for (JsonNode e : pages(base + "/history", "events")) {
                JsonNode kev = e.get("kevDueDate");
                events.add(new Event(
                        Instant.parse(e.path("at").asText()),
                        e.path("event").asText(),
                        e.path("target").asText(),
                        e.path("vulnerabilityId").asText(),
                        e.path("package").path("purl").asText(),
                        Severity.valueOf(e.path("severity").asText("UNKNOWN")),
                        kev == null || kev.isNull() ? null : kev.asText()));
            }
            events.sort(Comparator.comparing(Event::at)); // the API lists newest first
            Map<String, Sightings> byTarget = new LinkedHashMap<>();
            for (Event e : events) {
                Sightings target = byTarget.computeIfAbsent(e.target(), t -> new Sightings(application, t));
                if (e.event().equals("resolved")) {
                    target.gone(e.vulnerabilityId(), e.purl(), e.at());
                } else {
                    target.seen(e.vulnerabilityId(), e.purl(), e.severity(), e.kevDueDate(), e.at());
                }
            }
            byTarget.values().forEach(t -> sightings.addAll(t.sightings()));
            for (JsonNode s : read(base + "/suppressions?status=all").path("suppressions")) {
                exceptions.add(new History.Exception(
                        application,
                        s.path("target").isTextual() ? s.path("target").asText() : "*",
                        s.path("kind").asText(History.Exception.VULNERABILITY),
                        s.path("findingId").asText(),
                        s.path("subject").isTextual() ? s.path("subject").asText() : "*",
                        "server suppression " + s.path("id").asText()
                                + (s.path("revokedAt").isTextual()
                                        ? ", revoked " + s.path("revokedAt").asText() + " by "
                                                + s.path("revokedBy").asText()
                                        : ""),
                        s.path("reason").asText(),
                        text(s, "owner"),
                        text(s, "approvedBy"),
                        text(s, "expires"),
                        Instant.parse(s.path("createdAt").asText()),
                        until(s)));
            }
        }
        return new History(scans, sightings, exceptions, problems);
    }

    private JsonNode read(String pathAndQuery) throws IOException {
        byte[] body = api.get(pathAndQuery);
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new IOException("the server's answer to " + pathAndQuery + " is not JSON");
        }
    }

    private List<JsonNode> pages(String path, String field) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        String next = path + "?limit=1000";
        for (int page = 0; next != null; page++) {
            if (page >= MAX_PAGES) {
                throw new IOException(path + ": more than " + MAX_PAGES + " pages");
            }
            JsonNode body = read(next);
            body.path(field).forEach(out::add);
            JsonNode following = body.get("next");
            next = following == null || following.isNull() ? null : following.asText();
            if (next != null && !next.startsWith("/api/v1/")) {
                throw new IOException(path + ": the server named a next page outside its API: " + next);
            }
        }
        return out;
    }

    /** The end of a server exception: its revocation, else the end of its expiry day (UTC), else none. */
    private static @Nullable Instant until(JsonNode suppression) {
        String revoked = text(suppression, "revokedAt");
        if (revoked != null) {
            return Instant.parse(revoked);
        }
        String expires = text(suppression, "expires");
        return expires == null
                ? null
                : java.time.LocalDate.parse(expires)
                        .plusDays(1)
                        .atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant();
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }
}
