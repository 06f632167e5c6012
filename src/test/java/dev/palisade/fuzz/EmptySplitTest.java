package dev.palisade.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.ComposeChecks;
import dev.palisade.checks.ImageConfigChecks;
import dev.palisade.checks.Misconfiguration;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.StructuredText;
import dev.palisade.source.image.ImageMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Found by reading after the fuzzer's yarn.lock finding: {@code "/".split("/")} is an empty array, so a
 * value made only of its separator threw where the first part was taken. An exposed port "/" in an image
 * config, a compose volume ":" (and the same in the report's Dockerfile lines, a registry's content type
 * ";" and a Dockerfile USER of blanks) must cost nothing but themselves.
 */
class EmptySplitTest {
    private final CheckCatalog catalog = CheckCatalog.load();

    @Test
    void shouldCheckAnImageConfigWithAnExposedPortOfOnlyASlash() {
        ImageMetadata metadata = new ImageMetadata(
                "sha256:abc",
                List.of("app:1"),
                "linux",
                "amd64",
                null,
                "app",
                List.of(),
                List.of(),
                List.of(),
                null,
                List.of("/", "22/tcp"),
                List.of(),
                new TreeMap<>(),
                List.of());
        ArtifactDescription image =
                new ArtifactDescription("app:1", ArtifactKind.IMAGE, DeploymentModel.CONTAINER, List.of(), metadata);

        List<Misconfiguration> found = new ImageConfigChecks(catalog).evaluate(image, new MemoryTree());

        assertThat(found).extracting(m -> m.check().id()).contains("PAL-1003");
    }

    @Test
    void shouldCheckAComposeFileWithAVolumeOfOnlyAColon() throws Exception {
        String compose = "services:\n  a:\n    image: x\n    volumes: [\":\"]\n"
                + "  b:\n    image: y\n    volumes: [\"/var/run/docker.sock:/var/run/docker.sock\"]\n";

        List<Misconfiguration> found = new ComposeChecks(catalog)
                .evaluate("docker-compose.yml", StructuredText.yaml(compose.getBytes(StandardCharsets.UTF_8)));

        assertThat(found).extracting(Misconfiguration::keyPath).anySatisfy(t -> assertThat(t)
                .contains("services.b"));
    }
}
