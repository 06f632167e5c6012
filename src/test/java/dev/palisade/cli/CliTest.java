package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.testing.Cli;
import dev.palisade.testing.ImageBuilder;
import dev.palisade.testing.JsonReports;
import dev.palisade.testing.TarBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path tmp;

    static Cli.Result run(String... args) {
        return Cli.run(args);
    }

    @Test
    void shouldExitWithTwoAndAClearMessageWhenTheArtifactIsUnreadable() throws Exception {
        Path garbage = Files.writeString(tmp.resolve("garbage.tar"), "not an image");

        Cli.Result missing = run("image", tmp.resolve("absent.tar").toString(), "--scanners", "none");
        Cli.Result unreadable = run("image", garbage.toString(), "--scanners", "none");

        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err())
                .startsWith("palisade: error: ")
                .contains("absent.tar")
                .doesNotContain("Exception");
        assertThat(missing.out()).isEmpty();
        assertThat(unreadable.exit()).isEqualTo(2);
        assertThat(unreadable.err()).contains("garbage.tar").doesNotContain("\tat ");
    }

    @Test
    void shouldRejectUnknownFormatsAndBadLimits() {
        assertThat(run("fs", tmp.toString(), "--format", "xml").err()).contains("unknown format 'xml'");
        assertThat(run("fs", tmp.toString(), "--max-file-size", "lots").exit()).isEqualTo(2);
        assertThat(run("fs").exit()).isEqualTo(2);
        assertThat(run().exit()).isEqualTo(2);
    }

    @Test
    void shouldWriteOnlyTheReportToStdoutAndProblemsToStderr() throws Exception {
        byte[] layer = new TarBuilder()
                .file(
                        "var/lib/dpkg/status",
                        "Package: bash\nStatus: install ok installed\nVersion: 5.2\n\nbroken line\n")
                .build();
        Path image = new ImageBuilder().layer(layer, "base").dockerArchive(tmp.resolve("i.tar"));

        Cli.Result result = run("image", image.toString(), "--format", "json", "--scanners", "none");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).startsWith("{");
        JsonNode report = JsonReports.read(result.out());
        assertThat(JsonReports.packages(report)).contains("bash");
        assertThat(JsonReports.problems(report))
                .anySatisfy(reason -> assertThat(reason).contains("not a 'Field: value' line"));
        assertThat(result.err())
                .contains("palisade: warning: var/lib/dpkg/status")
                .contains("line 5");
    }

    @Test
    void shouldWriteTheReportToTheOutputFile() throws Exception {
        Files.writeString(tmp.resolve("requirements.txt"), "requests==2.31.0\n");
        Path report = tmp.resolve("out/report.cdx.json");

        Cli.Result result = run(
                "fs",
                tmp.toString(),
                "--format",
                "cyclonedx",
                "--output",
                report.toString(),
                "--quiet",
                "--scanners",
                "none");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEmpty();
        JsonNode bom = JsonReports.read(Files.readString(report));
        assertThat(bom.path("specVersion").asText()).isEqualTo("1.6");
        assertThat(bom.path("components"))
                .extracting(c -> c.path("purl").asText())
                .contains("pkg:pypi/requests@2.31.0");
    }

    @Test
    void shouldScanAFunctionZipWithoutLeavingIt() throws Exception {
        Path zip = tmp.resolve("function.zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            add(out, "node_modules/lodash/package.json", "{\"name\":\"lodash\",\"version\":\"4.17.20\"}");
            add(out, "../../outside/node_modules/evil/package.json", "{\"name\":\"evil\",\"version\":\"1.0.0\"}");
            add(
                    out,
                    "package-lock.json",
                    "{\"lockfileVersion\":3,\"packages\":{\"\":{},\"node_modules/lodash\":{\"version\":\"4.17.20\"}}}");
        }

        Cli.Result result = run("function", zip.toString(), "--format", "json", "--scanners", "none");

        assertThat(result.exit()).isZero();
        JsonNode report = JsonReports.read(result.out());
        assertThat(JsonReports.purls(report)).contains("pkg:npm/lodash@4.17.20");
        assertThat(result.out()).doesNotContain("pkg:npm/evil");
        assertThat(report.path("artifact").path("deploymentModel").asText()).isEqualTo("function");
        assertThat(JsonReports.problems(report))
                .anySatisfy(reason -> assertThat(reason).contains("escapes the artifact root"));
    }

    private static void add(ZipArchiveOutputStream out, String name, String content) throws Exception {
        out.putArchiveEntry(new ZipArchiveEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeArchiveEntry();
    }
}
