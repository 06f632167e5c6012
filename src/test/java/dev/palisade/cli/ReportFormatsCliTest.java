package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.testing.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --format spdx-json, html and template through the real command line. */
class ReportFormatsCliTest {
    @TempDir
    Path tmp;

    private Path project;

    @BeforeEach
    void project() throws Exception {
        project = tmp.resolve("app");
        Path dir = Files.createDirectories(project.resolve("node_modules/left-pad"));
        Files.writeString(
                dir.resolve("package.json"), "{\"name\":\"left-pad\",\"version\":\"1.3.0\",\"license\":\"WTFPL\"}");
    }

    @Test
    void writesSpdxJsonWithTheDeclaredLicence() throws Exception {
        Cli.Result result = Cli.run("fs", project.toString(), "--format", "spdx-json", "--scanners", "none");

        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode document = new ObjectMapper().readTree(result.out());
        assertThat(document.get("spdxVersion").asText()).isEqualTo("SPDX-2.3");
        JsonNode leftPad = null;
        for (JsonNode p : document.get("packages")) {
            if (p.get("name").asText().equals("left-pad")) {
                leftPad = p;
            }
        }
        assertThat(leftPad).isNotNull();
        assertThat(leftPad.get("licenseDeclared").asText()).isEqualTo("WTFPL");
    }

    @Test
    void writesAnHtmlPage() throws Exception {
        Cli.Result result = Cli.run("fs", project.toString(), "--format", "html", "--scanners", "none");

        assertThat(result.exit()).as(result.err()).isZero();
        Document page = Jsoup.parse(result.out());
        assertThat(page.title()).startsWith("Palisade report");
    }

    @Test
    void fillsATemplateNamedWithAnAtSignAsTrivyUsersWriteIt() throws Exception {
        Path template = tmp.resolve("report.tpl");
        Files.writeString(template, "{{#packages}}{{name}} {{version}} {{#licenses}}{{.}}{{/licenses}}\n{{/packages}}");

        Cli.Result result = Cli.run(
                "fs", project.toString(), "-f", "template", "--report-template", "@" + template, "--scanners", "none");

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out().lines()).containsExactly("left-pad 1.3.0 WTFPL");
    }

    @Test
    void saysWhatATemplateReportLacks() throws Exception {
        Cli.Result noTemplate = Cli.run("fs", project.toString(), "-f", "template", "--scanners", "none");
        Path bad = tmp.resolve("bad.tpl");
        Files.writeString(bad, "{{#packages}}never closed");
        Cli.Result malformed = Cli.run(
                "fs", project.toString(), "-f", "template", "--report-template", bad.toString(), "--scanners", "none");
        Cli.Result missing = Cli.run(
                "fs", project.toString(), "-f", "template", "--report-template", "@" + tmp.resolve("absent.tpl"));
        Files.write(bad, new byte[] {(byte) 0xff, (byte) 0xfe});
        Cli.Result binary = Cli.run(
                "fs", project.toString(), "-f", "template", "--report-template", bad.toString(), "--scanners", "none");

        assertThat(noTemplate.exit()).isNotZero();
        assertThat(noTemplate.err()).contains("--report-template FILE");
        assertThat(malformed.exit()).isNotZero();
        assertThat(malformed.err()).contains("the template cannot be used");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("absent.tpl does not exist");
        assertThat(binary.err()).contains("is not UTF-8 text");
        assertThat(new String(binary.out().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .isEmpty();
    }
}
