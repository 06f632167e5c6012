package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.testing.JsonReports;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs within the documented limits that once ended in an OutOfMemoryError, a stack trace and a truncated report:
 * each is scanned by a separate process with the heap {@code ./palisade} gives a scan, and must give its report, with
 * what was dropped counted.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LargeInputsWithinTheHeapTest {
    /** The launcher's options for a scan: the palisade script's {@code heap} and collector (kept in step by hand). */
    static final List<String> LAUNCHER_HEAP =
            List.of("-Xmx512m", "-Xmn16m", "-XX:SoftMaxHeapSize=104m", "-XX:+UseSerialGC");

    @TempDir
    Path tmp;

    record Run(int exit, Path reportFile, String err) {
        JsonNode report() throws IOException {
            return JsonReports.read(Files.readString(reportFile));
        }
    }

    Run scan(String... args) throws Exception {
        Path report = Files.writeString(tmp.resolve("report.json"), "previous report");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path")));
        command.addAll(LAUNCHER_HEAP);
        command.add("dev.palisade.cli.Main");
        command.addAll(List.of(args));
        command.addAll(List.of(
                "-f",
                "json",
                "-o",
                report.toString(),
                "--cache-dir",
                tmp.resolve("cache").toString()));
        Path err = tmp.resolve("err.txt");
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the scan did not finish in 240 s");
        }
        String stderr = Files.readString(err);
        assertThat(stderr).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
        return new Run(process.exitValue(), report, stderr);
    }

    /** The length of the report's packages array, streamed: the report of a million packages is not read whole. */
    static long packagesIn(Path report) throws IOException {
        try (JsonParser parser = new JsonFactory().createParser(report.toFile())) {
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("packages")) {
                    long count = 0;
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        parser.skipChildren();
                        count++;
                    }
                    return count;
                }
                parser.skipChildren();
            }
        }
        throw new AssertionError("no packages in " + report);
    }

    static void assertTenThousandKeptAndTheRestCounted(Run run) throws IOException {
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(JsonReports.misconfigurations(run.report())).hasSize(10_000);
        assertThat(reasons(run.report()))
                .anySatisfy(r -> assertThat(r).matches("\\d+ more findings not kept: at most 10000 per scan, .*"));
    }

    static List<String> reasons(JsonNode report) {
        return JsonReports.elements(report, "problems").stream()
                .map(p -> p.path("reason").asText())
                .toList();
    }

    @Test
    void shouldCheckAKubernetesListOfFiftyThousandPods() throws Exception {
        Path list = tmp.resolve("pods.yaml");
        try (BufferedWriter out = Files.newBufferedWriter(list)) {
            out.write("apiVersion: v1\nkind: List\nitems:\n");
            for (int i = 0; i < 50_000; i++) {
                out.write("- apiVersion: v1\n  kind: Pod\n  metadata: {name: pod-" + i + "}\n  spec:\n    containers:\n"
                        + "    - name: c\n      image: nginx\n      securityContext: {privileged: true}\n");
            }
        }

        Run run = scan("config", list.toString());

        assertTenThousandKeptAndTheRestCounted(run);
    }

    @Test
    void shouldCheckAYamlFileOfAHundredThousandDocuments() throws Exception {
        Path documents = tmp.resolve("all.yaml");
        try (BufferedWriter out = Files.newBufferedWriter(documents)) {
            for (int i = 0; i < 100_000; i++) {
                out.write("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: config-" + i + "}\ndata: {k: v}\n");
            }
            out.write("---\napiVersion: v1\nkind: Pod\nmetadata: {name: last}\nspec:\n  containers:\n"
                    + "  - name: c\n    image: nginx\n    securityContext: {privileged: true}\n");
        }

        Run run = scan("config", documents.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(JsonReports.misconfigurations(run.report()))
                .as("the pod after a hundred thousand documents is checked")
                .anySatisfy(m -> assertThat(m.toString()).contains("last"));
    }

    @Test
    void shouldCheckAMillionLineDockerfileFullOfFindings() throws Exception {
        Path dockerfile = tmp.resolve("Dockerfile");
        try (BufferedWriter out = Files.newBufferedWriter(dockerfile)) {
            out.write("FROM debian:latest\n");
            for (int i = 0; i < 1_000_000; i++) {
                out.write(i % 2 == 0 ? "RUN curl http://example.com/x | sh\n" : "ADD http://example.com/a.tgz /a\n");
            }
        }

        Run run = scan("config", dockerfile.toString());

        assertTenThousandKeptAndTheRestCounted(run);
    }

    @Test
    void shouldReadAnSbomOfAMillionComponentsUnderTheFileLimit() throws Exception {
        Path sbom = tmp.resolve("bom.json");
        try (BufferedWriter out = Files.newBufferedWriter(sbom)) {
            out.write("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[");
            for (int i = 0; i < 1_000_000; i++) {
                out.write((i == 0 ? "" : ",") + "{\"name\":\"p" + i + "\",\"version\":\"1\",\"purl\":\"pkg:npm/p" + i
                        + "@1\"}");
            }
            out.write("]}");
        }
        assertThat(Files.size(sbom)).as("under the 64 MiB file limit").isLessThan(64L << 20);

        Run run = scan("sbom", sbom.toString(), "--scanners", "none");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(packagesIn(run.reportFile())).isEqualTo(1_000_000);
    }
}
