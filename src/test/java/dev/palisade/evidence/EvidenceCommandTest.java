package dev.palisade.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.testing.Cli;
import dev.palisade.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code palisade evidence} from a folder of real reports the CLI wrote at fixed times
 * with the pinned database: the pack is stable (golden files, regenerate with {@code -Dgolden.update=true}),
 * verifies, and any changed, added or removed file or a foreign key fails verification.
 */
class EvidenceCommandTest {
    private static final Path GOLDEN = Paths.get("src/test/resources/golden/evidence");
    private static final Path KEYS = Paths.get("src/test/resources/evidence");
    /** Reports name their artifact by the path given: absolute, and written as SBOMS/ in the golden files. */
    private static final Path SBOMS = Paths.get("target/evidence-test").toAbsolutePath();

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<String> GOLDEN_FILES =
            List.of("evidence.json", "coverage.csv", "patch-sla.csv", "exceptions.csv", "controls.csv", "report.html");

    @TempDir
    static Path temp;

    static Path pack;

    @BeforeAll
    static void makePack() throws Exception {
        Path reports = Files.createDirectories(temp.resolve("reports/shop"));
        // a report names its artifact as given on the command line: the same relative path for every version
        Path web = Files.createDirectories(SBOMS.resolve("web")).resolve("bom.json");
        Path api = Files.createDirectories(SBOMS.resolve("api")).resolve("bom.json");
        Path ignore = SBOMS.resolve("palisade-ignore.yaml");
        Files.writeString(
                ignore,
                "vulnerabilities:\n  - id: CVE-2022-38749\n    reason: \"we parse no untrusted YAML\"\n    expires: 2026-06-30\n"
                        + "    owner: team-payments\n    approved_by: jane.doe\n");
        Files.writeString(web, sbom("1.30"));
        report(web, reports.resolve("web-day0.json"), 0, null);
        report(web, reports.resolve("web-day10.json"), 10, ignore);
        Files.writeString(web, sbom("1.33"));
        report(web, reports.resolve("web-day40.json"), 40, null);
        Files.writeString(api, sbom("1.30"));
        report(api, Files.createDirectories(temp.resolve("reports/payments")).resolve("api-day5.json"), 5, null);

        pack = temp.resolve("pack");
        Cli.Result made = Cli.runAt(
                at(60),
                Map.of(),
                "evidence",
                "--reports",
                temp.resolve("reports").toString(),
                "--output",
                pack.toString(),
                "--since",
                "90d",
                "--cadence",
                "30d",
                "--signing-key",
                KEYS.resolve("test-signing-key.pem").toString());
        assertThat(made.exit()).as(made.err()).isZero();
    }

    private static java.time.Clock at(int day) {
        return java.time.Clock.fixed(T0.plus(Duration.ofDays(day)), java.time.ZoneOffset.UTC);
    }

    private static String sbom(String snakeyaml) {
        return "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"version\": 1, \"metadata\": {\"component\": "
                + "{\"type\": \"application\", \"name\": \"web\"}}, \"components\": [{\"type\": \"library\", \"name\": "
                + "\"snakeyaml\", \"version\": \"" + snakeyaml + "\", \"purl\": \"pkg:maven/org.yaml/snakeyaml@"
                + snakeyaml + "\"}]}";
    }

