package dev.palisade.checks;

import dev.palisade.match.Severity;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a check is: stable id, title, severity, the deployment models it applies to, why it matters,
 * how to fix it, the standards it maps to, and the benchmark profiles it belongs to. Loaded from
 * {@code checks.yaml}.
 */
public record CheckMetadata(
        String id,
        String title,
        Severity severity,
        Set<Model> models,
        String why,
        String fix,
        List<String> references,
        Set<String> benchmarks) {

    /** The deployment models a check concerns. */
    public enum Model {
        FUNCTION,
        CONTAINER,
        VM
    }

    public CheckMetadata {
        Objects.requireNonNull(id, "id");
        models = Set.copyOf(models);
        references = List.copyOf(references);
        benchmarks = Set.copyOf(benchmarks);
    }
}
