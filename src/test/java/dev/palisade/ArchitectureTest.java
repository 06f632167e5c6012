package dev.palisade;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The package graph of docs/architecture.md, checked on the imports of the main sources. */
class ArchitectureTest {
    /** Top-level package -> the top-level packages it may import. */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("source", Set.of()),
            Map.entry("inventory", Set.of("source")),
            Map.entry("catalog", Set.of("source", "inventory")),
            Map.entry("version", Set.of()),
            Map.entry("vulndb", Set.of("source")),
            Map.entry("match", Set.of("source", "inventory", "version", "vulndb")),
            Map.entry("scan", Set.of("source", "inventory", "catalog", "checks", "match", "vulndb", "policy", "report", "registry")),
            Map.entry("policy", Set.of("source", "inventory", "match", "checks")),
            Map.entry("checks", Set.of("source", "inventory", "match")),
            Map.entry("report", Set.of("source", "inventory", "match", "checks", "policy")),
            Map.entry("registry", Set.of("source")),
            Map.entry("cli", Set.of("source", "inventory", "catalog", "version", "vulndb", "match", "scan", "report", "registry", "checks", "policy")));

    static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.palisade\\.([a-z]+)\\.", Pattern.MULTILINE);

    @Test
    void shouldOnlyImportWhatThePackageGraphAllows() throws IOException {
        Path root = Paths.get("src/main/java/dev/palisade");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String top = root.relativize(file).getName(0).toString();
                Set<String> allowed = ALLOWED.get(top);
                assertThat(allowed).as("package %s is not in the graph", top).isNotNull();
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String imported = m.group(1);
                    if (!imported.equals(top) && !allowed.contains(imported)) {
                        violations.add(root.relativize(file) + " imports dev.palisade." + imported);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
