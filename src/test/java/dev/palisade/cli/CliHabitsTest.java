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

    static picocli.CommandLine commandLine() {
        return PalisadeCommand.commandLine(new Environment(
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.ByteArrayInputStream(new byte[0]),
                Map.of(),
                java.time.Clock.systemUTC(),
                false));
    }

    /** Every command below the top, by its full name ({@code db status}), picocli's help command aside. */
    static Map<String, picocli.CommandLine> commands(
            picocli.CommandLine parent, String prefix, Map<String, picocli.CommandLine> into) {
        for (var e : parent.getSubcommands().entrySet()) {
            if (!e.getKey().equals("help")) {
                into.put(prefix + e.getKey(), e.getValue());
                commands(e.getValue(), prefix + e.getKey() + " ", into);
            }
        }
        return into;
    }

    /** Words as a POSIX shell splits them: single quotes keep globs from the shell. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        for (var m : java.util.regex.Pattern.compile("'([^']*)'|(\\S+)")
                .matcher(line)
                .results()
                .toList()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return words;
    }

    @Test
    void theHelpOfEveryCommandGivesExamplesThatParse() {
        Map<String, picocli.CommandLine> all = commands(commandLine(), "", new TreeMap<>());
        all.put("", commandLine());
        assertThat(all).containsKeys("image", "fs", "db status", "evidence verify", "completion");
        for (var command : all.entrySet()) {
            List<String> examples = java.util.Arrays.stream(
                            command.getValue().getCommandSpec().usageMessage().footer())
                    .map(String::strip)
                    .filter(line -> line.startsWith("palisade"))
                    .toList();
            assertThat(examples).as("examples of '%s'", command.getKey()).hasSizeBetween(2, 3);
            for (String example : examples) {
                List<String> args = words(example.replaceFirst(" [>|] .*$", ""));
                var parsed =
                        commandLine().parseArgs(args.subList(1, args.size()).toArray(String[]::new));
                List<String> names = new ArrayList<>();
                for (var p = parsed.subcommand(); p != null; p = p.subcommand()) {
                    names.add(p.commandSpec().name());
                }
                assertThat(String.join(" ", names) + " ")
                        .as(example)
                        .startsWith(command.getKey().isEmpty() ? "" : command.getKey() + " ");
            }
        }
        assertThat(commandLine().getSubcommands().get("image").getUsageMessage())
                .contains("Examples:");
    }

    static java.util.Set<String> options(String command) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        commands(commandLine(), "", new TreeMap<>())
                .get(command)
                .getCommandSpec()
                .options()
                .forEach(o -> names.addAll(List.of(o.names())));
        return names;
    }

    @Test
    void eachCommandListsOnlyTheOptionsItUses() {
        assertThat(options("sbom"))
                .doesNotContain(
                        "--skip-files", "--skip-dirs", "--secret-rules", "--trusted-sources", "--no-layer-cache")
                .contains("-s", "--no-progress", "--debug", "--exit-on");
        assertThat(options("config"))
                .doesNotContain(
                        "--server", "--token", "--list-packages", "--vex", "--ignore-unfixed", "--no-layer-cache")
                .contains("--skip-files", "--skip-dirs", "--trusted-sources");
        assertThat(options("fs")).doesNotContain("--no-layer-cache", "--layer-cache-max-size", "--dockerfile");
        assertThat(options("image")).contains("--no-layer-cache", "--layer-cache-max-size", "--dockerfile");
        assertThat(options("registry")).contains("--no-layer-cache");
        for (String reader : List.of("version", "db status")) {
            assertThat(options(reader))
                    .as(reader)
                    .contains("--cache-dir")
                    .doesNotContain("--db-mirror", "--kev-source", "--db-max-age", "--skip-db-update", "--offline");
        }
        assertThat(options("db update")).contains("--db-mirror", "--kev-source", "--offline");
        for (String fileBased : List.of("image", "rootfs", "host", "fs", "function", "config", "registry")) {
            assertThat(options(fileBased))
                    .as(fileBased)
                    .contains("--skip-files", "--skip-dirs", "-s", "--severity", "--no-progress", "-d", "--debug");
        }
    }

    @Test
    void anOptionACommandDoesNotUseIsRefused() throws Exception {
        Path bom = Files.writeString(tmp.resolve("bom.json"), "{}");

        Cli.Result result = Cli.run("sbom", bom.toString(), "--skip-files", "*.jar");

        assertThat(result.exit()).isEqualTo(PalisadeCommand.EXIT_UNREADABLE);
        assertThat(result.err()).startsWith("Unknown options: '--skip-files', '*.jar'");
    }

    @Test
    void completionScriptsNameEverySubcommand() {
        for (String shell : List.of("bash", "zsh")) {
            Cli.Result result = Cli.run("completion", shell);

            assertThat(result.exit()).as(result.err()).isZero();
            var commands = java.util.regex.Pattern.compile("(?m)^\\s*local commands=\"([^\"]*)\"")
                    .matcher(result.out());
            assertThat(commands.find()).isTrue();
            assertThat(List.of(commands.group(1).split(" ")))
                    .containsExactlyInAnyOrderElementsOf(
                            commandLine().getSubcommands().keySet());
            assertThat(result.out()).contains("ZSH_VERSION");
        }
        Cli.Result fish = Cli.run("completion", "fish");
        assertThat(fish.exit()).isEqualTo(PalisadeCommand.EXIT_UNREADABLE);
        assertThat(fish.err()).startsWith("completion: unknown shell 'fish' (use bash or zsh)");
    }

    /** Secrets in three places; the skips leave out two of them. */
    Path projectWithSecrets() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("secrets"));
        String key = "export KEY=AKIA" + "Q3ZJ5X7N2M4K8P6R" + "\n";
        for (String file :
                List.of("app/deploy.sh", "web/node_modules/lib/deploy.sh", "test/keys/deploy.sh", "test/deploy.sh")) {
            Files.createDirectories(dir.resolve(file).getParent());
            Files.writeString(dir.resolve(file), key);
        }
        return dir;
    }

    static List<String> secretPaths(Cli.Result result) {
        assertThat(result.exit()).as(result.err()).isZero();
        return dev.palisade.testing.JsonReports.misconfigurations(dev.palisade.testing.JsonReports.read(result.out()))
                .stream()
                .map(m -> m.path("path").asText())
                .sorted()
                .toList();
    }

    @Test
    void skipFilesAndSkipDirsTakeTrivysGlobs() throws Exception {
        Path project = projectWithSecrets();
        List<String> scan = List.of("fs", project.toString(), "--scanners", "secret", "-f", "json");
        List<String> args = new ArrayList<>(scan);
        args.addAll(List.of("--skip-dirs", "**/node_modules", "--skip-files", "test/*/deploy.sh"));

        List<String> all = secretPaths(Cli.run(scan.toArray(String[]::new)));
        List<String> skipped = secretPaths(Cli.run(args.toArray(String[]::new)));
        List<String> fromEnvironment =
                secretPaths(Cli.runWith(Map.of("PALISADE_SKIP_DIRS", "web,test/keys"), scan.toArray(String[]::new)));

        assertThat(all)
                .containsExactly(
                        "app/deploy.sh", "test/deploy.sh", "test/keys/deploy.sh", "web/node_modules/lib/deploy.sh");
        assertThat(skipped).containsExactly("app/deploy.sh", "test/deploy.sh");
        assertThat(fromEnvironment).containsExactly("app/deploy.sh", "test/deploy.sh");
    }

    @Test
    void pathSkipsFollowGlobSemantics() {
        var skips = dev.palisade.source.PathSkips.of(
                List.of("**/*.pem", "docs/*.md"), List.of("**/node_modules", "a/**/tmp"));

        assertThat(skips.skips("key.pem")).isTrue();
        assertThat(skips.skips("x/y/key.pem")).isTrue();
        assertThat(skips.skips("docs/readme.md")).isTrue();
        assertThat(skips.skips("docs/sub/readme.md")).isFalse();
        assertThat(skips.skips("node_modules/x/package.json")).isTrue();
        assertThat(skips.skips("web/node_modules/x/package.json")).isTrue();
        assertThat(skips.skips("web/node_modules_old/package.json")).isFalse();
        assertThat(skips.skips("a/tmp/f")).isTrue();
        assertThat(skips.skips("a/b/c/tmp/f")).isTrue();
        assertThat(skips.skips("b/tmp/f")).isFalse();
    }

    record Run(int exit, String out, String err) {}

    /** A run whose stdout and stderr are terminals or not, as asked. */
    Run runOn(boolean stdoutTerminal, boolean stderrTerminal, Map<String, String> variables, String... args) {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        Environment environment = new Environment(
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.ByteArrayInputStream(new byte[0]),
                variables,
                java.time.Clock.systemUTC(),
                stderrTerminal,
                tmp,
                stdoutTerminal);
        int exit = Main.run(environment, args);
        return new Run(
                exit,
                out.toString(java.nio.charset.StandardCharsets.UTF_8),
                err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A project whose table has long cells: a Dockerfile deep in directories, with misconfigurations. */
    Path deepProject() throws Exception {
        Path dir = tmp.resolve("deep");
        Path dockerfile = dir.resolve("services/payments/backend/deployment/containers/production/Dockerfile");
        Files.createDirectories(dockerfile.getParent());
        Files.writeString(dockerfile, "FROM debian:latest\nUSER root\nRUN curl -sSL https://example.com/i.sh | sh\n");
        return dir;
    }

    static List<String> tableLines(String out) {
        return out.lines()
                .filter(l -> l.startsWith("PAL-") || l.startsWith("CHECK"))
                .toList();
    }

    @Test
    void theTableFitsTheTerminalAndColoursSeverities() throws Exception {
        String[] args = {"fs", deepProject().toString(), "--scanners", "misconfig"};

        Run terminal = runOn(true, false, Map.of("COLUMNS", "72"), args);
        Run noColor = runOn(true, false, Map.of("COLUMNS", "72", "NO_COLOR", "1"), args);
        Run flag = runOn(true, false, Map.of("COLUMNS", "72"), append(args, "--no-color"));
        Run piped = runOn(false, false, Map.of(), args);

        List<String> rows = tableLines(terminal.out());
        assertThat(rows).hasSizeGreaterThan(2);
        for (String row : rows) {
            assertThat(row.replaceAll("\\033\\[[0-9;]*m", "").length()).as(row).isLessThanOrEqualTo(72);
        }
        assertThat(rows.get(1)).matches("PAL-\\d+ +\\033\\[(1;31|31|33|34)m[A-Z]+\\033\\[0m .*");
        assertThat(rows.get(1)).containsPattern(" …[^ ]*Dockerfile:\\d+ ");
        assertThat(noColor.out()).doesNotContain("\033[");
        assertThat(flag.out()).doesNotContain("\033[");
        assertThat(tableLines(noColor.out())).isEqualTo(tableLines(flag.out()));
        assertThat(piped.out()).doesNotContain("\033[").doesNotContain("…");
        assertThat(tableLines(piped.out()).get(1))
                .contains("services/payments/backend/deployment/containers/production/Dockerfile:");
        assertThat(java.util.Collections.max(
                        tableLines(piped.out()).stream().map(String::length).toList()))
                .isGreaterThan(72);
    }

    static String[] append(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void progressGoesToAStderrTerminalEvenWhenStdoutIsPipedAndIsClearedBeforeWarnings() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(project.resolve("package-lock.json"), "{ not json");

        Run run = runOn(false, true, Map.of(), "fs", project.toString(), "--scanners", "none", "-f", "json");
        Run quiet = runOn(false, true, Map.of(), "fs", project.toString(), "--scanners", "none", "--no-progress");
        Run notTerminal = runOn(false, false, Map.of(), "fs", project.toString(), "--scanners", "none");

        assertThat(run.exit()).as(run.err()).isZero();
        List<String> segments = List.of(run.err().split("\r\033\\[K", -1));
        assertThat(segments.size()).as(run.err()).isGreaterThan(2);
        // each piece between clears is a progress message (no newline) or stands after a clear: a warning
        // never follows progress text on the same line
        for (String segment : segments) {
            if (segment.contains("palisade: warning")) {
                assertThat(segment).startsWith("palisade: warning");
            }
        }
        assertThat(run.err()).contains("palisade: warning");
        assertThat(quiet.err()).doesNotContain("\r").contains("palisade: warning");
        assertThat(notTerminal.err()).doesNotContain("\r").contains("palisade: warning");
    }

    @Test
    void aDescriptorLinkToATerminalDeviceIsATerminal() throws Exception {
        Path pts = Files.createSymbolicLink(tmp.resolve("fd1"), Path.of("/dev/pts/7"));
        Path pipe = Files.createSymbolicLink(tmp.resolve("fd2"), Path.of("pipe:[123456]"));
        Path file = Files.createSymbolicLink(tmp.resolve("fd3"), tmp.resolve("report.json"));

        assertThat(Environment.isTerminal(pts)).contains(true);
        assertThat(Environment.isTerminal(pipe)).contains(false);
        assertThat(Environment.isTerminal(file)).contains(false);
        assertThat(Environment.isTerminal(tmp.resolve("missing"))).isEmpty();
    }

    static String error(Cli.Result result) {
        assertThat(result.exit()).isEqualTo(PalisadeCommand.EXIT_UNREADABLE);
        assertThat(result.err()).startsWith("palisade: error: ");
        return result.err().strip().substring("palisade: error: ".length());
    }

    @Test
    void anEmptySeverityListIsRefusedNotReadAsEverySeverity() throws Exception {
        Path sbom = Files.writeString(
                tmp.resolve("bom.json"),
                "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": []}");

        for (String empty : List.of(",,", "", " , ")) {
            assertThat(error(Cli.run("sbom", sbom.toString(), "--severity", empty)))
                    .as(empty)
                    .isEqualTo(
                            "--severity: no severity given (use one or more of UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL)");
        }
        assertThat(error(Cli.run("sbom", sbom.toString(), "--severity", "HIGH,,BAD")))
                .isEqualTo("--severity: unknown severity '' (use UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL)");
        assertThat(Cli.run("sbom", sbom.toString(), "--severity", "HIGH,CRITICAL")
                        .exit())
                .isZero();
    }

    @Test
    void aBadSbomIsCalledThatInPlainWords() throws Exception {
        Path truncated = Files.writeString(tmp.resolve("cut.json"), "{\"bomFormat\": \"CycloneDX\", \"components\": [");
        Path text = Files.writeString(tmp.resolve("text.json"), "name,version\nlog4j,2.14.1\n");
        Path other = Files.writeString(tmp.resolve("other.json"), "{\"name\": \"my-app\"}");

        assertThat(error(Cli.run("sbom", truncated.toString(), "--scanners", "none")))
                .isEqualTo(
                        truncated + " is not an SBOM: the file ends before its JSON document does (line 1, column 43)"
                                + " (an SBOM is a CycloneDX or SPDX JSON document)");
        assertThat(error(Cli.run("sbom", text.toString(), "--scanners", "none")))
                .isEqualTo(text + " is not an SBOM: the file is not JSON (line 1, column 1)"
                        + " (an SBOM is a CycloneDX or SPDX JSON document)");
        Path deep = Files.writeString(
                tmp.resolve("deep.json"),
                "{\"bomFormat\": \"CycloneDX\", \"components\": [" + "[".repeat(300) + "]".repeat(300) + "]}");
        assertThat(error(Cli.run("sbom", deep.toString(), "--scanners", "none")))
                .isEqualTo(deep + " is not an SBOM: the file is beyond the JSON parser's limits, document nesting depth"
                        + " (201) exceeds the maximum allowed (200) (an SBOM is a CycloneDX or SPDX JSON document)");
        assertThat(error(Cli.run("sbom", other.toString(), "--scanners", "none")))
                .isEqualTo(other + " is not an SBOM: JSON, but neither a CycloneDX document (bomFormat) nor an SPDX one"
                        + " (spdxVersion)");
    }

    @Test
    void aFileThatIsNotAnImageIsCalledThatInPlainWords() throws Exception {
        byte[] noise = new byte[4096];
        new java.util.Random(13).nextBytes(noise);
        noise[257] = 'u'; // not the tar magic either
        Path random = Files.write(tmp.resolve("random.tar"), noise);
        Path plainTar = Files.write(
                tmp.resolve("plain.tar"),
                new TarBuilder().file("notes.txt", "hello").build());

        assertThat(error(Cli.run("image", random.toString(), "--scanners", "none")))
                .isEqualTo(random + " is not an image: not a tar file, so neither a docker-archive (docker save) nor an"
                        + " OCI archive; an OCI layout is a directory");
        assertThat(error(Cli.run("image", plainTar.toString(), "--scanners", "none")))
                .isEqualTo(plainTar + " is not an image: a docker-archive (docker save) holds manifest.json and an OCI"
                        + " archive index.json, and this file has neither");
    }
}
