package dev.palisade.assess.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.assess.Assessment;
import dev.palisade.assess.Assessor;
import dev.palisade.assess.EvidenceReader;
import dev.palisade.assess.ModelData;
import dev.palisade.assess.Portfolio;
import dev.palisade.inventory.Inventory;
import dev.palisade.scan.ScanResult;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.image.ImageSources;
import dev.palisade.testing.JsonReports;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every view of an assessment whose evidence carries hostile text from the artifact. */
class AssessmentWritersTest {
    /** A file name in the package: markup, a remote image, a terminal escape. */
    static final String HOSTILE = "config/<img src=https://evil.example/x.png>\u001b[31m.properties";

    /** An attribute of a tag that loads from another origin; text between tags is not a load. */
    static final Pattern LOADS =
            Pattern.compile("(?i)<[^>]*\\b(src|href|action|poster|data)\\s*=\\s*[\"']?\\s*(https?:)?//");

    @TempDir
    static Path base;

    static Assessment assessment;

    @BeforeAll
    static void assess() throws Exception {
        Path zip = base.resolve("fn.zip");
        try (OutputStream out = Files.newOutputStream(zip);
                ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(HOSTILE));
            z.write("tcp.server.port=9000\n".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        Assessor assessor = new Assessor(
                target -> new ScanResult(
                        new Inventory(
                                new ArtifactDescription(
                                        target.name(),
                                        ArtifactKind.FUNCTION,
                                        DeploymentModel.FUNCTION,
                                        List.of(),
                                        null),
                                null,
                                List.of(),
                                List.of()),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        null,
                        List.of(),
                        List.of(),
                        Instant.parse("2026-01-01T00:00:00Z"),
                        false),
                new EvidenceReader(),
                ModelData.load(),
                ImageSources.Platform.linux("amd64"));
        assessment = assessor.assess(new Portfolio(List.of(new Portfolio.Application(
                "pay<ments>",
                "o'wner & co",
                List.of(
                        new Portfolio.Deployment(DeploymentModel.VM, base, null, null, null),
                        new Portfolio.Deployment(DeploymentModel.FUNCTION, zip, null, null, null))))));
    }

    private static String render(AssessmentFormat format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.write(assessment, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldKeepTheHtmlSelfContainedAndEscaped() throws Exception {
        String html = render(AssessmentFormat.HTML);

        assertThat(LOADS.matcher("<img alt=x src='https://a.example/b.png'>").find())
                .isTrue();
        assertThat(LOADS.matcher("<link rel=stylesheet href=//a.example/c.css>").find())
                .isTrue();
        assertThat(LOADS.matcher(html).find())
                .as("no resource loaded from elsewhere")
                .isFalse();
        assertThat(html).doesNotContainIgnoringCase("@import").doesNotContainIgnoringCase("url(");
        assertThat(html).doesNotContain("<img").doesNotContain("\u001b").doesNotContain("pay<ments>");
        assertThat(html)
                .contains(
                        "config/&lt;img src=https://evil.example/x.png&gt;&#xFFFD;[31m.properties: tcp.server.port=9000")
                .contains("pay&lt;ments&gt;")
                .contains("o&#39;wner &amp; co");
    }

    @Test
    void shouldEscapeTheTableAndTheMarkdown() throws Exception {
        String table = render(AssessmentFormat.TABLE);
        assertThat(table).doesNotContain("\u001b").contains("listens on port 9000");
        String markdown = render(AssessmentFormat.MARKDOWN);
        assertThat(markdown).doesNotContain("<img").doesNotContain("\u001b").contains("&lt;img");
    }

    @Test
    void shouldKeepTheRawTextInJson() throws Exception {
        JsonNode json = JsonReports.read(render(AssessmentFormat.JSON));
        JsonNode function = JsonReports.elements(json.path("applications").get(0), "models").stream()
                .filter(m -> m.path("model").asText().equals("function"))
                .findFirst()
                .orElseThrow();
        assertThat(function.path("blockers").get(0).path("evidence").asText())
                .isEqualTo(HOSTILE + ": tcp.server.port=9000");
        assertThat(json.path("applications").get(0).path("owner").asText()).isEqualTo("o'wner & co");
        assertThat(json.path("responsibility").path("function").path("provider").toString())
                .contains("operating system");
    }
}
