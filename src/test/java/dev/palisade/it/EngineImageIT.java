package dev.palisade.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.testing.Cli;
import dev.palisade.testing.JsonReports;
import dev.palisade.testing.LocalPodman;
import dev.palisade.testing.Scans;
import dev.palisade.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images in a local engine: Debian's podman serving its Docker-compatible API on a unix socket, with the
 * corpus image loaded into it. Scanned through the API, an image must give exactly what its archive gives.
 */
class EngineImageIT {
    static final Path JVM_APP = Scans.shared().resolve("corpus/jvm-app.tar");
    /** The name podman gives the corpus image it loads (it adds localhost/ to names without a registry). */
    static final String IMAGE = "palisade-corpus/jvm-app:1.0";

    static LocalPodman podman;
    static JsonNode fromArchive;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadTheCorpusImage() throws Exception {
        podman = LocalPodman.start();
        podman.load(JVM_APP);
        Cli.Result local = scan(Map.of(), "image", JVM_APP.toString());
        assertThat(local.exit()).as(local.err()).isZero();
        fromArchive = JsonReports.read(local.out());
    }

    @AfterAll
    static void stop() throws Exception {
        if (podman != null) {
            podman.close();
        }
    }

    static Cli.Result scan(Map<String, String> variables, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(TestDatabase.offlineArgs());
        all.addAll(List.of("--format", "json"));
        return Cli.runWith(variables, all.toArray(String[]::new));
    }

    static void assertSameAsTheArchive(Cli.Result result) {
        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode report = JsonReports.read(result.out());
        assertThat(sorted(JsonReports.purls(report))).hasSize(122).isEqualTo(sorted(JsonReports.purls(fromArchive)));
        assertThat(sorted(JsonReports.vulnerabilities(report)))
                .contains("CVE-2021-44228")
                .isEqualTo(sorted(JsonReports.vulnerabilities(fromArchive)));
        assertThat(sorted(JsonReports.ids(report))).isEqualTo(sorted(JsonReports.ids(fromArchive)));
        assertThat(report.path("artifact").path("image").path("imageId").asText())
                .isEqualTo("sha256:07596df1209aa0a7c657a6ebe4feae421cea556cd27a0753339efaa7f2721292");
        assertThat(report.path("artifact").path("name").asText()).isEqualTo(IMAGE);
    }

    @Test
    void shouldScanAnImageInPodmanLikeTheSameImageOnDisk() throws Exception {
        assertSameAsTheArchive(scan(
                Map.of(),
                "image",
                IMAGE,
                "--image-src",
                "podman",
                "--podman-host",
                podman.socket().toString()));
    }

    @Test
    void shouldReachPodmanThroughDockerHostAsADockerCompatibleEngine() throws Exception {
        assertSameAsTheArchive(
                scan(Map.of("DOCKER_HOST", "unix://" + podman.socket()), "image", IMAGE, "--image-src", "docker"));
    }

    @Test
    void shouldFallThroughFromAMissingDockerToPodmanInTheDefaultOrder() throws Exception {
        assertSameAsTheArchive(scan(
                Map.of(
                        "DOCKER_HOST",
                        "unix://" + tmp.resolve("no-docker.sock"),
                        "XDG_RUNTIME_DIR",
                        podman.runtimeDirectory().toString()),
                "image",
                IMAGE));
    }

    @Test
    void shouldNameEverySourceTriedWhenNoneHasTheImage() throws Exception {
        Cli.Result result = scan(
                Map.of("DOCKER_HOST", "unix://" + tmp.resolve("no-docker.sock")),
                "image",
                "palisade-corpus/absent:1.0",
                "--podman-host",
                podman.socket().toString(),
                "--offline");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err())
                .startsWith("palisade: error: palisade-corpus/absent:1.0: not found in any image source (docker: ")
                .contains("cannot connect to Docker at unix://" + tmp.resolve("no-docker.sock"))
                .contains("(is Docker running?)")
                .contains("podman: Podman at unix://" + podman.socket() + " has no image palisade-corpus/absent:1.0")
                .contains("remote: ")
                .contains("--offline");
        assertThat(result.out()).isEmpty();
    }

    static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }
}
