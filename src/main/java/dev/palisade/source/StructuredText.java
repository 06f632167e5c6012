package dev.palisade.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
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
    private static final ObjectMapper JSON = JsonMapper.builder(
                    JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final ObjectMapper TOML = TomlMapper.builder(
                    TomlFactory.builder().streamReadConstraints(CONSTRAINTS).build())
            .build();

    private StructuredText() {}

    public static JsonNode json(byte[] bytes) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw notValid("JSON", e);
        }
        if (node == null) {
            throw new IOException("empty document");
        }
        return node;
    }

    /**
     * A parse error a user can act on: what the text is not, where, and the parser's own first line,
     * without the parser's class names and without quoting the document (which may hold a secret). A document
     * beyond one of the parser's guards (nesting, string, number or name length) is said to be, not to be invalid.
     */
    public static IOException notValid(String format, com.fasterxml.jackson.core.JacksonException e) {
        com.fasterxml.jackson.core.JsonLocation where = e.getLocation();
        String location = where == null || where.getLineNr() < 1
                ? ""
                : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
        if (e instanceof StreamConstraintsException limit) {
            return new IOException(format + " beyond the parser's limits" + location + ": " + limitReason(limit), e);
        }
        String reason = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        int newline = reason.indexOf('\n');
        reason = newline < 0 ? reason : reason.substring(0, newline);
        reason = reason.replaceAll("\\s*\\(start marker at \\[Source:.*?]\\)", "");
        return new IOException("not valid " + format + location + (reason.isBlank() ? "" : ": " + reason.strip()), e);
    }

    /**
     * Which guard a document passed, in the parser's words without the name of its settings class: "document
     * nesting depth (201) exceeds the maximum allowed (200)".
     */
    public static String limitReason(StreamConstraintsException e) {
        String reason =
                e.getOriginalMessage() == null ? "" : e.getOriginalMessage().strip();
        int newline = reason.indexOf('\n');
        reason = newline < 0 ? reason : reason.substring(0, newline);
        reason = reason.replaceAll(",\\s*from\\s*`[^`]*`", "");
        return reason.isEmpty()
                ? "a parser limit was exceeded"
                : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }

    /**
     * A guarded streaming parser over a JSON document, for documents too large to hold as one tree:
     * the caller reads one element at a time with {@link JsonParser#readValueAsTree()}.
     */
    public static JsonParser jsonParser(byte[] bytes) throws IOException {
        return JSON.createParser(bytes);
    }

    /** The JSON document as a stream, for files too large to hold as one tree: see {@link StreamedDocument}. */
    public static StreamedDocument jsonStream(byte[] bytes) throws IOException {
        return StreamedDocument.open(() -> JSON.createParser(bytes), "JSON");
    }

    /** The first YAML document as a stream, for files too large to hold as one tree: see {@link StreamedDocument}. */
    public static StreamedDocument yamlStream(byte[] bytes) throws IOException {
        YAMLMapper mapper = yamlMapper(bytes.length);
        return StreamedDocument.open(() -> mapper.createParser(bytes), "YAML");
    }

    /** The value the parser is on, as a tree (a JSON null as a null node); the parser is left on its last token. */
    public static JsonNode treeOf(JsonParser parser) throws IOException {
        JsonNode node = parser.readValueAsTree();
        return node == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : node;
    }

    public static JsonNode toml(byte[] bytes) throws IOException {
        try {
            return TOML.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw notValid("TOML", e);
        }
    }

    public static JsonNode yaml(byte[] bytes) throws IOException {
        JsonNode node;
        try {
            node = yamlMapper(bytes.length).readTree(bytes);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw notValid("YAML", e);
        }
        if (node == null) {
            throw new IOException("empty document");
        }
        return node;
    }

    /** Every document of a multi-document YAML stream ({@code ---} separated), empty ones left out. */
    public static java.util.List<JsonNode> yamlDocuments(byte[] bytes) throws IOException {
        java.util.List<JsonNode> documents = new java.util.ArrayList<>();
        try (com.fasterxml.jackson.databind.MappingIterator<JsonNode> it =
                yamlMapper(bytes.length).readerFor(JsonNode.class).readValues(bytes)) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                if (node != null
                        && !node.isNull()
                        && !node.isMissingNode()
                        && !(node.isTextual() && node.asText().isEmpty())) {
                    documents.add(node);
                }
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw notValid("YAML", e);
        } catch (RuntimeException e) {
            // MappingIterator wraps parse errors in an unchecked exception
            if (e.getCause() instanceof com.fasterxml.jackson.core.JacksonException cause) {
                throw notValid("YAML", cause);
            }
            throw e;
        }
        return documents;
    }

    /**
     * The 1-based line of every key and array element of a JSON or YAML stream, by key path: the
     * {@code [N]} index of the document (as {@link #yamlDocuments} counts them), then
     * {@code a.b[0].c}. Paths in the first document are also recorded without the {@code [0]}.
     */
    public static Map<String, Integer> keyLines(byte[] bytes, boolean json) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        ObjectMapper mapper = json ? JSON : yamlMapper(bytes.length);
        try (JsonParser parser = mapper.getFactory().createParser(bytes)) {
            ArrayDeque<Frame> open = new ArrayDeque<>();
            int document = 0;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                int line = parser.currentTokenLocation().getLineNr();
                if (token == JsonToken.FIELD_NAME) {
                    Frame object = open.peek();
                    object.field = (open.size() == 1 ? object.path : object.path + ".") + parser.currentName();
                    record(lines, object.field, line);
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    open.pop();
                    if (open.isEmpty()) {
                        document++;
                    }
                } else {
                    Frame parent = open.peek();
                    String here;
                    if (parent == null) {
                        if (token == JsonToken.VALUE_NULL
                                || (token == JsonToken.VALUE_STRING
                                        && parser.getText().isEmpty())) {
                            continue; // an empty document, which yamlDocuments leaves out too
                        }
                        here = "[" + document + "]";
                    } else if (parent.array) {
                        here = parent.path + "[" + parent.next++ + "]";
                        record(lines, here, line);
                    } else {
                        here = parent.field;
                    }
                    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                        open.push(new Frame(here, token == JsonToken.START_ARRAY));
                    } else if (parent == null) {
                        document++;
                    }
                }
            }
        }
        return lines;
    }

    /** An object or array being read: its key path, and the next element's index or the current field's path. */
    private static final class Frame {
        final String path;
        final boolean array;
        int next;
        String field = "";

        Frame(String path, boolean array) {
            this.path = path;
            this.array = array;
        }
    }

    private static void record(Map<String, Integer> lines, String path, int line) {
        lines.putIfAbsent(path, line);
        if (path.startsWith("[0]") && path.length() > 3) {
            String withoutDocument = path.substring(3);
            lines.putIfAbsent(withoutDocument.startsWith(".") ? withoutDocument.substring(1) : withoutDocument, line);
        }
    }

    private static YAMLMapper yamlMapper(int length) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(Math.max(length, 1));
        options.setAllowDuplicateKeys(true);
        return new YAMLMapper(YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(CONSTRAINTS)
                .build());
    }

    /** A field's text, or "" when it is missing or not a string. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : "";
    }
}
