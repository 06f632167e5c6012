package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.testing.Cli;
import dev.palisade.testing.ImageBuilder;
import dev.palisade.testing.TarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /** A project with one misconfiguration (a Dockerfile that runs as root) and, when asked, one secret. */
    Path project(boolean withSecret) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(withSecret ? "with-secret" : "without-secret"));
        Files.writeString(dir.resolve("Dockerfile"), "FROM debian:12@sha256:" + "a".repeat(64) + "\nUSER root\n");
        if (withSecret) {
            Files.writeString(dir.resolve("deploy.sh"), "export KEY=AKIA" + "Q3ZJ5X7N2M4K8P6R" + "\n");
        }
        return dir;
    }

    int exit(Path project, String... extra) {
        List<String> args =
                new ArrayList<>(List.of("fs", project.toString(), "--scanners", "misconfig,secret", "-f", "json"));
        args.addAll(List.of(extra));
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertThat(result.err()).doesNotContain("error");
        return result.exit();
    }

    @Test
    void exitOnLimitsWhatFailsTheScan() throws Exception {
        Path misconfigOnly = project(false);
        Path both = project(true);

        assertThat(exit(misconfigOnly, "--exit-code", "5")).isEqualTo(5);
        assertThat(exit(misconfigOnly, "--exit-code", "5", "--exit-on", "vuln")).isZero();
        assertThat(exit(misconfigOnly, "--exit-code", "5", "--exit-on", "secret"))
                .isZero();
        assertThat(exit(both, "--exit-code", "5", "--exit-on", "secret")).isEqualTo(5);
        assertThat(exit(both, "--exit-code", "5", "--exit-on", "vuln,misconfig"))
                .isEqualTo(5);
        assertThat(exit(both, "--exit-code", "5", "--exit-on", "vuln")).isZero();
    }

    @Test
    void exitOnIsReadFromTheEnvironmentAndChecked() throws Exception {
        Path misconfigOnly = project(false);
        List<String> args = List.of("fs", misconfigOnly.toString(), "--scanners", "misconfig", "--exit-code", "4");

        Cli.Result limited = Cli.runWith(Map.of("PALISADE_EXIT_ON", "secret"), args.toArray(String[]::new));
        Cli.Result wrong = Cli.runWith(Map.of("PALISADE_EXIT_ON", "vulns"), args.toArray(String[]::new));

        assertThat(limited.exit()).as(limited.err()).isZero();
        assertThat(wrong.exit()).isEqualTo(PalisadeCommand.EXIT_UNREADABLE);
        assertThat(wrong.err().strip())
                .isEqualTo("palisade: error: --exit-on: unknown kind 'vulns' (use vuln, misconfig, secret)");
    }
}
