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

    private CheckCatalog(Map<String, CheckMetadata> checks) {
        this.checks = java.util.Collections.unmodifiableMap(new TreeMap<>(checks));
    }

    public static CheckCatalog load() {
        try (InputStream in = CheckCatalog.class.getResourceAsStream("checks.yaml")) {
            if (in == null) {
                throw new IllegalStateException("checks.yaml is missing from the class path");
            }
            JsonNode root = StructuredText.yaml(in.readAllBytes());
            Map<String, CheckMetadata> checks = new TreeMap<>();
            for (JsonNode c : root.path("checks")) {
                Set<CheckMetadata.Model> models = EnumSet.noneOf(CheckMetadata.Model.class);
                c.path("models")
                        .forEach(m -> models.add(
                                CheckMetadata.Model.valueOf(m.asText().toUpperCase(Locale.ROOT))));
                List<String> references = new ArrayList<>();
                c.path("references").forEach(r -> references.add(r.asText()));
                CheckMetadata check = new CheckMetadata(
                        c.path("id").asText(),
                        c.path("title").asText(),
                        Severity.valueOf(c.path("severity").asText()),
                        models,
                        c.path("why").asText(),
                        c.path("fix").asText(),
                        references);
                if (checks.put(check.id(), check) != null) {
                    throw new IllegalStateException("checks.yaml: duplicate id " + check.id());
                }
            }
            return new CheckCatalog(checks);
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
}
