package dev.palisade.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.testing.Cli;
import dev.palisade.testing.ImageBuilder;
import dev.palisade.testing.JsonReports;
import dev.palisade.testing.TarBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No report format and no stderr line carries a secret value from an image's history, labels or environment. */
class RedactionTest {
    static final List<String> SECRETS = List.of(
            "Sup3rS3cretDbPass", "Adm1nCurlPassw0rd", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "Pr0xyUs3rPassword");

    @TempDir
    Path tmp;

    /** What the server stores of a scan's check findings is redacted as every report is. */
    @Test
    void shouldRedactCheckFindingsForWhatStoresThem() {
        dev.palisade.checks.CheckCatalog catalog = dev.palisade.checks.CheckCatalog.load();
        List<dev.palisade.checks.Misconfiguration> found = List.of(new dev.palisade.checks.Misconfiguration(
                catalog.get("PAL-2004"),
                "Dockerfile",
                3,
                "",
                null,
                "RUN curl -u admin:Sup3rSecretPassw0rd https://x/i.sh"));

        assertThat(ScanReport.redacted(found))
                .singleElement()
                .extracting(dev.palisade.checks.Misconfiguration::message)
                .isEqualTo("RUN curl -u admin:Su**** https://x/i.sh");
        assertThat(ScanReport.redacted(null)).isNull();
    }

    @Test
    void shouldRedactSecretsFromHistoryLabelsAndEnvironmentInEveryFormat() throws Exception {
        Path image = new ImageBuilder()
                .layer(
                        new TarBuilder()
                                .file(
                                        "var/lib/dpkg/status",
                                        "Package: bash\nStatus: install ok installed\nVersion: 5.2\n\n")
                                .build(),
                        "/bin/sh -c curl -u admin:Adm1nCurlPassw0rd https://downloads.example.com/tool.tgz | tar xz")
                .emptyLayerHistory("ENV DB_PASSWORD=Sup3rS3cretDbPass")
                .emptyLayerHistory("/bin/sh -c #(nop) LABEL token=ghp_abcdefghijklmnopqrstuvwxyz0123456789")
                .env("DB_PASSWORD=Sup3rS3cretDbPass")
                .env("HTTP_PROXY=http://proxy:Pr0xyUs3rPassword@proxy.example.com:3128")
                .label("org.example.token", "ghp_abcdefghijklmnopqrstuvwxyz0123456789")
                .dockerArchive(tmp.resolve("image.tar"));

        for (String format : List.of("table", "json", "cyclonedx", "sarif")) {
            Cli.Result result = Cli.run(
                    "image", image.toString(), "--scanners", "misconfig,secret", "-f", format, "--list-packages");

            assertThat(result.exit()).as(format + ": " + result.err()).isZero();
            for (String secret : SECRETS) {
                assertThat(result.out()).as(format).doesNotContain(secret).doesNotContain(secret.substring(2));
                assertThat(result.err()).as(format).doesNotContain(secret);
            }
        }
        JsonNode config = JsonReports.read(Cli.run("image", image.toString(), "--scanners", "none", "-f", "json")
                        .out())
                .path("artifact")
                .path("image");
        assertThat(config.path("env")).extracting(JsonNode::asText).anySatisfy(e -> assertThat(e)
                .startsWith("DB_PASSWORD="));
        assertThat(config.path("history"))
                .extracting(h -> h.path("createdBy").asText())
                .anySatisfy(c -> assertThat(c).contains("curl -u admin:"));
        assertThat(config.path("labels").has("org.example.token")).isTrue();
    }
}
