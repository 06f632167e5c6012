package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.testing.Cli;
import dev.palisade.testing.ImageBuilder;
import dev.palisade.testing.TarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Habits of people who come from Trivy and Grype: SARIF for code scanning, help, exit codes, completion. */
class CliHabitsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void sarifOfAnImagePointsAtTheDockerfileGiven() throws Exception {
        Path image = new ImageBuilder()
                .layer(new TarBuilder().file("etc/os-release", "ID=debian\n").build(), "ADD rootfs.tar / # buildkit")
                .layer(new TarBuilder().file("app/run.sh", "#!/bin/sh\n").build(), "COPY run.sh /app/run.sh # buildkit")
                .user("root")
                .exposedPort("22/tcp")
                .dockerArchive(tmp.resolve("app.tar"));
        Path project = Files.createDirectories(tmp.resolve("repo"));
        Files.createDirectories(project.resolve("docker"));
        Files.writeString(
                project.resolve("docker/Dockerfile"),
                "FROM debian:12\nCOPY run.sh /app/run.sh\nEXPOSE 22\nUSER root\n");

        Cli.Result result = Cli.runIn(
                project,
                Map.of(),
                "image",
                image.toString(),
                "--scanners",
                "misconfig",
                "-f",
                "sarif",
                "--dockerfile",
                "docker/Dockerfile");

        assertThat(result.exit()).as(result.err()).isZero();
        Map<String, Integer> lines = new TreeMap<>();
        for (JsonNode r : JSON.readTree(result.out()).at("/runs/0/results")) {
            assertThat(r.at("/locations/0/physicalLocation/artifactLocation/uri")
                            .asText())
                    .isEqualTo("docker/Dockerfile");
            lines.put(
                    r.path("ruleId").asText(),
                    r.at("/locations/0/physicalLocation/region/startLine").asInt());
        }
        assertThat(lines).containsEntry("PAL-1001", 4).containsEntry("PAL-1003", 3);
    }

    @Test
    void aMissingDockerfileFailsBeforeTheScan() throws Exception {
        Path image = new ImageBuilder()
                .layer(new TarBuilder().file("a", "a").build(), "base")
                .dockerArchive(tmp.resolve("app.tar"));

        Cli.Result result = Cli.run(
                "image",
                image.toString(),
                "-f",
                "sarif",
                "--dockerfile",
                tmp.resolve("nope").toString());

        assertThat(result.exit()).isEqualTo(PalisadeCommand.EXIT_UNREADABLE);
        assertThat(result.err().strip())
                .isEqualTo("palisade: error: --dockerfile " + tmp.resolve("nope") + ": no such file");
    }
}
