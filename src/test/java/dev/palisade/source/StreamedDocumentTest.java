package dev.palisade.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A lock file read one entry at a time gives what walking its whole tree gives: the same entries in the same order
 * (of duplicate keys, the first position and the last value), nothing where the path holds no object or array, and
 * the same refusals. Checked on hand-made documents and on random ones with duplicate keys, wrong types and more root
 * keys than the stream records.
 */
class StreamedDocumentTest {
    private static final List<String> PATH = List.of("packages");
    private static final List<String> DEEP_PATH = List.of("packages", "node_modules");

    @Test
    void shouldReadWhatTheTreeHoldsOfHandMadeDocuments() throws IOException {
        for (String json : List.of(
                "{\"packages\": {\"a\": 1, \"b\": 2, \"a\": 3}}",
                "{\"packages\": {\"a\": 1}, \"packages\": {\"b\": {\"c\": [1, 2]}}}",
                "{\"packages\": [1, {\"x\": 2}, [3]]}",
                "{\"packages\": \"not an object\"}",
                "{\"packages\": null}",
                "{\"other\": {\"a\": 1}}",
                "[{\"packages\": {\"a\": 1}}]",
                "\"a string\"",
                "",
                "{\"packages\": {\"node_modules\": {\"x\": 1}, \"node_modules\": {\"y\": 2}}}",
                "{\"packages\": {}, \"packages\": {\"node_modules\": {\"z\": true}}}",
                "{\"packages\": {\"a\": 1}} trailing")) {
            assertSameAsTree(json);
        }
    }

    @Test
    void shouldFindAKeyThatComesAfterMoreRootKeysThanItRecords() throws IOException {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 300; i++) {
            json.append("\"k").append(i).append("\": ").append(i).append(", ");
        }
        json.append(
                "\"packages\": {\"early\": 1}, \"k5\": 0, \"packages\": {\"late\": 2, \"node_modules\": {\"n\": 3}}}");

        assertSameAsTree(json.toString());
        assertThat(members(StructuredText.jsonStream(bytes(json.toString())), PATH))
                .containsExactly("late=2", "node_modules={\"n\":3}");
    }

    @Test
    void shouldRefuseWhatTheTreeRefusesBeforeReadingAnyEntry() {
        for (String json :
                List.of("{\"packages\": {\"a\": 1, \"b\": ", "{\"packages\": [1, 2}", "{\"packages\": {\"a\": tru}}")) {
            assertThatThrownBy(() -> StructuredText.jsonStream(bytes(json)))
                    .as(json)
                    .isInstanceOf(IOException.class)
                    .hasMessage(messageOfTree(json));
        }
    }

    @Test
    void shouldReadWhatTheTreeHoldsOfRandomDocuments() throws IOException {
        Random random = new Random(20261130);
        for (int i = 0; i < 2000; i++) {
            assertSameAsTree(randomRoot(random));
        }
    }

    private static String messageOfTree(String json) {
        try {
            StructuredText.json(bytes(json));
        } catch (IOException e) {
            return e.getMessage();
        }
        throw new AssertionError("the tree reads " + json);
    }

    private static void assertSameAsTree(String json) throws IOException {
        JsonNode tree = StructuredText.json(bytes(json));
        StreamedDocument stream = StructuredText.jsonStream(bytes(json));
        for (List<String> path : List.of(PATH, DEEP_PATH)) {
            JsonNode node = tree;
            for (String key : path) {
                node = node.path(key);
            }
            List<String> fromTree = new ArrayList<>();
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    fromTree.add(field.getKey() + "=" + field.getValue());
                }
            }
            List<String> elementsFromTree = new ArrayList<>();
            for (JsonNode element : node) {
                elementsFromTree.add(element.toString());
            }
            assertThat(members(stream, path))
                    .as("members of %s in %s", path, json)
                    .isEqualTo(fromTree);
            assertThat(stream.elements(
                            path, (key, parser) -> StructuredText.treeOf(parser).toString()))
                    .as("elements of %s in %s", path, json)
                    .isEqualTo(elementsFromTree);
            assertThat(stream.kind(path) == null)
                    .as("kind of %s in %s", path, json)
                    .isEqualTo(node.isMissingNode());
        }
    }

    private static List<String> members(StreamedDocument stream, List<String> path) throws IOException {
        return stream.members(path, (key, parser) -> key + "=" + StructuredText.treeOf(parser));
    }

    private static String randomRoot(Random random) {
        if (random.nextInt(10) == 0) {
            return randomValue(random, 2);
        }
        StringBuilder json = new StringBuilder("{");
        int keys = random.nextInt(6);
        for (int k = 0; k < keys; k++) {
            if (k > 0) {
                json.append(", ");
            }
            String key = random.nextInt(3) == 0 ? "packages" : "k" + random.nextInt(3);
            json.append('"').append(key).append("\": ");
            json.append(key.equals("packages") && random.nextBoolean() ? packages(random) : randomValue(random, 2));
        }
        return json.append('}').toString();
    }

    private static String packages(Random random) {
        StringBuilder json = new StringBuilder("{");
        int keys = random.nextInt(5);
        for (int k = 0; k < keys; k++) {
            if (k > 0) {
                json.append(", ");
            }
            String key = random.nextInt(3) == 0 ? "node_modules" : "p" + random.nextInt(3);
            json.append('"').append(key).append("\": ").append(randomValue(random, 2));
        }
        return json.append('}').toString();
    }

    private static String randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 7 : 5);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> String.valueOf(random.nextInt(100) - 50);
            case 2 -> "\"s" + random.nextInt(10) + "\"";
            case 3 -> random.nextBoolean() ? "true" : "false";
            case 4 -> "1.5e" + random.nextInt(5);
            case 5 -> {
                StringBuilder array = new StringBuilder("[");
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.append(randomValue(random, depth - 1)).append(i > 1 ? ", " : "");
                }
                yield array.append(']').toString();
            }
            default -> {
                StringBuilder object = new StringBuilder("{");
                for (int i = random.nextInt(4); i > 0; i--) {
                    String key = random.nextInt(3) == 0 ? "node_modules" : "q" + random.nextInt(2);
                    object.append('"')
                            .append(key)
                            .append("\": ")
                            .append(randomValue(random, depth - 1))
                            .append(i > 1 ? ", " : "");
                }
                yield object.append('}').toString();
            }
        };
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
