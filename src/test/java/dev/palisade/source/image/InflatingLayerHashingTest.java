package dev.palisade.source.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.source.Deadline;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A layer's blob and content are hashed on a thread of their own, to the same digests, and it never outlives the layer. */
class InflatingLayerHashingTest {
    @AfterEach
    void leavesNoThreadBehind() {
        assertThat(Thread.getAllStackTraces().keySet().stream()
                        .filter(Thread::isAlive)
                        .map(Thread::getName)
                        .filter(name -> name.startsWith(InflatingLayer.THREAD_PREFIX)))
                .isEmpty();
    }

    @Test
    void shouldHashTheBlobAndTheContentWhateverSizeTheReadsOfTheBlobAre() throws Exception {
        byte[] content = content(3 * InflatingLayer.CHUNK_BYTES * InflatingLayer.CHUNKS + 12345);
        byte[] blob = gzip(content);
        Random sizes = new Random(3);
        try (InflatingLayer layer = InflatingLayer.start(
                1,
                () -> new FilterInputStream(new ByteArrayInputStream(blob)) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        // reads return less than asked, from one byte up
                        return super.read(b, off, Math.min(len, 1 + sizes.nextInt(3 * InflatingLayer.CHUNK_BYTES)));
                    }
                },
                "sha256",
                "sha512",
                null,
                Deadline.none(),
                "the layer")) {
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            layer.content().transferTo(read);
            assertThat(read.toByteArray()).isEqualTo(content);
            assertThat(layer.digests().blob()).isEqualTo(digest("SHA-256", "sha256", blob));
            assertThat(layer.digests().diffId()).isEqualTo(digest("SHA-512", "sha512", content));
        }
    }

    @Test
    void shouldStopHashingWhenTheLayerIsClosedMidway() throws Exception {
        byte[] blob = gzip(content(40 * InflatingLayer.CHUNK_BYTES));
        InflatingLayer layer = InflatingLayer.start(
                1, () -> new ByteArrayInputStream(blob), "sha256", "sha256", null, Deadline.none(), "the layer");
        layer.content().readNBytes(InflatingLayer.CHUNK_BYTES + 7);
        layer.close();
        assertThatThrownBy(layer::digests).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldPassOnAFailureOfTheBlobAfterTheBytesReadBeforeIt() throws Exception {
        byte[] content = content(4 * InflatingLayer.CHUNK_BYTES);
        byte[] blob = gzip(content);
        int failAt = blob.length / 2;
        try (InflatingLayer layer = InflatingLayer.start(
                1,
                () -> new FilterInputStream(new ByteArrayInputStream(blob)) {
                    private int position;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (position >= failAt) {
                            throw new IOException("connection reset");
                        }
                        int n = super.read(b, off, Math.min(len, failAt - position));
                        position += Math.max(n, 0);
                        return n;
                    }
                },
                "sha256",
                "sha256",
                null,
                Deadline.none(),
                "the layer")) {
            assertThatThrownBy(() -> layer.content().transferTo(OutputStream.nullOutputStream()))
                    .isInstanceOf(IOException.class)
                    .hasMessage("connection reset");
        }
    }

    private static byte[] content(int size) {
        byte[] bytes = new byte[size];
        Random random = new Random(size);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 'a' + i % 7);
        }
        return bytes;
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        }
        return out.toByteArray();
    }

    private static Digest digest(String javaName, String algorithm, byte[] bytes) throws Exception {
        MessageDigest hash = MessageDigest.getInstance(javaName);
        hash.update(bytes);
        return Digest.of(algorithm, hash);
    }
}
