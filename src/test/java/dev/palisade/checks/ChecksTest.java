package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.testing.Cli;
import dev.palisade.testing.JsonReports;
import dev.palisade.testing.Scans;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every check on a failing and a passing fixture. */
class ChecksTest {
    static final Path FIXTURES = Paths.get("src/test/resources/fixtures/checks");
    static final CheckCatalog CATALOG = CheckCatalog.load();

    static List<Misconfiguration> scan(String fixture) throws Exception {
        return new ConfigScanner(CATALOG, 1 << 20, java.time.LocalDate.parse("2026-01-01"))
                .scan(dev.palisade.testing.Trees.of(FIXTURES.resolve(fixture)))
                .misconfigurations();
    }

    static Set<String> ids(List<Misconfiguration> found) {
        return found.stream().map(m -> m.check().id()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void shouldFlagEveryDockerfileProblemWithItsLine() throws Exception {
        List<Misconfiguration> found = scan("dockerfile-bad");

        assertThat(ids(found))
                .containsExactly(
                        "PAL-2001", "PAL-2002", "PAL-2003", "PAL-2004", "PAL-2005", "PAL-2006", "PAL-2007", "PAL-2008");
        assertThat(found)
                .filteredOn(m -> m.check().id().equals("PAL-2001"))
                .extracting(Misconfiguration::line)
                .containsExactly(2, 6);
        assertThat(found)
                .filteredOn(m -> m.check().id().equals("PAL-2005"))
                .extracting(Misconfiguration::message)
                .containsExactly("ARG GITHUB_TOKEN=gh****", "ENV DB_PASSWORD=hu****");
        assertThat(found)
                .filteredOn(m -> m.check().id().equals("PAL-2002"))
                .singleElement()
                .satisfies(m -> assertThat(m.line()).isEqualTo(14));
        assertThat(found).allSatisfy(m -> assertThat(m.message()).doesNotContain("hunter2-but-longer"));
    }

    @Test
    void shouldPassAHardenedDockerfile() throws Exception {
        assertThat(scan("dockerfile-good")).isEmpty();
    }

    @Test
    void shouldFlagKubernetesWorkloadsIncludingListsAndCronJobs() throws Exception {
        List<Misconfiguration> found = scan("k8s-bad");

        assertThat(ids(found))
                .containsExactly(
                        "PAL-3001",
                        "PAL-3002",
                        "PAL-3003",
                        "PAL-3004",
                        "PAL-3005",
                        "PAL-3006",
                        "PAL-3007",
                        "PAL-3008",
                        "PAL-3009",
                        "PAL-3010",
                        "PAL-3011",
                        "PAL-3012");
        assertThat(found)
                .filteredOn(m -> m.check().id().equals("PAL-3005"))
                .singleElement()
                .satisfies(m -> assertThat(m.message()).contains("/var/run/docker.sock (gives away the host)"));
        assertThat(found)
                .filteredOn(m -> m.check().id().equals("PAL-3006"))
                .extracting(Misconfiguration::message)
                .containsExactlyInAnyOrder("Deployment/web: hostNetwork: true", "CronJob/backup: hostPID: true");
        assertThat(found)
                .filteredOn(m -> m.check().id().equals("PAL-3012"))
                .singleElement()
                .satisfies(m -> assertThat(m.keyPath())
                        .startsWith("[1]items[0].spec.jobTemplate.spec.template.spec.containers[0]"));
    }

    @Test
    void shouldPassAPodHardenedToTheRestrictedStandard() throws Exception {
        assertThat(scan("k8s-good")).isEmpty();
    }

    @Test
    void shouldFlagComposeServicesAndPassAHardenedOne() throws Exception {
        List<Misconfiguration> found = scan("compose-bad");

        assertThat(ids(found)).containsExactly("PAL-3101", "PAL-3102", "PAL-3103", "PAL-3104", "PAL-3105");
        assertThat(found)
                .filteredOn(m -> m.check().id().equals("PAL-3102"))
                .extracting(Misconfiguration::message)
                .containsExactly("service agent: mounts /", "service agent: mounts /var/run/docker.sock");
        assertThat(scan("compose-good")).isEmpty();
    }

    @Test
    void shouldFlagSamTemplatesWithTheirShortFormsAndPassAHardenedOne() throws Exception {
        List<Misconfiguration> found = scan("sam-bad");

        assertThat(ids(found))
                .containsExactly(
                        "PAL-6001", "PAL-6002", "PAL-6003", "PAL-6004", "PAL-6005", "PAL-6006", "PAL-6007", "PAL-6008");
        assertThat(found)
                .extracting(Misconfiguration::message)
                .contains(
                        "OrdersFunction: runtime python3.8 reached end of support on 2024-10-14",
                        "OrdersFunction: DB_PASSWORD=or****",
                        "role SharedRole is shared by OrdersFunction, ReportsFunction",
                        "ReportsFunction: policy AdministratorAccess",
                        "SharedRole: managed policy arn:aws:iam::aws:policy/AmazonS3FullAccess",
                        "OrdersFunction: function URL with AuthType NONE",
                        "OrdersFunction: Api route post /orders has no authorizer",
                        "PublicInvoke: Principal * without SourceArn or SourceAccount");
        assertThat(scan("sam-good")).isEmpty();
    }

    @Test
    void shouldFlagServerlessFrameworkFilesAndPassAHardenedOne() throws Exception {
        assertThat(ids(scan("serverless-bad")))
                .containsExactly("PAL-6001", "PAL-6002", "PAL-6005", "PAL-6006", "PAL-6007");
        assertThat(scan("serverless-good")).isEmpty();
    }

    @Test
    void shouldFindSecretsAndRootInTheCorpusImageConfigs() throws Exception {
        Cli.Result jvm = Cli.run(
                "image",
                Scans.shared().resolve("corpus/jvm-app.tar").toString(),
                "--scanners",
                "misconfig",
                "-f",
                "json");
        Cli.Result minbase = Cli.run(
                "image",
                Scans.shared().resolve("corpus/debian-bookworm-minbase.tar").toString(),
                "--scanners",
                "misconfig",
                "-f",
                "json");

        JsonNode jvmReport = JsonReports.read(jvm.out());
        assertThat(JsonReports.misconfigurations(jvmReport))
                .extracting(m -> m.path("id").asText(), m -> m.path("message").asText())
                .contains(tuple("PAL-1002", "ENV AWS_SECRET_ACCESS_KEY=Pa****"));
        assertThat(JsonReports.ids(jvmReport)).doesNotContain("PAL-1001");
        assertThat(jvm.out()).doesNotContain("PalisadeCorpusFakeSecretKey");
        assertThat(JsonReports.misconfigurations(JsonReports.read(minbase.out())))
                .extracting(m -> m.path("id").asText(), m -> m.path("message").asText())
                .contains(tuple("PAL-1001", "no USER: the image runs as root"));
    }

    @Test
    void shouldSuppressACheckWithTheIgnoreFileAndKeepTheReason() throws Exception {
        java.nio.file.Path ignore = java.nio.file.Files.createTempFile("ignore", ".yaml");
        java.nio.file.Files.writeString(
                ignore,
                "vulnerabilities:\n  - id: PAL-2007\n    package: Dockerfile\n    reason: pinned by the base image's snapshot\n");

        Cli.Result result = Cli.run(
                "config",
                FIXTURES.resolve("dockerfile-bad").toString(),
                "--ignore-file",
                ignore.toString(),
                "-f",
                "json");

        JsonNode report = JsonReports.read(result.out());
        assertThat(JsonReports.ids(report)).doesNotContain("PAL-2007").contains("PAL-2001");
        assertThat(JsonReports.elements(report, "suppressedMisconfigurations"))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.path("id").asText()).isEqualTo("PAL-2007"))
                .allSatisfy(s -> assertThat(s.path("reason").asText()).endsWith("pinned by the base image's snapshot"));
    }

