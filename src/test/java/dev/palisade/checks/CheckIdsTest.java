package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every check id that code or a data file names exists in checks.yaml, so no finding can lose its metadata. */
class CheckIdsTest {
    static final Pattern ID = Pattern.compile("PAL-\\d{4}");

    @Test
    void shouldKnowEveryCheckIdUsedInTheCodeAndTheRules() throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Paths.get("src/main"))) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals("checks.yaml"))::iterator) {
                Matcher m = ID.matcher(Files.readString(file));
                while (m.find()) {
                    used.add(m.group());
                }
            }
        }
        CheckCatalog catalog = CheckCatalog.load();

        assertThat(used).hasSizeGreaterThan(50);
        Set<String> known = new TreeSet<>();
        catalog.all().forEach(c -> known.add(c.id()));
        assertThat(known).containsAll(used);
    }
}
