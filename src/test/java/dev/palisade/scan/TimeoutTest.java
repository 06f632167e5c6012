package dev.palisade.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.testing.Cli;
import dev.palisade.testing.ImageBuilder;
import dev.palisade.testing.TarBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** --timeout stops a scan wherever it is, keeps what was read, says the scan was cut short and exits 3. */
class TimeoutTest {
    @TempDir
    Path tmp;

    /**
     * A layer of 64 GiB of zeros in 8 MB: gzip members concatenated (the header, then one 64 MiB block
     * of zeros repeated), as a decompression bomb is built. Read in full it takes minutes.
     */
    static byte[] bomb(String secretFile) throws Exception {
        long size = 64L << 30;
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(header);
        {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            byte[] content = secretFile.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry first = new TarArchiveEntry("etc/app.env");
            first.setSize(content.length);
            tar.putArchiveEntry(first);
            tar.write(content);
            tar.closeArchiveEntry();
            TarArchiveEntry big = new TarArchiveEntry("var/big.bin");
            big.setSize(size);
            tar.putArchiveEntry(big);
            tar.flush(); // the entry's content is the zeros appended below: the tar stream is left unfinished on
            // purpose
        }
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        byte[] headerBytes = header.toByteArray();
        blob.write(TarBuilder.gzip(headerBytes));
        byte[] zeros = TarBuilder.gzip(new byte[64 << 20]);
        for (long written = 0; written < size; written += 64 << 20) {
            blob.write(zeros);
        }
        return blob.toByteArray();
    }

    @Test
    @Timeout(60)
    void shouldStopADecompressionBombAtTheTimeoutKeepWhatWasReadAndExitThree() throws Exception {
        byte[] layer = bomb("DB_PASSWORD=Sup3rS3cretValue!\n");
        Path image = new ImageBuilder()
                .layer(
                        new TarBuilder()
                                .file(
                                        "var/lib/dpkg/status",
                                        "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2\n\n")
                                .build(),
                        "base")
                .compressedLayer(layer, "sha256:" + "1".repeat(64), "bomb")
                .dockerArchive(tmp.resolve("bomb.tar"));

        long start = System.nanoTime();
        Cli.Result result = Cli.run(
                "image", image.toString(), "--timeout", "3s", "--scanners", "secret", "-f", "json", "--no-layer-cache");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        JsonNode report = new ObjectMapper().readTree(result.out());

        assertThat(result.exit()).as(result.err()).isEqualTo(3);
        assertThat(seconds).as("stopped near its timeout").isLessThan(15);
        assertThat(report.path("packages"))
                .anySatisfy(p -> assertThat(p.path("name").asText()).isEqualTo("bash"));
        assertThat(report.path("problems"))
                .anySatisfy(p -> assertThat(p.path("reason").asText()).contains("cut short by its timeout"));
        assertThat(result.err()).contains("--timeout");
    }
}