    @Test
    void shouldFlagImagesOutsideTheTrustedSourcesWhereverAFileNamesThem() throws Exception {
        TrustedSources policy = new TrustedSources(List.of("registry.example.com"), true);
        ConfigScanner scanner = new ConfigScanner(CATALOG, 1 << 20, java.time.LocalDate.parse("2026-01-01"), policy);

        List<Misconfiguration> dockerfile = scanner.scan(
                        dev.palisade.testing.Trees.of(FIXTURES.resolve("dockerfile-good")))
                .misconfigurations();
        List<Misconfiguration> pod = scanner.scan(dev.palisade.testing.Trees.of(FIXTURES.resolve("k8s-good")))
                .misconfigurations();
        List<Misconfiguration> workloads = scanner.scan(dev.palisade.testing.Trees.of(FIXTURES.resolve("k8s-bad")))
                .misconfigurations();
        List<Misconfiguration> compose = scanner.scan(dev.palisade.testing.Trees.of(FIXTURES.resolve("compose-good")))
                .misconfigurations();

        assertThat(dockerfile)
                .filteredOn(m -> m.check().id().equals("PAL-1007"))
                .extracting(Misconfiguration::line)
                .containsExactly(1, 4);
        assertThat(ids(pod)).doesNotContain("PAL-1007", "PAL-1008");
        assertThat(workloads)
                .filteredOn(m -> m.check().id().startsWith("PAL-100"))
                .extracting(m -> m.check().id() + " " + m.message())
                .anySatisfy(s ->
                        assertThat(s).startsWith("PAL-1007").contains("nginx:latest comes from registry-1.docker.io"))
                .anySatisfy(
                        s -> assertThat(s).startsWith("PAL-1008").contains("registry.example.com/backup is not pinned"))
                .noneSatisfy(s -> assertThat(s).startsWith("PAL-1007").contains("registry.example.com/backup"));
        assertThat(compose)
                .filteredOn(m -> m.check().id().equals("PAL-1007"))
                .singleElement()
                .satisfies(m -> assertThat(m.keyPath()).isEqualTo("services.web.image"));
        assertThat(ids(scan("k8s-bad"))).doesNotContain("PAL-1007", "PAL-1008");
    }

