package dev.palisade.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Palisade's JSON report, parsed, for assertions on its fields rather than on its layout. */
public final class JsonReports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonReports() {}

    /** The one JSON document {@code json} holds (anything after it fails, as text before it does). */
    public static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not a JSON report: " + json, e);
        }
    }

    /** The elements of a top-level array of the report ({@code misconfigurations}, {@code vulnerabilities}...). */
    public static List<JsonNode> elements(JsonNode report, String array) {
        List<JsonNode> elements = new ArrayList<>();
        report.path(array).forEach(elements::add);
        return elements;
    }

    /** One text field of each element of a top-level array, in report order. */
    public static List<String> texts(JsonNode report, String array, String field) {
        return elements(report, array).stream().map(e -> e.path(field).asText()).toList();
    }

    public static List<JsonNode> misconfigurations(JsonNode report) {
        return elements(report, "misconfigurations");
    }

    /** The check id of each misconfiguration (secrets included). */
    public static List<String> ids(JsonNode report) {
        return texts(report, "misconfigurations", "id");
    }

    /** The message of each misconfiguration. */
    public static List<String> messages(JsonNode report) {
        return texts(report, "misconfigurations", "message");
    }

    /** The id of each reported vulnerability. */
    public static List<String> vulnerabilities(JsonNode report) {
        return texts(report, "vulnerabilities", "id");
    }

    public static List<String> packages(JsonNode report) {
        return texts(report, "packages", "name");
    }

    public static List<String> purls(JsonNode report) {
        return texts(report, "packages", "purl");
    }

    /** The reason of each problem. */
    public static List<String> problems(JsonNode report) {
        return texts(report, "problems", "reason");
    }
}
