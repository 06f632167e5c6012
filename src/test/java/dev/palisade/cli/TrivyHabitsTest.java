package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.testing.Cli;
import dev.palisade.testing.JsonReports;
import dev.palisade.testing.Scans;
import dev.palisade.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What people used to Trivy do without thinking: settings from the environment and a config file, a
 * .trivyignore in the working directory, {@code version -f json}. The target is a CycloneDX SBOM the test
 * writes (log4j-core 2.14.1: CRITICAL and HIGH; snakeyaml 1.30: HIGH and MEDIUM), matched against the
 * pinned advisory data.
 */
class TrivyHabitsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Path bom() throws Exception {
        return Files.writeString(
                tmp.resolve("bom.json"),
                """
                {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
                 {"type": "library", "group": "org.apache.logging.log4j", "name": "log4j-core", "version": "2.14.1",
                  "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},
                 {"type": "library", "group": "org.yaml", "name": "snakeyaml", "version": "1.30",
                  "purl": "pkg:maven/org.yaml/snakeyaml@1.30"}]}
                """);
    }

    Cli.Result scan(Path workingDirectory, Map<String, String> variables, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("sbom", bom().toString()));
        args.addAll(List.of(extra));
        args.addAll(TestDatabase.offlineArgs());
        return Cli.runIn(workingDirectory, variables, args.toArray(String[]::new));
    }

    static Set<String> severities(Cli.Result result) throws Exception {
        assertThat(result.exit()).as(result.err()).isZero();
        return new TreeSet<>(JsonReports.texts(JsonReports.read(result.out()), "vulnerabilities", "severity"));
    }

    Path directory(String name) throws Exception {
        return Files.createDirectories(tmp.resolve(name));
    }

    @Test
    void shouldTakeAFlagOverItsEnvironmentVariableOverTheConfigFile() throws Exception {
        Path project = directory("project");
        Files.writeString(project.resolve("palisade.yaml"), "severity: [MEDIUM]\nformat: json\n");

        assertThat(severities(scan(project, Map.of())))
                .as("palisade.yaml alone")
                .containsExactly("MEDIUM");
        assertThat(severities(scan(project, Map.of("PALISADE_SEVERITY", "HIGH"))))
                .as("the variable over the file")
                .containsExactly("HIGH");
        assertThat(severities(scan(project, Map.of("PALISADE_SEVERITY", "HIGH"), "-s", "CRITICAL")))
                .as("the flag over both")
                .containsExactly("CRITICAL");
        assertThat(severities(scan(
                        directory("elsewhere"),
                        Map.of("PALISADE_FORMAT", "json", "PALISADE_SEVERITY", "HIGH,CRITICAL"))))
                .as("the variables alone; a list separated by commas")
                .containsExactly("CRITICAL", "HIGH");
        assertThat(severities(scan(project, Map.of("PALISADE_SEVERITY", ""))))
                .as("a variable set but empty is unset, as Trivy reads its own: the file's setting stands")
                .containsExactly("MEDIUM");
        Files.writeString(project.resolve("palisade.yaml"), "severity: []\nformat: json\n");
        assertThat(scan(project, Map.of("PALISADE_SEVERITY", "")).exit())
                .as("an empty list in the file is no setting either: every severity, not an error")
                .isZero();
    }

    @Test
    void shouldLetACommandsSectionOfTheConfigFileWinOverItsTopLevel() throws Exception {
        Path project = directory("project");
        Path config = Files.writeString(
                tmp.resolve("team.yaml"), "format: json\nseverity: [MEDIUM]\nsbom:\n  severity:\n    - CRITICAL\n");

        assertThat(severities(scan(project, Map.of(), "--config", config.toString())))
                .containsExactly("CRITICAL");
        assertThat(severities(scan(project, Map.of("PALISADE_CONFIG", config.toString()))))
                .containsExactly("CRITICAL");
    }

    @Test
    void shouldRefuseAMissingConfigFileAndAnUnknownSetting() throws Exception {
        Path project = directory("project");
        Cli.Result missing =
                scan(project, Map.of(), "--config", tmp.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("palisade: error: --config: ").contains("no such file");

        Files.writeString(project.resolve("palisade.yaml"), "sevrity: [HIGH]\n");
        Cli.Result typo = scan(project, Map.of());
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown setting 'sevrity'");
    }

    @Test
    void shouldReadATrivyignoreWithCommentsAndExpiryDates() throws Exception {
        Path ignore = Files.writeString(
                tmp.resolve("ignores"),
                String.join(
                        "\n",
                        "# accepted until the upgrade",
                        "CVE-2021-44228",
                        "CVE-2021-45046 exp:2099-01-31",
                        "CVE-2021-45105 exp:2025-06-30",
                        "CVE-2022-1471 exp:someday",
                        "",
                        "   # indented comment",
                        "CVE-2022-25857   # a note after the id",
                        ""));

        Cli.Result result = scan(directory("project"), Map.of(), "--ignorefile", ignore.toString(), "-f", "json");

        JsonNode report = JsonReports.read(result.out());
        assertThat(JsonReports.texts(report, "suppressed", "id"))
                .containsExactlyInAnyOrder("CVE-2021-44228", "CVE-2021-45046", "CVE-2022-25857");
        assertThat(JsonReports.vulnerabilities(report))
                .as("an expired entry and one whose expiry is not a date no longer apply")
                .contains("CVE-2021-45105", "CVE-2022-1471")
                .doesNotContain("CVE-2021-44228", "CVE-2021-45046", "CVE-2022-25857");
        assertThat(result.err())
                .contains("CVE-2021-45105 expired on 2025-06-30")
                .contains("CVE-2022-1471): expiry 'someday' is not a date");
    }

    @Test
    void shouldPickUpTheTrivyignoreOfTheWorkingDirectoryUnlessAnotherFileIsNamed() throws Exception {
        Path plain = directory("plain");
        Files.writeString(plain.resolve(".trivyignore"), "CVE-2021-44228\n");
        Path yaml = directory("yaml");
        Files.writeString(
                yaml.resolve(".trivyignore.yaml"),
                "vulnerabilities:\n  - id: CVE-2022-1471\n    purls: [pkg:maven/org.yaml/snakeyaml]\n    statement: not parsed\n");
        Path named = Files.writeString(tmp.resolve("named.yml"), "vulnerabilities:\n  - id: CVE-2021-45046\n");

        assertThat(suppressed(scan(plain, Map.of(), "-f", "json"))).containsExactly("CVE-2021-44228");
        assertThat(suppressed(scan(yaml, Map.of(), "-f", "json"))).containsExactly("CVE-2022-1471");
        assertThat(suppressed(scan(plain, Map.of(), "-f", "json", "--ignorefile", named.toString())))
                .as("a named file replaces the default one")
                .containsExactly("CVE-2021-45046");
        assertThat(suppressed(scan(directory("empty"), Map.of(), "-f", "json"))).isEmpty();
    }

    @Test
    void shouldSuppressWithACycloneDxVex() throws Exception {
        Path vex = Files.writeString(
                tmp.resolve("app.cdx.json"),
                """
                {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
                 "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
                 "components": [{"type": "library", "bom-ref": "yaml-lib", "name": "snakeyaml",
                                 "purl": "pkg:maven/org.yaml/snakeyaml@1.30"}],
                 "vulnerabilities": [
                  {"id": "CVE-2021-44228",
                   "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
                   "affects": [{"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}]},
                  {"id": "CVE-2022-25857", "analysis": {"state": "resolved"}, "affects": [{"ref": "yaml-lib"}]},
                  {"id": "CVE-2022-1471", "analysis": {"state": "in_triage"}, "affects": [{"ref": "yaml-lib"}]},
                  {"id": "CVE-2021-45046", "analysis": {"state": "not_affected"},
                   "affects": [{"ref": "pkg:maven/org.yaml/snakeyaml@1.30"}]}]}
                """);

        Cli.Result result = scan(directory("project"), Map.of(), "--vex", vex.toString(), "-f", "json");

        JsonNode report = JsonReports.read(result.out());
        assertThat(suppressed(result)).containsExactlyInAnyOrder("CVE-2021-44228", "CVE-2022-25857");
        assertThat(JsonReports.vulnerabilities(report))
                .as("in_triage suppresses nothing; a statement on another package leaves this one's finding")
                .contains("CVE-2022-1471", "CVE-2021-45046");
        assertThat(JsonReports.elements(report, "suppressed"))
                .anySatisfy(s -> assertThat(s.path("suppression").path("reason").asText())
                        .isEqualTo("VEX not_affected: code_not_reachable"));
    }

    static List<String> suppressed(Cli.Result result) throws Exception {
        assertThat(result.exit()).as(result.err()).isZero();
        return JsonReports.texts(JsonReports.read(result.out()), "suppressed", "id");
    }

    @Test
    void shouldPrintTheVersionAndTheDatabaseAsJson() throws Exception {
        String cache = TestDatabase.cacheDirectory().toString();
        Cli.Result version = Cli.run("version", "-f", "json", "--cache-dir", cache);

        assertThat(version.exit()).as(version.err()).isZero();
        JsonNode document = JSON.readTree(version.out());
        assertThat(document.path("version").asText()).isEqualTo(PalisadeCommand.version());
        JsonNode database = document.path("database");
        assertThat(database.path("present").asBoolean()).isTrue();
        assertThat(database.path("builtAt").asText())
                .isEqualTo(Scans.FIXED.instant().toString());
        List<String> sources = new ArrayList<>();
        database.path("sources").forEach(s -> sources.add(s.path("name").asText()));
        assertThat(sources).contains("Maven", "Debian", "KEV");
        assertThat(database.path("sources").get(0).path("fetchedAt").asText()).isNotEmpty();

        Cli.Result status = Cli.run("db", "status", "-f", "json", "--cache-dir", cache);
        assertThat(JSON.readTree(status.out()).path("sources")).isEqualTo(database.path("sources"));

        Cli.Result text = Cli.runWith(Map.of("PALISADE_CACHE_DIR", cache), "--version");
        assertThat(text.out().lines().toList()).first().isEqualTo("palisade " + PalisadeCommand.version());
        assertThat(text.out()).contains("built at:   " + Scans.FIXED.instant());

        Cli.Result none = Cli.run(
                "version", "-f", "json", "--cache-dir", tmp.resolve("no-db").toString());
        assertThat(JSON.readTree(none.out()).path("database").path("present").asBoolean())
                .isFalse();
    }

    @Test
    void shouldListTheChecksAsJson() throws Exception {
        Cli.Result result = Cli.run("checks", "list", "-f", "json");

        assertThat(result.exit()).isZero();
        JsonNode checks = JSON.readTree(result.out()).path("checks");
        assertThat(checks.size()).isGreaterThan(10);
        List<String> ids = new ArrayList<>();
        checks.forEach(c -> ids.add(c.path("id").asText()));
        assertThat(ids).contains("PAL-1007", "PAL-1008");
        assertThat(checks.get(0).path("severity").asText()).isIn("LOW", "MEDIUM", "HIGH", "CRITICAL");
    }

    @Test
    void shouldShowNoProgressWithNoProgressEvenToAPerson() throws Exception {
        assertThat(interactiveStderr()).as("a person watching sees progress").contains("\r\033[K");
        assertThat(interactiveStderr("--no-progress")).doesNotContain("\r\033[K");
        assertThat(interactiveStderr("--debug")).contains("palisade: debug: ignore file: ");
    }

    String interactiveStderr(String... extra) throws Exception {
        Path project = directory("interactive-" + extra.length + String.join("", extra));
        Files.writeString(project.resolve(".trivyignore"), "CVE-2021-44228\n");
        List<String> args = new ArrayList<>(List.of("sbom", bom().toString(), "-f", "json"));
        args.addAll(List.of(extra));
        args.addAll(TestDatabase.offlineArgs());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Environment environment = new Environment(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]),
                Map.of(),
                Scans.FIXED,
                true,
                project);
        assertThat(Main.run(environment, args.toArray(String[]::new))).isZero();
        return err.toString(StandardCharsets.UTF_8);
    }
}
