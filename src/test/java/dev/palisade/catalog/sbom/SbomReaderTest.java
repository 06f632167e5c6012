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
    void shouldStopPastTheMostPackagesItMayMakeWhereverTheyComeFrom() throws Exception {
        byte[] cycloneDx =
                """
                {"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
                  {"name": "a", "version": "1", "purl": "pkg:npm/a@1", "components": [
                    {"name": "a1", "version": "1", "purl": "pkg:npm/a1@1"}]},
                  {"name": "b", "version": "1", "purl": "pkg:npm/b@1"}]}
                """
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(SbomReader.read("bom.json", cycloneDx, 3).packages()).hasSize(3);
        assertThatThrownBy(() -> SbomReader.read("bom.json", cycloneDx, 2))
                .isInstanceOf(SbomReader.TooManyPackagesException.class)
                .hasMessage("bom.json lists more than 2 packages (limit maxEntries)");

        // one SPDX package, a package for each of its purls (found by review: a count of the package objects said 1)
        StringBuilder refs = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            refs.append(i == 0 ? "" : ",")
                    .append("{\"referenceCategory\": \"PACKAGE-MANAGER\", \"referenceType\": \"purl\",")
                    .append(" \"referenceLocator\": \"pkg:npm/p")
                    .append(i)
                    .append("@1\"}");
        }
        byte[] spdx = ("{\"spdxVersion\": \"SPDX-2.3\", \"packages\": [{\"name\": \"p\", \"versionInfo\": \"1\","
                        + " \"externalRefs\": [" + refs + "]}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(SbomReader.read("spdx.json", spdx, 5).packages()).hasSize(5);
        assertThatThrownBy(() -> SbomReader.read("spdx.json", spdx, 4))
                .isInstanceOf(SbomReader.TooManyPackagesException.class);
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
