package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.source.StructuredText;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckCatalogTest {
    static byte[] bundled() throws Exception {
        try (InputStream in = CheckCatalog.class.getResourceAsStream("checks.yaml")) {
            assertThat(in).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void shouldReadTheBundledChecksWithoutTheYamlParserIntoTheSameTree() throws Exception {
        byte[] bytes = bundled();

        JsonNode fast = CheckCatalog.PlainListsYaml.parse(bytes);

        assertThat(fast)
                .as("checks.yaml keeps to the shape the fast reader knows")
                .isNotNull();
        assertThat(fast).isEqualTo(StructuredText.yaml(bytes));
        assertThat(fast.path("checks").size()).isGreaterThan(50);
        assertThat(CheckCatalog.load().get("PAL-1001").title()).isEqualTo("Image runs as root");
    }

    /** Documents in the catalog's shape that the YAML parser reads otherwise than as plain one-line strings. */
    static final List<String> NOT_PLAIN = List.of(
            "checks:\n  - id: PAL-1\n    title: Runs as root # a comment, not part of the title\n",
            "checks:\n  - id: PAL-1\n    title: 1.10\n",
            "checks:\n  - id: PAL-1\n    title: yes\n",
            "checks:\n  - id: PAL-1\n    title: null\n",
            "checks:\n  - id: PAL-1\n    title: ~\n",
            "checks:\n  - id: PAL-1\n    title: \"tab\\there\"\n",
            "checks:\n  - id: PAL-1\n    title: 'single ''quoted'''\n",
            "checks:\n  - id: PAL-1\n    why: >\n      folded\n      text\n",
            "checks:\n  - id: PAL-1\n    why: first line\n      continued\n",
            "checks:\n  - id: PAL-1\n    references: [\"CIS Docker 4.1, 4.2\", NIST]\n",
            "checks:\n  - id: PAL-1\n    references: [a, [b]]\n",
            "checks:\n  - id: PAL-1\n    references: [a, b{c}]\n",
            "checks:\n  - id: PAL-1\n    title: &anchor Runs as root\n",
            "checks:\n  - id: PAL-1\n    title: key: value\n",
            "checks:\n  - id: PAL-1\n    models: [container, 12]\n",
            "checks:\n  - id: \"\n",
            "checks:\n  - id:  PAL-1\n",
            "checks:\n  - id: PAL-1\n    references: [a: b]\n",
            "---\nchecks:\n  - id: PAL-1\n",
            "benchmarks:\nchecks:\n  - id: PAL-1\n");

    @Test
    void shouldLeaveEverythingOutsideThatShapeToTheYamlParser() throws Exception {
        for (String document : NOT_PLAIN) {
            assertThat(CheckCatalog.PlainListsYaml.parse(document.getBytes(StandardCharsets.UTF_8)))
                    .as(document)
                    .isNull();
        }
    }

    @Test
    void shouldReadWhatItAcceptsAsTheYamlParserDoes() throws Exception {
        String document = "# comment\nbenchmarks:\n  - id: cis-level1\n    title: CIS, level 1 (files only)\n"
                + "checks:\n  - id: PAL-1\n    title: A \"quoted\" word, client[name] and a colon:inside\n"
                + "    severity: HIGH\n    models: [function, container]\n"
                + "    references: [\"CIS Docker 4.1\", \"NIST SP 800-53 AC-6\"]\n"
                + "    benchmarks: []\n    why: Ünïcode, commas, 100% and C#\r\n\n  - id: PAL-2\n    fix: \"\"\n";
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);

        JsonNode fast = CheckCatalog.PlainListsYaml.parse(bytes);

        assertThat(fast).isNotNull().isEqualTo(StructuredText.yaml(bytes));
        assertThat(fast.path("checks").get(0).path("why").asText()).isEqualTo("Ünïcode, commas, 100% and C#");
    }
}
