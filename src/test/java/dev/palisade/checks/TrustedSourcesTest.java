package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedSourcesTest {
    private static final String DIGEST = "@sha256:" + "a".repeat(64);

    private static final TrustedSources POLICY =
            new TrustedSources(List.of("registry.example.com", "registry-1.docker.io/library"), true);

    private static List<String> checks(TrustedSources policy, String image) {
        return policy.violations(image).stream()
                .map(TrustedSources.Violation::checkId)
                .toList();
    }

    @Test
    void shouldAcceptPinnedImagesFromTrustedRegistriesAndPrefixes() {
        assertThat(checks(POLICY, "registry.example.com/team/app:1.0" + DIGEST)).isEmpty();
        assertThat(checks(POLICY, "debian:12" + DIGEST)).isEmpty();
        assertThat(checks(POLICY, "docker.io/library/debian" + DIGEST)).isEmpty();
    }

    @Test
    void shouldFlagOtherRegistriesEvenWhenTheirNameStartsLikeATrustedOne() {
        assertThat(checks(POLICY, "registry.example.com.evil.io/app" + DIGEST)).containsExactly("PAL-1007");
        assertThat(checks(POLICY, "example/agent" + DIGEST)).containsExactly("PAL-1007");
        assertThat(checks(POLICY, "ghcr.io/org/tool:2")).containsExactly("PAL-1007", "PAL-1008");
        assertThat(checks(POLICY, "NOT A REFERENCE")).containsExactly("PAL-1007");
    }

    @Test
    void shouldRequireADigestOnlyWhenThePolicySaysSo() {
        assertThat(checks(POLICY, "registry.example.com/app:1.0")).containsExactly("PAL-1008");
        assertThat(checks(new TrustedSources(List.of("registry.example.com"), false), "registry.example.com/app:1.0"))
                .isEmpty();
        assertThat(checks(new TrustedSources(List.of(), true), "ghcr.io/org/tool:2"))
                .containsExactly("PAL-1008");
        assertThat(checks(TrustedSources.NONE, "ghcr.io/org/tool:latest")).isEmpty();
    }

    @Test
    void shouldReadThePolicyFileAndNormaliseDockerHub(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("trusted.yaml");
        Files.writeString(file, "registries:\n  - docker.io/library/\n  - registry.example.com\nrequireDigest: true\n");

        TrustedSources policy = TrustedSources.load(file);

        assertThat(policy.allowed()).containsExactly("registry-1.docker.io/library", "registry.example.com");
        assertThat(policy.requireDigest()).isTrue();
    }

    @Test
    void shouldRejectAMalformedPolicyWithTheReason(@TempDir Path dir) throws IOException {
        Path notAList = dir.resolve("a.yaml");
        Files.writeString(notAList, "registries: registry.example.com\n");
        Path notABoolean = dir.resolve("b.yaml");
        Files.writeString(notABoolean, "registries: [registry.example.com]\nrequireDigest: sometimes\n");

        assertThatThrownBy(() -> TrustedSources.load(notAList)).hasMessageContaining("'registries' must be a list");
        assertThatThrownBy(() -> TrustedSources.load(notABoolean))
                .hasMessageContaining("'requireDigest' must be true or false");
    }
}
