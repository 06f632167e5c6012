package dev.palisade.catalog.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.inventory.Ecosystem;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SbomReaderTest {
    @Test
    void shouldCountComponentsAndPackagesNestedOnesIncludedWithoutReadingThem() {
        String cycloneDx =
                """
                {"bomFormat": "CycloneDX", "metadata": {"component": {"name": "app"}},
                 "components": [{"name": "a", "components": [{"name": "a1"}, {"name": "a2", "components": []}]},
                                {"name": "b", "properties": [{"name": "x"}]}, 7, [{"name": "not a component"}]],
                 "services": [{"name": "s"}]}
                """;
        assertThat(SbomReader.componentCount(cycloneDx.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(4);
        String spdx =
                """
                {"spdxVersion": "SPDX-2.3", "packages": [{"name": "a"}, {"name": "b"}], "files": [{"name": "f"}]}
                """;
        assertThat(SbomReader.componentCount(spdx.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(2);
        assertThat(SbomReader.componentCount("{\"components\": [{}, {}, {".getBytes(StandardCharsets.UTF_8)))
                .as("cut short: what came before")
                .isEqualTo(3);
        assertThat(SbomReader.componentCount("not json".getBytes(StandardCharsets.UTF_8)))
                .isZero();
    }

    @Test
    void shouldKeepAComponentWithoutAVersionSoThatItIsReportedAsNotCompared() throws Exception {
        String cycloneDx =
                """
                {"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
                  {"type": "library", "name": "log4j-core", "purl": "pkg:maven/org.apache.logging.log4j/log4j-core"},
                  {"type": "library", "name": "express", "purl": "pkg:npm/express@4.18.2"}]}
                """;

        SbomReader.Contents contents = SbomReader.read("bom.json", cycloneDx.getBytes(StandardCharsets.UTF_8));

        assertThat(contents.packages()).anySatisfy(p -> {
            assertThat(p.ecosystem()).isEqualTo(Ecosystem.MAVEN);
            assertThat(p.name()).isEqualTo("org.apache.logging.log4j:log4j-core");
            assertThat(p.version()).isEmpty();
        });
        assertThat(contents.packages()).anySatisfy(p -> assertThat(p.version()).isEqualTo("4.18.2"));
        assertThat(contents.problems()).isEmpty();
    }

    // found by a red-team pass on the server: each of these read as an SBOM of nothing, and resolved every finding

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": {}}",
                "{\"components\": \"pkg:npm/express@4.18.2\", \"bomFormat\": \"CycloneDX\"}",
                "{\"spdxVersion\": \"SPDX-2.3\", \"packages\": {\"name\": \"x\"}}"
            })
    void shouldRefuseAListWrittenAsSomethingElse(String document) {
        assertThatThrownBy(() -> SbomReader.read("bom.json", document.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("not a list");
    }

    @Test
    void shouldReportComponentsItCannotRead() throws Exception {
        String cycloneDx =
                """
                {"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [1, {"name": 1, "purl": {}},
                  {"type": "library", "purl": "pkg:npm/express@4.18.2",
                   "components": {"a": {"purl": "pkg:npm/hidden@1.0.0"}}},
                  {"type": "library", "name": "no purl", "purl": null, "components": null}]}
                """;

        SbomReader.Contents contents = SbomReader.read("bom.json", cycloneDx.getBytes(StandardCharsets.UTF_8));

        assertThat(contents.packages()).extracting(p -> p.purl()).containsExactly("pkg:npm/express@4.18.2");
        assertThat(contents.problems())
                .extracting(p -> p.reason())
                .containsExactly(
                        "a component that is a number, not an object; skipped",
                        "a component whose purl is an object, not text; skipped",
                        "a component whose 'components' is an object, not a list; they are not read");
    }
}