    @Test
    void shouldTakeTheTrustedSourcesPolicyFromTheCommandLine() throws Exception {
        java.nio.file.Path policy = java.nio.file.Files.createTempFile("trusted", ".yaml");
        java.nio.file.Files.writeString(policy, "registries: [registry.example.com]\nrequireDigest: true\n");
        java.nio.file.Path broken = java.nio.file.Files.createTempFile("trusted", ".yaml");
        java.nio.file.Files.writeString(broken, "registries: {a: b}\n");

        Cli.Result result = Cli.run(
                "config",
                FIXTURES.resolve("compose-good").toString(),
                "--trusted-sources",
                policy.toString(),
                "-f",
                "json");
        Cli.Result invalid =
                Cli.run("config", FIXTURES.resolve("compose-good").toString(), "--trusted-sources", broken.toString());

        assertThat(JsonReports.misconfigurations(JsonReports.read(result.out())))
                .anySatisfy(m -> {
                    assertThat(m.path("id").asText()).isEqualTo("PAL-1007");
                    assertThat(m.path("message").asText()).contains("example/web@sha256:");
                });
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains("'registries' must be a list").doesNotContain("Exception");
    }

    @Test
    void shouldLocateManifestFindingsOnTheirLineOrTheNearestParentLine() throws Exception {
        List<Misconfiguration> workloads = scan("k8s-bad");
        List<Misconfiguration> compose = scan("compose-bad");

        assertThat(workloads)
                .filteredOn(m -> m.check().id().equals("PAL-3001"))
                .extracting(Misconfiguration::line)
                .containsExactly(19);
        assertThat(workloads)
                .filteredOn(m -> m.check().id().equals("PAL-3009"))
                .extracting(Misconfiguration::line)
                .containsExactly(17, 51);
        assertThat(workloads)
                .filteredOn(m -> m.message().startsWith("CronJob/backup container backup: neither runAsNonRoot"))
                .extracting(Misconfiguration::line)
                .containsExactly(50);
        assertThat(workloads).allSatisfy(m -> assertThat(m.line()).isPositive());
        assertThat(compose)
                .filteredOn(m -> m.keyPath().equals("services.agent.privileged"))
                .extracting(Misconfiguration::line)
                .containsExactly(4);
    }

