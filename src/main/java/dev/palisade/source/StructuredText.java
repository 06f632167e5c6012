package dev.palisade.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Parses the JSON, YAML and TOML of lock files and manifests into trees, with the parsers' own
 * guards set: nesting depth, string length, YAML aliases (no billion laughs) and document size.
 * Parsing never executes anything and never resolves YAML tags to classes.
 */
public final class StructuredText {
    private static final int MAX_NESTING = 200;
    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING)
            .maxStringLength(16 * 1024 * 1024)
            .maxNumberLength(100)
            .build();
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final ObjectMapper TOML = TomlMapper.builder(TomlFactory.builder().streamReadConstraints(CONSTRAINTS).build())
            .build();

    private StructuredText() {}

    public static JsonNode json(byte[] bytes) throws IOException {
        JsonNode node = JSON.readTree(bytes);
        if (node == null) {
            throw new IOException("empty document");
        }
        return node;
    }

    public static JsonNode toml(byte[] bytes) throws IOException {
        return TOML.readTree(bytes);
    }

    public static JsonNode yaml(byte[] bytes) throws IOException {
        JsonNode node = yamlMapper(bytes.length).readTree(bytes);
        if (node == null) {
            throw new IOException("empty document");
        }
        return node;
    }

    /** Every document of a multi-document YAML stream ({@code ---} separated), empty ones left out. */
    public static java.util.List<JsonNode> yamlDocuments(byte[] bytes) throws IOException {
        java.util.List<JsonNode> documents = new java.util.ArrayList<>();
        try (com.fasterxml.jackson.databind.MappingIterator<JsonNode> it = yamlMapper(bytes.length).readerFor(JsonNode.class).readValues(bytes)) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    documents.add(node);
                }
            }
        }
        return documents;
    }

    private static YAMLMapper yamlMapper(int length) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(Math.max(length, 1));
        options.setAllowDuplicateKeys(true);
        return new YAMLMapper(YAMLFactory.builder().loaderOptions(options).streamReadConstraints(CONSTRAINTS).build());
    }

    /** A field's text, or "" when it is missing or not a string. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : "";
    }
}
