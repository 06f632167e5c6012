package dev.palisade.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.match.Severity;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The checks Palisade knows, read from {@code checks.yaml} on the class path. */
public final class CheckCatalog {
    private final Map<String, CheckMetadata> checks;
    private final Map<String, Benchmark> benchmarks;

    /** A benchmark profile: the checks that name it in their {@code benchmarks} are exactly its checks. */
    public record Benchmark(String id, String title) {}

    private CheckCatalog(Map<String, CheckMetadata> checks, Map<String, Benchmark> benchmarks) {
        this.checks = java.util.Collections.unmodifiableMap(new TreeMap<>(checks));
        this.benchmarks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(benchmarks));
    }

    public static CheckCatalog load() {
        try (InputStream in = CheckCatalog.class.getResourceAsStream("checks.yaml")) {
            if (in == null) {
                throw new IllegalStateException("checks.yaml is missing from the class path");
            }
            byte[] bytes = in.readAllBytes();
            JsonNode root = PlainListsYaml.parse(bytes);
            if (root == null) {
                root = StructuredText.yaml(bytes);
            }
            Map<String, Benchmark> benchmarks = new java.util.LinkedHashMap<>();
            for (JsonNode b : root.path("benchmarks")) {
                Benchmark benchmark =
                        new Benchmark(b.path("id").asText(), b.path("title").asText());
                if (benchmarks.put(benchmark.id(), benchmark) != null) {
                    throw new IllegalStateException("checks.yaml: duplicate benchmark " + benchmark.id());
                }
            }
            Map<String, CheckMetadata> checks = new TreeMap<>();
            for (JsonNode c : root.path("checks")) {
                Set<CheckMetadata.Model> models = EnumSet.noneOf(CheckMetadata.Model.class);
                c.path("models")
                        .forEach(m -> models.add(
                                CheckMetadata.Model.valueOf(m.asText().toUpperCase(Locale.ROOT))));
                List<String> references = new ArrayList<>();
                c.path("references").forEach(r -> references.add(r.asText()));
                Set<String> memberOf = new java.util.TreeSet<>();
                for (JsonNode b : c.path("benchmarks")) {
                    if (!benchmarks.containsKey(b.asText())) {
                        throw new IllegalStateException(
                                "checks.yaml: " + c.path("id").asText() + " names the unknown benchmark " + b.asText());
                    }
                    memberOf.add(b.asText());
                }
                CheckMetadata check = new CheckMetadata(
                        c.path("id").asText(),
                        c.path("title").asText(),
                        Severity.valueOf(c.path("severity").asText()),
                        models,
                        c.path("why").asText(),
                        c.path("fix").asText(),
                        references,
                        memberOf);
                if (checks.put(check.id(), check) != null) {
                    throw new IllegalStateException("checks.yaml: duplicate id " + check.id());
                }
            }
            return new CheckCatalog(checks, benchmarks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public CheckMetadata get(String id) {
        CheckMetadata check = checks.get(id);
        if (check == null) {
            throw new IllegalArgumentException("no check " + id + " in checks.yaml");
        }
        return check;
    }

    public Collection<CheckMetadata> all() {
        return checks.values();
    }

    /** The benchmark profiles checks.yaml defines, in its order. */
    public Collection<Benchmark> benchmarks() {
        return benchmarks.values();
    }

    /** The profile {@code id}; the error names the known ones. */
    public Benchmark benchmark(String id) {
        Benchmark benchmark = benchmarks.get(id);
        if (benchmark == null) {
            throw new IllegalArgumentException(
                    "unknown benchmark '" + id + "' (use " + String.join(", ", benchmarks.keySet()) + ")");
        }
        return benchmark;
    }

    /** The checks of a profile, by id. */
    public List<CheckMetadata> checksOf(Benchmark benchmark) {
        return checks.values().stream()
                .filter(c -> c.benchmarks().contains(benchmark.id()))
                .toList();
    }

    /**
     * Reads checks.yaml as it is written (top-level keys, each a list of flat mappings whose values are
     * one-line plain or double-quoted scalars or flow lists of them) into the tree the YAML parser would
     * build, without starting the YAML parser: every scan loads the catalog, and parsing 36 KB of YAML is
     * a noticeable part of a short scan before the JIT has compiled it. Anything outside that shape (a
     * comment after a value, a multi-line or escaped scalar, a value YAML would read as a number, a
     * boolean or null) makes it give up and return null, and the YAML parser reads the file instead.
     */
    static final class PlainListsYaml {
        private static final Pattern TOP = Pattern.compile("([a-z][A-Za-z0-9_-]*):");
        private static final Pattern FIELD = Pattern.compile("(  - |    )([a-z][A-Za-z0-9_-]*): (\\S.*)");
        /** Plain scalars YAML 1.1 reads as something other than a string, and anything that might be one. */
        private static final Pattern NOT_TEXT = Pattern.compile("(?i)[-+.~0-9<=].*|y|n|yes|no|true|false|on|off|null");

        private static final Pattern FLOW = Pattern.compile("[\\[\\]{}]");
        private static final String INDICATORS = "-?:,[]{}#&*!|>'\"%@`";

        private PlainListsYaml() {}

        static @Nullable JsonNode parse(byte[] bytes) {
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            ObjectNode root = nodes.objectNode();
            ArrayNode list = null;
            ObjectNode item = null;
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
                String text = line.stripTrailing();
                if (text.isEmpty() || text.stripLeading().startsWith("#")) {
                    continue;
                }
                Matcher top = TOP.matcher(text);
                if (top.matches()) {
                    if (root.has(top.group(1)) || (list != null && list.isEmpty())) {
                        return null;
                    }
                    list = root.putArray(top.group(1));
                    item = null;
                    continue;
                }
                Matcher field = FIELD.matcher(text);
                if (!field.matches() || list == null) {
                    return null;
                }
                if (field.group(1).startsWith("  -")) {
                    item = list.addObject();
                } else if (item == null || item.has(field.group(2))) {
                    return null;
                }
                JsonNode value = value(field.group(3), nodes);
                if (value == null) {
                    return null;
                }
                item.set(field.group(2), value);
            }
            return list == null || list.isEmpty() ? null : root;
        }

        private static @Nullable JsonNode value(String text, JsonNodeFactory nodes) {
            if (!text.startsWith("[")) {
                String scalar = scalar(text, false);
                return scalar == null ? null : nodes.textNode(scalar);
            }
            if (!text.endsWith("]")) {
                return null;
            }
            ArrayNode values = nodes.arrayNode();
            String inner = text.substring(1, text.length() - 1).strip();
            if (inner.isEmpty()) {
                return values;
            }
            for (String element : inner.split(",", -1)) {
                String scalar = scalar(element.strip(), true);
                if (scalar == null) {
                    return null;
                }
                values.add(scalar);
            }
            return values;
        }

        /**
         * A plain or double-quoted scalar without escapes, or null for anything else; in a flow list
         * ({@code inFlow}) brackets and braces are structure, so a plain scalar holding one is refused.
         */
        private static @Nullable String scalar(String text, boolean inFlow) {
            if (text.isEmpty() || text.indexOf('\t') >= 0) {
                return null;
            }
            if (text.startsWith("\"")) {
                if (text.length() < 2 || !text.endsWith("\"")) {
                    return null;
                }
                String inner = text.substring(1, text.length() - 1);
                return inner.indexOf('"') < 0 && inner.indexOf('\\') < 0 ? inner : null;
            }
            boolean plain = INDICATORS.indexOf(text.charAt(0)) < 0
                    && !text.contains(": ")
                    && !text.contains(" #")
                    && !text.endsWith(":")
                    && !(inFlow && FLOW.matcher(text).find())
                    && !NOT_TEXT.matcher(text).matches();
            return plain ? text : null;
        }
    }
}
