package dev.palisade.report;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class HtmlWriterTest {
    private static final String HOSTILE = "<script>alert('x')</script><img src=\"https://evil.example/x.png\">";

    static ScanReport report() {
        Package p = new Package(
                Ecosystem.NPM,
                HOSTILE,
                "1.0.0\"><a href=\"http://evil.example\">",
                "pkg:npm/evil@1.0.0",
                List.of(Location.of("node_modules/evil/package.json")),
                null,
                null,
                "npm-installed",
                Map.of());
        Finding finding = new Finding(
                p,
                "GHSA-xxxx-yyyy-zzzz",
                List.of("GHSA-xxxx-yyyy-zzzz"),
                List.of("GHSA-xxxx-yyyy-zzzz"),
                List.of(),
                "title <b>bold</b>",
                Severity.HIGH,
                "test",
                null,
                null,
                List.of("1.0.1"),
                "1.0.1",
                List.of("https://example.org/advisory"),
                null,
                Finding.Status.AFFECTED,
                "");
        Inventory inventory = new Inventory(
                new ArtifactDescription("app", ArtifactKind.DIRECTORY, DeploymentModel.CONTAINER, List.of(), null),
                null,
                List.of(p),
                List.of());
        return ScanReport.of(
                inventory,
                ResultPolicy.reportAll().apply(List.of(finding), null),
                List.of(),
                null,
                List.of(),
                List.of(),
                Instant.EPOCH,
                "test");
    }

    private static Document html() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new HtmlWriter().write(report(), out);
        return Jsoup.parse(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void escapesHostilePackageNamesSoNoMarkupComesFromTheScan() throws Exception {
        Document page = html();

        assertThat(page.select("script")).isEmpty();
        assertThat(page.select("img")).isEmpty();
        assertThat(page.select("a")).isEmpty();
        assertThat(page.select("b")).isEmpty();
        Element row = page.select("tbody tr").first();
        assertThat(row).isNotNull();
        assertThat(row.select("td").get(2).text()).isEqualTo(HOSTILE);
        assertThat(row.select("td").get(5).text()).isEqualTo("title <b>bold</b>");
    }

    @Test
    void saysWhatCouldNotBeReadSoNoneFoundIsNotTakenForClean() throws Exception {
        ScanReport base = report();
        ScanReport withProblem = ScanReport.of(
                base.inventory(),
                ResultPolicy.reportAll().apply(List.of(), null),
                List.of(new dev.palisade.source.Problem("app/lib/broken.jar", null, "not a valid zip")),
                null,
                List.of(),
                List.of(),
                Instant.EPOCH,
                "test");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new HtmlWriter().write(withProblem, out);
        Document page = Jsoup.parse(out.toString(StandardCharsets.UTF_8));

        assertThat(page.select("h2").eachText()).contains("Not read (1)", "Misconfigurations and secrets");
        assertThat(page.select("td").eachText()).contains("app/lib/broken.jar", "not a valid zip");
        assertThat(html().select("h2").eachText()).contains("Not read (0)");
    }

    @Test
    void loadsNothingFromOutsideThePage() throws Exception {
        Document page = html();

        assertThat(page.select("[src], [href], link, script, iframe, object, embed, base"))
                .isEmpty();
        assertThat(page.select("style").html()).doesNotContain("url(").doesNotContain("@import");
        assertThat(page.select("meta[http-equiv=Content-Security-Policy]").attr("content"))
                .startsWith("default-src 'none'");
    }

    @Test
    void chartsTheCountsPerSeverity() throws Exception {
        Document page = html();

        List<String> labels = page.select("svg text").eachText();
        int high = labels.indexOf("HIGH");
        assertThat(high).isNotNegative();
        assertThat(labels.get(high + 1)).isEqualTo("1");
    }
}
