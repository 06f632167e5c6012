package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The committed runtime-default-seccomp.json is what src/build/runtime-default-seccomp.py makes of the
 * profile Debian's containers-common installs (with podman) at /usr/share/containers/seccomp.json.
 */
class RuntimeDefaultSeccompIT {
    private static final Path INSTALLED = Path.of("/usr/share/containers/seccomp.json");

    @Test
    void shouldBeTheConversionOfTheInstalledPackagesProfile() throws Exception {
        assertThat(INSTALLED)
                .as("containers-common must be installed (apt-get install golang-github-containers-common, or podman)")
                .isRegularFile();
        JsonNode committed;
        try (InputStream in = RuntimeDefaultSeccomp.class.getResourceAsStream("runtime-default-seccomp.json")) {
            committed = new ObjectMapper().readTree(in);
        }
        String sha256 = HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(INSTALLED)));
        Assumptions.assumeTrue(
                sha256.equals(committed.at("/source/sha256").asText()),
                "the installed containers-common is another version than the one converted");

        Process convert = new ProcessBuilder(
                        "/usr/bin/python3",
                        "src/build/runtime-default-seccomp.py",
                        INSTALLED.toString(),
                        committed.at("/source/package").asText(),
                        committed.at("/source/version").asText())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] converted = convert.getInputStream().readAllBytes();
        assertThat(convert.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(convert.exitValue())
                .as("the converter needs python3-seccomp")
                .isZero();

        assertThat(new ObjectMapper().readTree(converted)).isEqualTo(committed);
    }
}
