package dev.palisade.catalog.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.inventory.Ecosystem;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SbomReaderTest {
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
}
