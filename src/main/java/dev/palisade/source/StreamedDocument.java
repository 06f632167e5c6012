package dev.palisade.source;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A JSON or YAML document read as a stream, for lock files too large to hold as one tree (a tree takes
 * some ten times the bytes of its text). The same guards as {@link StructuredText#json} and
 * {@link StructuredText#yaml}, and the same answers as walking their tree: {@link #open} reads the whole
 * document once first, so a document they refuse is refused with the same message before a reader
 * sees any of it; of a key that appears twice in an object, the first position and the last value
 * count; only the first document of a YAML stream is read.
 */
public final class StreamedDocument {
    /** Reads one value: the parser is on its first token and is left on its last. */
    @FunctionalInterface
    public interface ValueReader<T> {
        @Nullable
        T read(String key, JsonParser parser) throws IOException;
    }

    /** A new parser over the same bytes, with the same guards. */
    @FunctionalInterface
    interface Parsers {
        JsonParser open() throws IOException;
    }

    /** Of up to this many distinct keys of the root object, where the last of each is and what it holds. */
    private static final int ROOT_KEYS_RECORDED = 256;

    private final Parsers parsers;
    private final String format;
    private final Map<String, RootMember> rootMembers = new java.util.HashMap<>();
    private boolean rootObject;
    private boolean allRootKeysRecorded = true;

    /** The last of the root object's members with one key: its position among those with that key, and its first token. */
    private record RootMember(int occurrence, JsonToken kind) {}

    private StreamedDocument(Parsers parsers, String format) {
        this.parsers = parsers;
        this.format = format;
    }

    static StreamedDocument open(Parsers parsers, String format) throws IOException {
        StreamedDocument document = new StreamedDocument(parsers, format);
        document.check();
        return document;
    }

    /**
     * The entries of the object at {@code path} (each key of the root object, then of the object found there),
     * as a tree's {@code path(...).fields()} gives them: none when there is no object there.
     */
    public <T> List<T> members(List<String> path, ValueReader<T> reader) throws IOException {
        return read(path, parser -> members(parser, reader));
    }

    /**
     * The values of the object or the elements of the array at {@code path}, as a tree's
     * {@code path(...).elements()} gives them (the key is "" for an array element).
     */
    public <T> List<T> elements(List<String> path, ValueReader<T> reader) throws IOException {
        return read(path, parser -> elements(parser, reader));
    }

    /** The first token of the value at {@code path}, or null when there is none. */
    public @Nullable JsonToken kind(List<String> path) throws IOException {
        if (path.size() == 1 && allRootKeysRecorded) {
            RootMember member = rootObject ? rootMembers.get(path.get(0)) : null;
            return member == null ? null : member.kind();
        }
        List<JsonToken> kind = read(path, parser -> List.of(parser.currentToken()));
        return kind.isEmpty() ? null : kind.get(0);
    }

    /** The entries of the object the parser is on (nothing when it is on something else), which it then skips. */
    public static <T> List<T> members(JsonParser parser, ValueReader<T> reader) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return List.of();
        }
        Map<String, @Nullable T> read = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            read.put(key, reader.read(key, parser));
        }
        List<T> values = new ArrayList<>(read.size());
        for (T value : read.values()) {
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /** The values of the object or the elements of the array the parser is on, which it then skips. */
    public static <T> List<T> elements(JsonParser parser, ValueReader<T> reader) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            return members(parser, reader);
        }
        List<T> values = new ArrayList<>();
        for (JsonToken token = parser.nextToken();
                token != JsonToken.END_ARRAY && token != null;
                token = parser.nextToken()) {
            T value = reader.read("", parser);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    private interface Reader<T> {
        List<T> read(JsonParser parser) throws IOException;
    }

    /** Goes to the value at {@code path}, where the last of duplicate keys is the one that counts. */
    private <T> List<T> read(List<String> path, Reader<T> reader) throws IOException {
        int[] occurrence = new int[path.size()];
        int known = 0;
        if (!path.isEmpty() && allRootKeysRecorded) {
            RootMember member = rootMembers.get(path.get(0));
            if (!rootObject || member == null) {
                return List.of();
            }
            occurrence[0] = member.occurrence();
            known = 1;
        }
        for (int level = known; level < path.size(); level++) {
            try (JsonParser parser = parsers.open()) {
                if (!descend(parser, path, occurrence, level) || parser.currentToken() != JsonToken.START_OBJECT) {
                    return List.of();
                }
                int last = -1;
                int seen = 0;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    if (parser.currentName().equals(path.get(level))) {
                        last = seen++;
                    }
                    parser.nextToken();
                    parser.skipChildren();
                }
                if (last < 0) {
                    return List.of();
                }
                occurrence[level] = last;
            } catch (JacksonException e) {
                throw StructuredText.notValid(format, e); // checked already: not expected
            }
        }
        try (JsonParser parser = parsers.open()) {
            if (!descend(parser, path, occurrence, path.size())) {
                return List.of();
            }
            return reader.read(parser);
        } catch (JacksonException e) {
            throw StructuredText.notValid(format, e);
        }
    }

    /** Puts the parser on the first token of the value at the first {@code levels} keys of {@code path}. */
    private static boolean descend(JsonParser parser, List<String> path, int[] occurrence, int levels)
            throws IOException {
        if (parser.nextToken() == null) {
            return false;
        }
        for (int level = 0; level < levels; level++) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                return false;
            }
            int seen = 0;
            boolean found = false;
            while (!found && parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean named = parser.currentName().equals(path.get(level));
                parser.nextToken();
                if (named && seen++ == occurrence[level]) {
                    found = true;
                } else {
                    parser.skipChildren();
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the first document whole, decoding every string and number as building its tree would, so that the
     * same guards (string and number length, nesting depth) refuse the same documents.
     */
    private void check() throws IOException {
        try (JsonParser parser = parsers.open()) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return; // no document: a tree of nothing, in which nothing is found
            }
            rootObject = token == JsonToken.START_OBJECT;
            Map<String, Integer> counts = new java.util.HashMap<>();
            int depth = 0;
            do {
                if (depth == 1 && token == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    token = parser.nextToken(); // the value's first token
                    if (token == null) {
                        break;
                    }
                    if (counts.containsKey(key) || counts.size() < ROOT_KEYS_RECORDED) {
                        int occurrence = counts.merge(key, 1, Integer::sum) - 1;
                        rootMembers.put(key, new RootMember(occurrence, token));
                    } else {
                        allRootKeysRecorded = false;
                    }
                }
                switch (token) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_STRING -> parser.getText();
                    case VALUE_NUMBER_INT -> {
                        switch (parser.getNumberType()) {
                            case INT -> parser.getIntValue();
                            case LONG -> parser.getLongValue();
                            default -> parser.getBigIntegerValue();
                        }
                    }
                    case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
                    case VALUE_EMBEDDED_OBJECT -> parser.getEmbeddedObject();
                    default -> {}
                }
            } while (depth > 0 && (token = parser.nextToken()) != null);
        } catch (JacksonException e) {
            throw StructuredText.notValid(format, e);
        }
    }
}
