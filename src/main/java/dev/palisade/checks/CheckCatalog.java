package dev.palisade.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.match.Severity;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
            JsonNode root = StructuredText.yaml(in.readAllBytes());
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
}