    private static void report(Path sbom, Path output, int day, Path ignore) throws Exception {
        List<String> args = new ArrayList<>(List.of("sbom", sbom.toString(), "-f", "json", "-o", output.toString()));
        args.addAll(TestDatabase.offlineArgs());
        if (ignore != null) {
            args.addAll(List.of("--ignore-file", ignore.toString()));
        }
        Cli.Result run = Cli.runAt(at(day), Map.of(), args.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isZero();
    }

    @Test
    void shouldWriteTheSamePackForTheSameReports() throws Exception {
        // made twice from the same reports with the same key: the same bytes, manifest and signature included
        Path again = temp.resolve("pack-again");
        Cli.Result made = Cli.runAt(
                at(60),
                Map.of(),
                "evidence",
                "--reports",
                temp.resolve("reports").toString(),
                "--output",
                again.toString(),
                "--since",
                "90d",
                "--cadence",
                "30d",
                "--signing-key",
                KEYS.resolve("test-signing-key.pem").toString());
        assertThat(made.exit()).as(made.err()).isZero();
        try (var files = Files.list(pack)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                assertThat(Files.readAllBytes(again.resolve(f.getFileName())))
                        .as(f.getFileName().toString())
                        .isEqualTo(Files.readAllBytes(f));
            }
        }

        for (String name : GOLDEN_FILES) {
            String written = Files.readString(pack.resolve(name), StandardCharsets.UTF_8)
                    .replace(version(), "VERSION")
                    .replace(SBOMS.toString(), "SBOMS");
            Path golden = GOLDEN.resolve(name + ".golden");
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(GOLDEN);
                Files.writeString(golden, written, StandardCharsets.UTF_8);
            }
            assertThat(written).as(name).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldShowTheHistoryOfTheReports() throws Exception {
        JsonNode evidence =
                new ObjectMapper().readTree(pack.resolve("evidence.json").toFile());
        assertThat(evidence.path("coverage").findValuesAsText("target"))
                .containsExactly(SBOMS + "/api/bom.json", SBOMS + "/web/bom.json");
        JsonNode sla = evidence.path("patchSla");
        JsonNode fixedLate = find(sla, "shop", "CVE-2022-25857");
        assertThat(fixedLate.path("firstSeen").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(fixedLate.path("deadline").asText()).isEqualTo("2026-01-31");
        assertThat(fixedLate.path("fixedAt").asText()).isEqualTo("2026-02-10T00:00:00Z");
        assertThat(fixedLate.path("status").asText()).isEqualTo("MISSED");
        assertThat(find(sla, "payments", "CVE-2022-25857").path("status").asText())
                .isEqualTo("OPEN_OVERDUE");
        assertThat(evidence.path("exceptions")).singleElement().satisfies(x -> {
            assertThat(x.path("kind").asText()).isEqualTo("vulnerability");
            assertThat(x.path("id").asText()).isEqualTo("CVE-2022-38749");
            assertThat(x.path("reason").asText()).isEqualTo("we parse no untrusted YAML");
        });
        // payments was scanned once, on day 5: 55 days without a scan
        JsonNode payments = evidence.path("coverage").get(0);
        assertThat(payments.path("application").asText()).isEqualTo("payments");
        assertThat(payments.path("meetsCadence").asBoolean()).isFalse();
    }

    @Test
    void shouldCarryOwnerApproverAndExpiryFromTheIgnoreFileThroughTheReportIntoTheRegister() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode saved =
                mapper.readTree(temp.resolve("reports/shop/web-day10.json").toFile());
        assertThat(saved.path("suppressed")).singleElement().satisfies(s -> {
            JsonNode why = s.path("suppression");
            assertThat(why.path("owner").asText()).isEqualTo("team-payments");
            assertThat(why.path("approvedBy").asText()).isEqualTo("jane.doe");
            assertThat(why.path("expires").asText()).isEqualTo("2026-06-30");
        });
        JsonNode register =
                mapper.readTree(pack.resolve("evidence.json").toFile()).path("exceptions");
        assertThat(register).singleElement().satisfies(x -> {
            assertThat(x.path("owner").asText()).isEqualTo("team-payments");
            assertThat(x.path("approvedBy").asText()).isEqualTo("jane.doe");
            assertThat(x.path("expires").asText()).isEqualTo("2026-06-30");
        });
        List<String> rows = Files.readAllLines(pack.resolve("exceptions.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        List<String> row = List.of(rows.get(1).split(",", -1));
        assertThat(rows).hasSize(2);
        assertThat(row.get(header.indexOf("owner"))).isEqualTo("team-payments");
        assertThat(row.get(header.indexOf("approved_by"))).isEqualTo("jane.doe");
        assertThat(row.get(header.indexOf("expires"))).isEqualTo("2026-06-30");
    }

    @Test
    void shouldListSuppressedCheckFindingsInTheRegisterWithTheirOwnerAndApprover() throws Exception {
        Path project = Files.createDirectories(temp.resolve("project"));
        Files.writeString(project.resolve("Dockerfile"), "FROM debian:12\nUSER app\n");
        Path ignore = temp.resolve("check-ignore.yaml");
        Files.writeString(
                ignore,
                "misconfigurations:\n  - id: PAL-2001\n    paths: [Dockerfile]\n    statement: \"the base image is"
                        + " rebuilt nightly\"\n    owner: team-platform\n    approved_by: sam.lee\n"
                        + "    expired_at: 2026-12-31\n");
        Path reports = Files.createDirectories(temp.resolve("check-reports/platform"));
        Path saved = reports.resolve("project-day3.json");
        Cli.Result scan = Cli.runAt(
                at(3),
                Map.of(),
                "config",
                project.toString(),
                "-f",
                "json",
                "-o",
                saved.toString(),
                "--ignore-file",
                ignore.toString());
        assertThat(scan.exit()).as(scan.err()).isZero();
        JsonNode why = new ObjectMapper()
                .readTree(saved.toFile())
                .path("suppressedMisconfigurations")
                .get(0)
                .path("suppression");
        assertThat(why.path("owner").asText()).isEqualTo("team-platform");

        Path checkPack = temp.resolve("check-pack");
        Cli.Result made = Cli.runAt(
                at(10),
                Map.of(),
                "evidence",
                "--reports",
                temp.resolve("check-reports").toString(),
                "--output",
                checkPack.toString(),
                "--signing-key",
                KEYS.resolve("test-signing-key.pem").toString());
        assertThat(made.exit()).as(made.err()).isZero();
        JsonNode register = new ObjectMapper()
                .readTree(checkPack.resolve("evidence.json").toFile())
                .path("exceptions");
        assertThat(register).singleElement().satisfies(x -> {
            assertThat(x.path("kind").asText()).isEqualTo("misconfiguration");
            assertThat(x.path("id").asText()).isEqualTo("PAL-2001");
            assertThat(x.path("subject").asText()).isEqualTo("Dockerfile");
            assertThat(x.path("reason").asText()).isEqualTo("the base image is rebuilt nightly");
            assertThat(x.path("owner").asText()).isEqualTo("team-platform");
            assertThat(x.path("approvedBy").asText()).isEqualTo("sam.lee");
            assertThat(x.path("expires").asText()).isEqualTo("2026-12-31");
        });
    }

    @Test
    void shouldOpenOfflineWithoutLoadingAnything() throws Exception {
        String html = Files.readString(pack.resolve("report.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("CVE-2022-25857");
        Pattern load = Pattern.compile(
                "(?i)(src|href|action|srcset|poster|data)\\s*=\\s*[\"']?\\s*(https?:)?//|url\\(\\s*[\"']?\\s*(https?:)?//|@import|<script|<link|<iframe");
        assertThat(load.matcher(html).find())
                .as("an external load in report.html")
                .isFalse();
    }

    @Test
    void shouldVerifyAnIntactPackAndTellEveryChangedAddedOrRemovedFile() throws Exception {
        Cli.Result intact = verify(pack);
        assertThat(intact.exit()).as(intact.err() + intact.out()).isZero();
        assertThat(intact.out()).contains("verified: 7 files match the signed manifest");
        assertThat(verify(
                                pack,
                                "--public-key",
                                KEYS.resolve("test-public-key.pem").toString())
                        .exit())
                .isZero();
        Cli.Result foreign = verify(
                pack, "--public-key", KEYS.resolve("other-public-key.pem").toString());
        assertThat(foreign.exit()).isEqualTo(1);
        assertThat(foreign.out()).contains("signature does not match");

        Path copy = copyOf(pack, "changed");
        byte[] csv = Files.readAllBytes(copy.resolve("patch-sla.csv"));
        csv[csv.length / 2] ^= 1;
        Files.write(copy.resolve("patch-sla.csv"), csv);
        Cli.Result changed = verify(copy);
        assertThat(changed.exit()).isEqualTo(1);
        assertThat(changed.out()).contains("patch-sla.csv: changed").doesNotContain("signature");

        copy = copyOf(pack, "added");
        Files.writeString(copy.resolve("extra.csv"), "a,b\r\n");
        assertThat(verify(copy).out()).contains("extra.csv: added");

        copy = copyOf(pack, "removed");
        Files.delete(copy.resolve("exceptions.csv"));
        assertThat(verify(copy).out()).contains("exceptions.csv: removed");

        copy = copyOf(pack, "manifest");
        Files.writeString(
                copy.resolve("MANIFEST.json"),
                Files.readString(copy.resolve("MANIFEST.json")).replace("SHA-256", "SHA-255"));
        assertThat(verify(copy).out()).contains("signature does not match");
    }

    @Test
    void shouldRefuseToWriteIntoAFolderThatHoldsOtherFiles() throws Exception {
        Path used = Files.createDirectories(temp.resolve("used"));
        Files.writeString(used.resolve("notes.txt"), "mine");
        Cli.Result refused = Cli.run(
                "evidence",
                "--reports",
                temp.resolve("reports").toString(),
                "--output",
                used.toString(),
                "--signing-key",
                KEYS.resolve("test-signing-key.pem").toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("is not empty");
        assertThat(Files.readString(used.resolve("notes.txt"))).isEqualTo("mine");
    }

    private static String version() throws java.io.IOException {
        java.util.Properties properties = new java.util.Properties();
        try (var in = EvidenceCommandTest.class.getResourceAsStream("/dev/palisade/version.properties")) {
            properties.load(in);
        }
        return properties.getProperty("version");
    }

    private static Cli.Result verify(Path folder, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("evidence", "verify", folder.toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private static Path copyOf(Path from, String name) throws Exception {
        Path to = Files.createDirectories(temp.resolve("copies").resolve(name));
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private static JsonNode find(JsonNode sla, String application, String id) {
        for (JsonNode e : sla) {
            if (e.path("application").asText().equals(application)
                    && e.path("vulnerabilityId").asText().equals(id)) {
                return e;
            }
        }
        throw new AssertionError("no " + id + " of " + application + " in " + sla);
    }
}
