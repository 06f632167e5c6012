package dev.palisade.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StructuredTextTest {

    @Test
    void shouldGiveTheLineOfEveryKeyPathAcrossYamlDocuments() throws Exception {
        String yaml =
                """
                # leading comment
                kind: Pod
                spec:
                  containers:
                    - name: a
                      securityContext: {privileged: true}
                    - name: b
                ---
                ---
                kind: List
                items:
                  - kind: Job
                    spec:
                      hostPID: true
                """;

        Map<String, Integer> lines = StructuredText.keyLines(yaml.getBytes(StandardCharsets.UTF_8), false);

        assertThat(lines)
                .containsEntry("[0]kind", 2)
                .containsEntry("[0]spec.containers", 4)
                .containsEntry("[0]spec.containers[0]", 5)
                .containsEntry("[0]spec.containers[0].securityContext.privileged", 6)
                .containsEntry("[0]spec.containers[1].name", 7)
                .containsEntry("spec.containers[1].name", 7)
                .containsEntry("[1]items[0].spec.hostPID", 14);
        assertThat(StructuredText.yamlDocuments(yaml.getBytes(StandardCharsets.UTF_8)))
                .hasSize(2);
    }

    @Test
    void shouldGiveTheLinesOfAJsonDocument() throws Exception {
        String json =
                "{\n  \"Resources\": {\n    \"Fn\": {\n      \"Properties\": {\"Runtime\": \"python3.8\"}\n    }\n  }\n}\n";

        Map<String, Integer> lines = StructuredText.keyLines(json.getBytes(StandardCharsets.UTF_8), true);

        assertThat(lines).containsEntry("Resources", 2).containsEntry("Resources.Fn.Properties.Runtime", 4);
    }
}
