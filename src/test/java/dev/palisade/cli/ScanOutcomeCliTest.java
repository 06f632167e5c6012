package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.testing.Cli;
import dev.palisade.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees of a scan's outcome: nothing taken as clean that was not looked at, no output lost. */
class ScanOutcomeCliTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static String[] withDb(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(TestDatabase.offlineArgs());
        return all.toArray(String[]::new);
    }

    @Test
    void shouldNeverReachTheNetworkForARegistryReferenceWhenOffline() throws Exception {
        try (ServerSocket registry = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            registry.setSoTimeout(300);
            Cli.Result result = Cli.run(
                    "image",
                    "127.0.0.1:" + registry.getLocalPort() + "/team/app:1.0",
                    "--offline",
                    "--scanners",
                    "none",
                    "--insecure");

            assertThat(result.exit()).isEqualTo(2);
            assertThat(result.err()).startsWith("palisade: error: ").contains("--offline");
            try {
                registry.accept().close();
                throw new AssertionError("palisade connected to the registry although --offline was given");
            } catch (SocketTimeoutException expected) {
                // nobody knocked
            }
        }
    }

    @Test
    void shouldRecogniseANamedConfigurationFileByItsContent() throws Exception {
        Path serverless = Files.writeString(
                tmp.resolve("my-service.yml"),
                """
                service: orders
                provider:
                  name: aws
                  runtime: nodejs12.x
                  iam:
                    role:
                      statements:
                        - Effect: Allow
                          Action: "*"
                          Resource: "*"
                functions:
                  create:
                    handler: handler.create
                """);
        Path dockerfile = Files.writeString(
                tmp.resolve("build.txt"), "# syntax=docker/dockerfile:1\nFROM debian:12\nUSER root\n");
        Path compose = Files.writeString(
                tmp.resolve("stack.yaml"), "services:\n  web:\n    image: nginx:1.25\n    privileged: true\n");

        JsonNode fromServerless = JSON.readTree(
                Cli.run("config", serverless.toString(), "-f", "json").out());
        JsonNode fromDockerfile = JSON.readTree(
                Cli.run("config", dockerfile.toString(), "-f", "json").out());
        JsonNode fromCompose = JSON.readTree(
                Cli.run("config", compose.toString(), "-f", "json").out());

        assertThat(ids(fromServerless)).contains("PAL-6001");
        assertThat(fromServerless.path("misconfigurations").get(0).path("path").asText())
                .isEqualTo("my-service.yml");
        assertThat(ids(fromDockerfile)).isNotEmpty();
        assertThat(ids(fromCompose)).isNotEmpty();
        assertThat(fromServerless.path("artifact").path("kind").asText()).isNotEqualTo("directory");
    }

    @Test
    void shouldReportAFileItDoesNotRecogniseInsteadOfCallingItClean() throws Exception {
        Path notes = Files.writeString(tmp.resolve("notes.yaml"), "shopping:\n  - milk\n  - eggs\n");

        Cli.Result result = Cli.run("config", notes.toString(), "-f", "json");
        JsonNode report = JSON.readTree(result.out());

        assertThat(report.path("problems"))
                .anySatisfy(p -> assertThat(p.path("reason").asText()).startsWith("not recognised"));
        assertThat(result.err()).contains("not recognised");
    }

    @Test
    void shouldSayWhichEcosystemsTheDatabaseHasNoDataFor() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("var/lib/dpkg"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=\"99\"\n");
        Files.writeString(
                root.resolve("var/lib/dpkg/status"),
                "Package: openssl\nStatus: install ok installed\nVersion: 1.0.0-1\nArchitecture: amd64\n\n");

        Cli.Result result = Cli.run(withDb("rootfs", root.toString(), "--scanners", "vuln", "-f", "json"));
        Cli.Result table = Cli.run(withDb("rootfs", root.toString(), "--scanners", "vuln"));
        JsonNode report = JSON.readTree(result.out());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(report.path("database").path("missingData"))
                .extracting(JsonNode::asText)
                .containsExactly("Debian:99");
        assertThat(result.err()).contains("no advisory data for Debian:99");
        assertThat(table.out())
                .contains("Not checked for vulnerabilities (no advisory data in the database): Debian:99");
    }

    @Test
    void shouldEscapeControlCharactersFromTheArtifactInTheTable() throws Exception {
        Path project = tmp.resolve("project");
        Files.createDirectories(project);
        Files.writeString(
                project.resolve("package-lock.json"),
                """
                {"name":"x","lockfileVersion":3,"packages":{"":{"name":"x"},
                 "node_modules/evil\\u001b]0;pwned\\u0007\\u001b[2J":{"version":"1.0.0\\u0000"}}}
                """);

        Cli.Result result = Cli.run("fs", project.toString(), "--scanners", "none");

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out())
                .doesNotContain("\u001b")
                .doesNotContain("\u0007")
                .doesNotContain("\u0000")
                .contains("evil\\x1b]0;pwned\\x07\\x1b[2J");
    }

    @Test
    void shouldRefuseAnOutputDirectoryBeforeScanning() throws Exception {
        Cli.Result result = Cli.run("fs", tmp.toString(), "--scanners", "none", "-o", tmp.toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("palisade: error: --output " + tmp + ": is a directory\n");

        Cli.Result absent =
                Cli.run("image", tmp.resolve("absent.tar").toString(), "--scanners", "none", "-o", tmp.toString());
        assertThat(absent.err())
                .as("the output is checked before the artifact is even opened")
                .isEqualTo("palisade: error: --output " + tmp + ": is a directory\n");
    }

    /** A named pipe ({@code >(gzip > r.gz)} is one) is written into, never replaced by a file. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldWriteIntoANamedPipeWithoutReplacingIt() throws Exception {
        Path fifo = tmp.resolve("report.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                read.complete(Files.readAllBytes(fifo));
            } catch (IOException | RuntimeException e) {
                read.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            Cli.Result result =
                    Cli.run("fs", project().toString(), "--scanners", "none", "-f", "json", "-o", fifo.toString());

            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(JSON.readTree(read.get(30, TimeUnit.SECONDS)).has("packages"))
                    .isTrue();
            assertThat(Files.isRegularFile(fifo)).as("still the pipe").isFalse();
            assertThat(Files.exists(fifo)).isTrue();
        } finally {
            if (!read.isDone() && Files.exists(fifo) && !Files.isRegularFile(fifo)) {
                Files.newOutputStream(fifo).close(); // lets the reader's open return
            }
        }
    }

    /** {@code -o /dev/stdout} is the report on stdout, wherever the shell sent it: nothing in /dev is replaced. */
    @Test
    void shouldTakeDevStdoutForStdout() throws Exception {
        Cli.Result result =
                Cli.run("fs", project().toString(), "--scanners", "none", "-f", "json", "-o", "/dev/stdout");

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(JSON.readTree(result.out()).has("packages")).isTrue();
        assertThat(Files.isSymbolicLink(Path.of("/dev/stdout"))).isTrue();

        Cli.Result descriptor =
                Cli.run("fs", project().toString(), "--scanners", "none", "-f", "json", "-o", "/dev/fd/1");
        assertThat(JSON.readTree(descriptor.out()).has("packages")).isTrue();

        Path devLink = Files.createSymbolicLink(tmp.resolve("d"), Path.of("/dev"));
        Cli.Result throughALink =
                Cli.run("fs", project().toString(), "--scanners", "none", "-f", "json", "-o", devLink + "/stdout");
        assertThat(JSON.readTree(throughALink.out()).has("packages")).isTrue();
        assertThat(Files.isSymbolicLink(Path.of("/dev/stdout")))
                .as("still the system's link")
                .isTrue();
    }

    /** stderr carries Palisade's own messages, which would write over the report: refused before the scan. */
    @Test
    void shouldRefuseStderrAndTheSystemsOtherLinks() throws Exception {
        Cli.Result stderr = Cli.run("fs", project().toString(), "--scanners", "none", "-o", "/dev/stderr");
        assertThat(stderr.exit()).isEqualTo(2);
        assertThat(stderr.err())
                .isEqualTo("palisade: error: --output /dev/stderr: is stderr, where Palisade's messages go; "
                        + "leave the option out for stdout, or name a file\n");

        Cli.Result stdin = Cli.run("fs", project().toString(), "--scanners", "none", "-o", "/dev/stdin");
        assertThat(stdin.exit()).isEqualTo(2);
        assertThat(stdin.err()).startsWith("palisade: error: --output /dev/stdin: is a link of the system's");
        assertThat(Files.isSymbolicLink(Path.of("/dev/stdin"))).isTrue();
    }

    /**
     * A link where the report goes is replaced like a file, never followed: a link planted in a shared workspace
     * cannot send the report over another file.
     */
    @Test
    void shouldReplaceALinkRatherThanWriteWhereItPoints() throws Exception {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Path victim = Files.writeString(elsewhere.resolve("victim.txt"), "not a report");
        Path reports = Files.createDirectory(tmp.resolve("reports"));
        Path link = Files.createSymbolicLink(reports.resolve("latest.json"), victim);

        Cli.Result result =
                Cli.run("fs", project().toString(), "--scanners", "none", "-f", "json", "-o", link.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(victim).hasContent("not a report");
        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(JSON.readTree(link.toFile()).has("packages")).isTrue();
        try (var files = Files.list(reports)) {
            assertThat(files).as("no temporary file left").containsExactly(link);
        }
    }

    Path project() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("scanned"));
        Files.writeString(project.resolve("requirements.txt"), "requests==2.19.0\n");
        return project;
    }

    @Test
    void shouldKeepThePreviousReportWhenARunFails() throws Exception {
        Path report = Files.writeString(tmp.resolve("report.json"), "previous report");

        Cli.Result failed =
                Cli.run("image", tmp.resolve("absent.tar").toString(), "--scanners", "none", "-o", report.toString());
        assertThat(failed.exit()).isEqualTo(2);
        assertThat(report).hasContent("previous report");
        Path garbage = Files.write(tmp.resolve("garbage.tar"), new byte[4096]);
        Cli.Result failedReading = Cli.run("image", garbage.toString(), "--scanners", "none", "-o", report.toString());
        assertThat(failedReading.exit()).as(failedReading.err()).isEqualTo(2);
        assertThat(report).as("a run that fails while reading").hasContent("previous report");

        Cli.Result ok = Cli.run(
                "fs",
                tmp.resolve("absent-dir").getParent().toString(),
                "--scanners",
                "none",
                "-f",
                "json",
                "-o",
                report.toString());

        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(JSON.readTree(report.toFile()).has("packages")).isTrue();
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void shouldSayWhatIsWrongWithACorruptFileInWordsAUserCanActOn() throws Exception {
        Path project = tmp.resolve("project");
        Files.createDirectories(project.resolve("node_modules/x"));
        Files.write(project.resolve("lib.jar"), new byte[] {'P', 'K', 3, 4, 'g', 'a', 'r', 'b', 'a', 'g', 'e'});
        Files.writeString(project.resolve("node_modules/x/package.json"), "{\"name\": \"x\", \"version\": ");
        Files.writeString(project.resolve("deploy.yaml"), "password: Hunter2Secret!\nitems: [1, 2\nb: {c: d\n");
        Files.writeString(project.resolve("odd\nname.json"), "{");

        Cli.Result result = Cli.run("fs", project.toString(), "--scanners", "misconfig");

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.err())
                .contains("lib.jar: java-archive could not read it: not a valid zip")
                .contains("package.json: npm-installed could not read it: not valid JSON at line 1")
                .contains("deploy.yaml: not read: not valid YAML at line")
                .doesNotContain("Exception")
                .doesNotContain("com.fasterxml")
                .doesNotContain("SeekableInMemoryByteChannel")
                .doesNotContain("Source:")
                .doesNotContain("Hunter2Secret");
        assertThat(result.err().lines()).allSatisfy(line -> assertThat(line).startsWith("palisade: "));
        assertThat(result.out()).contains("deploy.yaml").doesNotContain("Hunter2Secret");
        for (String format : List.of("json", "sarif", "cyclonedx", "spdx-json", "html")) {
            Cli.Result report = Cli.run("fs", project.toString(), "--scanners", "misconfig", "-f", format);
            assertThat(report.out())
                    .as("the YAML error in the %s report", format)
                    .contains("deploy.yaml")
                    .doesNotContain("Hunter2Secret");
        }
    }

    @Test
    void shouldKeepTheMostSevereTenThousandCheckFindingsAndCountTheRest() throws Exception {
        StringBuilder list = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[");
        for (int i = 0; i < 3000; i++) {
            list.append(i == 0 ? "" : ",")
                    .append("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p")
                    .append(i)
                    .append("\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1\",")
                    .append("\"securityContext\":{\"privileged\":true}}]}}");
        }
        Path manifests =
                Files.writeString(tmp.resolve("pods.json"), list.append("]}").toString());

        Cli.Result result = Cli.run("config", manifests.toString(), "-f", "json");
        JsonNode report = JSON.readTree(result.out());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(report.path("misconfigurations")).hasSize(10_000);
        assertThat(report.path("misconfigurations"))
                .anySatisfy(m -> assertThat(m.path("severity").asText()).isEqualTo("CRITICAL"));
        assertThat(report.path("problems"))
                .anySatisfy(p -> assertThat(p.path("reason").asText())
                        .matches("\\d+ more findings not kept: at most 10000 per scan, the most severe first"));
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        report.path("misconfigurations")
                .forEach(m -> counts.merge(m.path("severity").asText(), 1, Integer::sum));
        assertThat(counts.getOrDefault("CRITICAL", 0))
                .as("every privileged pod is kept before any lesser finding")
                .isEqualTo(Math.min(3000, 10_000));
    }

    private static List<String> ids(JsonNode report) {
        List<String> ids = new ArrayList<>();
        report.path("misconfigurations").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }
}
