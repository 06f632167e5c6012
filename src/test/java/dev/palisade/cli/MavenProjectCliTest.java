package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.testing.Cli;
import dev.palisade.testing.JsonReports;
import dev.palisade.testing.MavenProjects;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cyclonedx.Version;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code palisade fs} on a Maven project: its resolved tree in the JSON report, offline, from a test-built repository. */
class MavenProjectCliTest {
    @TempDir
    Path temp;

    @Test
    void fsListsTheResolvedTreeWithScopesAndPaths() throws Exception {
        MavenProjects maven = MavenProjects.write(temp);

        Cli.Result result = Cli.run(
                "fs",
                maven.project.toString(),
                "--offline",
                "--maven-repo",
                maven.repo.toString(),
                "--scanners",
                "none",
                "-f",
                "json");

        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode report = JsonReports.read(result.out());
        assertThat(JsonReports.problems(report)).isEmpty();
        Map<String, String> scopes = new TreeMap<>();
        Map<String, String> paths = new TreeMap<>();
        for (JsonNode p : JsonReports.elements(report, "packages")) {
            scopes.put(p.get("purl").asText(), p.at("/metadata/scope").asText());
            paths.put(p.get("purl").asText(), p.at("/metadata/dependencyPath").asText());
        }
        assertThat(scopes)
                .containsExactly(
                        Map.entry("pkg:maven/org.example/lib-a@2.0", "compile"),
                        Map.entry("pkg:maven/org.example/lib-b@1.0", "compile"),
                        Map.entry("pkg:maven/org.example/lib-c@1.5", "compile"),
                        Map.entry("pkg:maven/org.example/test-dep@1.0", "test"),
                        Map.entry("pkg:maven/org.example/test-lib@1.0", "test"));
        assertThat(paths)
                .containsEntry(
                        "pkg:maven/org.example/test-dep@1.0",
                        "com.example:app:1.0 > org.example:test-lib:1.0 > org.example:test-dep:1.0");
    }

    @Test
    void cycloneDxCarriesTheDependencyGraph() throws Exception {
        MavenProjects maven = MavenProjects.write(temp);

        Cli.Result result = Cli.run(
                "fs",
                maven.project.toString(),
                "--offline",
                "--maven-repo",
                maven.repo.toString(),
                "--scanners",
                "none",
                "-f",
                "cyclonedx");

        assertThat(result.exit()).as(result.err()).isZero();
        byte[] bom = result.out().getBytes(StandardCharsets.UTF_8);
        assertThat(new JsonParser().validate(bom, Version.VERSION_16)).isEmpty();
        Map<String, List<String>> graph = new TreeMap<>();
        for (Dependency d : new JsonParser().parse(bom).getDependencies()) {
            graph.put(
                    d.getRef(),
                    d.getDependencies() == null
                            ? List.of()
                            : d.getDependencies().stream()
                                    .map(Dependency::getRef)
                                    .toList());
        }
        String at = "|app/pom.xml";
        assertThat(graph)
                .containsExactly(
                        Map.entry(
                                "artifact",
                                List.of(
                                        "pkg:maven/org.example/lib-a@2.0" + at,
                                        "pkg:maven/org.example/test-lib@1.0" + at)),
                        Map.entry(
                                "pkg:maven/org.example/lib-a@2.0" + at,
                                List.of(
                                        "pkg:maven/org.example/lib-b@1.0" + at,
                                        "pkg:maven/org.example/lib-c@1.5" + at)),
                        Map.entry("pkg:maven/org.example/lib-b@1.0" + at, List.of()),
                        Map.entry("pkg:maven/org.example/lib-c@1.5" + at, List.of()),
                        Map.entry("pkg:maven/org.example/test-dep@1.0" + at, List.of()),
                        Map.entry(
                                "pkg:maven/org.example/test-lib@1.0" + at,
                                List.of("pkg:maven/org.example/test-dep@1.0" + at)));
    }

    @Test
    void offlineSaysWhatCouldNotBeResolved() throws Exception {
        MavenProjects maven = MavenProjects.write(temp);
        Files.delete(maven.repo.resolve("org/example/lib-a/2.0/lib-a-2.0.pom"));

        Cli.Result result = Cli.run(
                "fs",
                maven.project.toString(),
                "--offline",
                "-Dmaven.repo.local=" + maven.repo,
                "--scanners",
                "none",
                "-f",
                "json");

        JsonNode report = JsonReports.read(result.out());
        assertThat(JsonReports.problems(report))
                .containsExactly("org.example:lib-a:2.0: its POM is not in the local repository and --offline is set: "
                        + "its own dependencies are not listed");
        assertThat(JsonReports.purls(report))
                .containsExactlyInAnyOrder(
                        "pkg:maven/org.example/lib-a@2.0",
                        "pkg:maven/org.example/test-lib@1.0",
                        "pkg:maven/org.example/test-dep@1.0");
        assertThat(result.err()).contains("palisade: warning: app/pom.xml: org.example:lib-a:2.0: its POM is not");
    }

    @Test
    void theLocalRepositoryComesFromSettingsXmlUnderHome() throws Exception {
        MavenProjects maven = MavenProjects.write(temp);
        Path home = temp.resolve("home");
        MavenProjects.writeFile(
                home.resolve(".m2/settings.xml"),
                "<settings><localRepository>" + maven.repo + "</localRepository></settings>");

        Cli.Result result = Cli.runWith(
                Map.of("HOME", home.toString()),
                "fs",
                maven.project.toString(),
                "--offline",
                "--scanners",
                "none",
                "-f",
                "json");

        JsonNode report = JsonReports.read(result.out());
        assertThat(JsonReports.problems(report)).isEmpty();
        assertThat(JsonReports.purls(report)).hasSize(5);
    }

    @Test
    void skipMavenLeavesThePomUnresolved() throws Exception {
        MavenProjects maven = MavenProjects.write(temp);

        Cli.Result result = Cli.run("fs", maven.project.toString(), "--skip-maven", "--scanners", "none", "-f", "json");

        assertThat(JsonReports.purls(JsonReports.read(result.out()))).isEmpty();
    }
}
