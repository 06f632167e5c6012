package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.testing.Cli;
import dev.palisade.testing.JsonReports;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --max-total-size} bounds what every directory scan reads, from the command line: twenty 50 MiB jars (sparse
 * files, a gigabyte in all) against a limit of 120 MB.
 */
class MaxTotalSizeCliTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"fs", "rootfs", "function"})
    void shouldStopReadingADirectoryAtTheTotalLimitAndSaySo(String command) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root/opt/app/lib"));
        for (int i = 0; i < 20; i++) {
            try (RandomAccessFile sparse =
                    new RandomAccessFile(root.resolve("lib-" + i + ".jar").toFile(), "rw")) {
                sparse.setLength(50L << 20);
            }
        }

        Cli.Result result = Cli.run(
                command,
                tmp.resolve("root").toString(),
                "--scanners",
                "none",
                "-f",
                "json",
                "--max-total-size",
                "120MB",
                "--cache-dir",
                tmp.resolve("cache").toString());

        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode report = JsonReports.read(result.out());
        assertThat(JsonReports.elements(report, "problems"))
                .filteredOn(p -> p.path("reason").asText().startsWith("stopped reading: "))
                .singleElement()
                .satisfies(p -> assertThat(p.path("reason").asText())
                        .contains("maxTotalBytes")
                        .endsWith("results so far are kept"));
        assertThat(JsonReports.elements(report, "problems"))
                .as("at most the jars read within the limit were found to be no zip; the rest were never opened")
                .filteredOn(p -> p.path("reason").asText().contains("zip"))
                .hasSizeLessThanOrEqualTo(3);
    }
}