    @Test
    void shouldFlagRemoteLoginPortsUnpinnedBasesAndPackageCachesInTheImage(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        byte[] withCache = new dev.palisade.testing.TarBuilder()
                .file("var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease", "x")
                .file("var/lib/apt/lists/lock", "")
                .build();
        byte[] clean = new dev.palisade.testing.TarBuilder()
                .file("var/lib/apt/lists/lock", "")
                .file("app/run", "x")
                .build();
        Path bad = new dev.palisade.testing.ImageBuilder()
                .emptyLayerHistory("FROM debian:latest")
                .layer(withCache, "RUN apt-get update")
                .exposedPort("22/tcp")
                .exposedPort("8080/tcp")
                .user("app")
                .dockerArchive(dir.resolve("bad.tar"));
        Path good = new dev.palisade.testing.ImageBuilder()
                .emptyLayerHistory("FROM debian:12@sha256:" + "b".repeat(64))
                .layer(clean, "COPY app/ /app/")
                .exposedPort("8080/tcp")
                .user("app")
                .dockerArchive(dir.resolve("good.tar"));

        Cli.Result flagged = Cli.run("image", bad.toString(), "--scanners", "misconfig", "-f", "json");
        Cli.Result passed = Cli.run("image", good.toString(), "--scanners", "misconfig", "-f", "json");

        List<JsonNode> found = JsonReports.misconfigurations(JsonReports.read(flagged.out()));
        assertThat(found)
                .extracting(m -> m.path("id").asText(), m -> m.path("message").asText())
                .contains(
                        tuple("PAL-1003", "EXPOSE 22/tcp (SSH)"),
                        tuple("PAL-1006", "1 files left in var/lib/apt/lists/"));
        assertThat(found).anySatisfy(m -> {
            assertThat(m.path("id").asText()).isEqualTo("PAL-1004");
            assertThat(m.path("message").asText()).contains("history says FROM debian:latest");
        });
        assertThat(found)
                .extracting(m -> m.path("message").asText())
                .noneMatch(message -> message.contains("EXPOSE 8080"));
        JsonNode passedReport = JsonReports.read(passed.out());
        assertThat(passedReport.path("misconfigurations").isArray()).isTrue();
        assertThat(passedReport.path("misconfigurations")).isEmpty();
    }

    @Test
    void shouldFlagSetuidFilesOnlyInTheLayersTheImageAddedToItsBase(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        byte[] base = new dev.palisade.testing.TarBuilder()
                .file("usr/bin/passwd", "elf".getBytes(), 04755)
                .build();
        byte[] baseMore = new dev.palisade.testing.TarBuilder()
                .file("usr/bin/su", "elf".getBytes(), 04755)
                .build();
        byte[] own = new dev.palisade.testing.TarBuilder()
                .file("app/helper", "elf".getBytes(), 02755)
                .file("app/run", "elf".getBytes(), 0755)
                .build();
        Path marked = new dev.palisade.testing.ImageBuilder()
                .layer(base, "ADD rootfs.tar.xz / # buildkit")
                .layer(baseMore, "RUN apt-get install -y login")
                .emptyLayerHistory("CMD [\"bash\"]")
                .layer(own, "COPY app/ /app/")
                .dockerArchive(dir.resolve("marked.tar"));
        Path unmarked = new dev.palisade.testing.ImageBuilder()
                .layer(base, "ADD rootfs.tar.xz / # buildkit")
                .layer(baseMore, "RUN apt-get install -y login")
                .layer(own, "COPY app/ /app/")
                .dockerArchive(dir.resolve("unmarked.tar"));

        Cli.Result withBase = Cli.run("image", marked.toString(), "--scanners", "misconfig", "-f", "json");
        Cli.Result withoutBase = Cli.run("image", unmarked.toString(), "--scanners", "misconfig", "-f", "json");

        assertThat(JsonReports.messages(JsonReports.read(withBase.out())))
                .contains("app/helper is setgid (mode 2755, owner 0)")
                .noneMatch(m -> m.contains("usr/bin/su is setuid"))
                .noneMatch(m -> m.contains("usr/bin/passwd is setuid"))
                .noneMatch(m -> m.contains("app/run is"));
        assertThat(JsonReports.messages(JsonReports.read(withoutBase.out())))
                .anyMatch(m -> m.contains("app/helper is setgid"))
                .anyMatch(m -> m.contains("usr/bin/su is setuid (mode 4755"))
                .noneMatch(m -> m.contains("usr/bin/passwd is setuid"));
    }

    @Test
    void shouldGateConfigScansOnSeverityAndListChecks() throws Exception {
        Cli.Result critical =
                Cli.run("config", FIXTURES.resolve("k8s-bad").toString(), "--severity", "CRITICAL", "--exit-code", "3");
        Cli.Result good = Cli.run("config", FIXTURES.resolve("k8s-good").toString(), "--exit-code", "3");
        Cli.Result list = Cli.run("checks", "list");

        assertThat(critical.exit()).isEqualTo(3);
        assertThat(critical.out()).contains("PAL-3001").doesNotContain("PAL-3011");
        assertThat(good.exit()).isZero();
        assertThat(list.out().lines().count()).isEqualTo(CATALOG.all().size() + 1);
        assertThat(CATALOG.all()).allSatisfy(c -> {
            assertThat(c.why()).isNotBlank();
            assertThat(c.fix()).isNotBlank();
            assertThat(c.references()).isNotEmpty();
        });
    }
}
