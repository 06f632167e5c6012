package dev.palisade.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.source.image.ImageReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "debian:12|registry-1.docker.io|library/debian|12|",
                "debian|registry-1.docker.io|library/debian|latest|",
                "bitnami/redis:7.2|registry-1.docker.io|bitnami/redis|7.2|",
                "docker.io/library/alpine:3.19|registry-1.docker.io|library/alpine|3.19|",
                "localhost/app|localhost|app|latest|",
                "127.0.0.1:5000/team/app:1.0|127.0.0.1:5000|team/app|1.0|",
                "ghcr.io/org/tool@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef|ghcr.io|org/tool||sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            })
    void shouldReadReferencesLikeDockerPull(
            String text, String registry, String repository, String tag, String digest) {
        ImageReference ref = ImageReference.parse(text).orElseThrow();
        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.tag()).isEqualTo(tag);
        assertThat(ref.digest()).isEqualTo(digest);
    }

    @ParameterizedTest
    @CsvSource({"UPPER/case", "app@sha256:short", "app:bad tag", "../etc/passwd"})
    void shouldRefuseWhatIsNotAReference(String text) {
        assertThat(ImageReference.parse(text)).isEmpty();
    }

    @TempDir
    Path tmp;

    @Test
    void shouldReadCredentialsFromDockerConfigAuthsAndHideTheSecret() throws Exception {
        String auth = Base64.getEncoder().encodeToString("robot:t0ken:with:colons".getBytes(StandardCharsets.UTF_8));
        Path config = Files.writeString(
                tmp.resolve("config.json"),
                "{\"auths\":{\"registry.example.com:5000\":{\"auth\":\"" + auth
                        + "\"},\"https://index.docker.io/v1/\":{\"auth\":\""
                        + Base64.getEncoder().encodeToString("hubuser:hubpass".getBytes(StandardCharsets.UTF_8))
                        + "\"}}}");

        RegistryCredentials credentials = RegistryCredentials.fromDockerConfig(config, "registry.example.com:5000")
                .orElseThrow();

        assertThat(credentials.username()).isEqualTo("robot");
        assertThat(credentials.secret()).isEqualTo("t0ken:with:colons");
        assertThat(credentials.toString()).doesNotContain("t0ken");
        assertThat(RegistryCredentials.fromDockerConfig(config, ImageReference.DOCKER_HUB)
                        .orElseThrow()
                        .username())
                .isEqualTo("hubuser");
        assertThat(RegistryCredentials.fromDockerConfig(config, "other.example.com"))
                .isEmpty();
    }
}
