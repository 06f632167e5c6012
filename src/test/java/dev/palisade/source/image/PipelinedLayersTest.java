package dev.palisade.source.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.palisade.catalog.Catalogers;
import dev.palisade.inventory.Inventory;
import dev.palisade.scan.InventoryScanner;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.Deadline;
import dev.palisade.source.Layer;
import dev.palisade.source.LayerVisitor;
import dev.palisade.source.Problem;
import dev.palisade.source.RawEntry;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.testing.ImageBuilder;
import dev.palisade.testing.TarBuilder;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers inflated on threads of their own read exactly as they would on the caller's thread, and stop cleanly. */
class PipelinedLayersTest {
    private static final ImageSources.Platform AMD64 = ImageSources.Platform.parse("linux/amd64");

    @TempDir
    Path tmp;

    @AfterEach
    void leavesNoProducerBehind() {
        assertThat(producerThreads()).isEmpty();
    }

    @Test
    void shouldVisitWhatASequentialReadOfTheLayersFinds() throws Exception {
        List<byte[]> layers = List.of(
                new TarBuilder()
                        .dir("etc")
                        .file("etc/os-release", ImageScanTest.OS_RELEASE)
                        .file("opt/app/big.bin", random(1, 3 * 1024 * 1024 + 17), 0644)
                        .file("opt/app/gone.txt", "removed in layer 2")
                        .dir("var/cache/app")
                        .file("var/cache/app/a", "a")
                        .symlink("opt/current", "app")
                        .build(),
                new TarBuilder()
                        .file("opt/app/.wh.gone.txt", "")
                        .file("var/cache/app/.wh..wh..opq", "")
                        .file("var/cache/app/b", "b")
                        .file("opt/current/added", random(2, 700_000), 0755)
                        .hardlink("opt/app/again.bin", "opt/app/big.bin")
                        .build(),
                new TarBuilder().file("etc/motd", "hello").build());
        ImageBuilder builder = new ImageBuilder();
        layers.forEach(layer -> builder.layer(layer, "RUN step"));
        Path image = builder.dockerArchive(tmp.resolve("i.tar"));

        RecordingVisitor visitor = new RecordingVisitor();
        try (Artifact artifact = new ImageSources(ScanLimits.defaults(), AMD64).open(image)) {
            artifact.walk(visitor);
        }

        assertThat(visitor.events).containsExactlyElementsOf(sequentialRead(layers));
        assertThat(visitor.sawProducer)
                .as("a producer thread inflated the layers")
                .isTrue();
    }

    @Test
    void shouldReportALayerWhoseContentDoesNotMatchItsDiffId() throws Exception {
        byte[] layer = new TarBuilder()
                .file("etc/os-release", ImageScanTest.OS_RELEASE)
                .build();
        Path image = new ImageBuilder()
                .layer(layer, "base")
                .wrongDiffId()
                .layer(new TarBuilder().file("a", "a").build(), "next")
                .dockerArchive(tmp.resolve("i.tar"));

        RecordingVisitor visitor = new RecordingVisitor();
        try (Artifact artifact = new ImageSources(ScanLimits.defaults(), AMD64).open(image)) {
            artifact.walk(visitor);
        }

        assertThat(visitor.problems)
                .extracting(Problem::reason)
                .containsExactly("layer content does not match its diff ID (expected sha256:" + "0".repeat(64)
                        + ", got sha256:" + ImageBuilder.sha256(layer)
                        + "): the image is corrupt or was tampered with");
        assertThat(visitor.events).contains("verified 2").doesNotContain("verified 1");
    }

    @Test
    void shouldFailAStrictReadOfALayerWhoseBlobDoesNotMatchItsDigest() throws Exception {
        byte[] layer = new TarBuilder()
                .file("etc/os-release", ImageScanTest.OS_RELEASE)
                .file("data", random(3, 600_000), 0644)
                .build();
        Path layout = new ImageBuilder().layer(layer, "base").ociLayout(tmp.resolve("layout"));
        byte[] blob = TarBuilder.gzip(layer);
        Path stored = layout.resolve("blobs/sha256/" + ImageBuilder.sha256(blob));
        byte[] recompressed = gzip(layer, Deflater.BEST_SPEED); // same content, so the same diff ID
        Files.write(stored, recompressed);

        assertThatThrownBy(() -> {
                    try (Artifact artifact = new ImageSources(ScanLimits.defaults(), AMD64)
                            .openLayout("tampered", new DirectoryBlobReader(layout))) {
                        artifact.walk(new RecordingVisitor());
                    }
                })
                .isInstanceOf(SourceException.class)
                .hasMessage("tampered: layer 1 (sha256:" + ImageBuilder.sha256(blob) + ") could not be read: "
                        + "layer content does not match its blob digest (expected sha256:" + ImageBuilder.sha256(blob)
                        + ", got sha256:" + ImageBuilder.sha256(recompressed)
                        + "): the image is corrupt or was tampered with");
    }

    @Test
    void shouldReportADecompressionErrorInTheSecondLayerAsReadingOnTheCallersThreadDid() throws Exception {
        // small files, so that how much the error cuts off shows in which entries are seen
        TarBuilder files = new TarBuilder().file("first", "kept");
        for (int i = 0; i < 3000; i++) {
            files.file("f" + i, lines(i, 120), 0644);
        }
        byte[] second = files.file("last", "lost").build();
        byte[] corrupt = gzipBrokenAt(second, second.length / 2);

        List<String> before = assertReadLikeTheCallersThread(second, corrupt);
        assertThat(before).contains("entry first", "entry f1000").doesNotContain("entry last");
    }

    @Test
    void shouldReportACorruptGzipTrailerInTheSecondLayerAsReadingOnTheCallersThreadDid() throws Exception {
        byte[] second = new TarBuilder()
                .file("first", "kept")
                .file("noise", lines(200_000), 0644)
                .build();
        byte[] corrupt = TarBuilder.gzip(second);
        corrupt[corrupt.length - 6] ^= 0x5a; // the uncompressed content's CRC

        List<String> before = assertReadLikeTheCallersThread(second, corrupt);
        assertThat(before).hasSize(4);
    }

    @Test
    void shouldGiveTheBytesBeforeACorruptTrailerAndThenFail() throws Exception {
        byte[] content = lines(1_000);
        byte[] blob = TarBuilder.gzip(content);
        blob[blob.length - 6] ^= 0x5a;

        try (InflatingLayer layer = InflatingLayer.start(
                1, () -> new ByteArrayInputStream(blob), "sha256", "sha256", null, Deadline.none(), "test")) {
            byte[] read = new byte[content.length + 100];
            int n = layer.content().read(read, 0, read.length);

            assertThat(n).isEqualTo(content.length); // the decompressor said it was at its end: kept
            assertThatThrownBy(() -> layer.content().read()).hasMessage("Corrupt GZIP trailer");
        }
    }

    @Test
    void shouldFailAReadThatAnErrorInMidStreamInterrupts() throws Exception {
        byte[] content = lines(100_000);
        byte[] blob = gzipBrokenAt(content, content.length / 2);

        try (InflatingLayer layer = InflatingLayer.start(
                1, () -> new ByteArrayInputStream(blob), "sha256", "sha256", null, Deadline.none(), "test")) {
            InputStream in = layer.content();
            byte[] first = new byte[1000];
            assertThat(in.read(first)).isEqualTo(1000);
            assertThat(first).isEqualTo(Arrays.copyOf(content, 1000));

            // a read that the error interrupts fails as a whole, as one through a buffer did
            assertThatThrownBy(() -> in.read(new byte[content.length], 0, content.length))
                    .hasMessage("invalid block type");
            assertThatThrownBy(in::read).hasMessage("invalid block type");
        }
    }

    /** The second layer's events, read to the error, the same as on the caller's thread; the others intact. */
    private List<String> assertReadLikeTheCallersThread(byte[] layer, byte[] corrupt) throws Exception {
        Path image = new ImageBuilder()
                .layer(new TarBuilder().file("a", "a").build(), "base")
                .compressedLayer(corrupt, "sha256:" + ImageBuilder.sha256(layer), "broken")
                .layer(new TarBuilder().file("c", "c").build(), "top")
                .dockerArchive(tmp.resolve("i.tar"));
        List<String> before = new ArrayList<>();
        String failure = readOnThisThreadAsBefore(corrupt, before);

        RecordingVisitor visitor = new RecordingVisitor();
        try (Artifact artifact = new ImageSources(ScanLimits.defaults(), AMD64).open(image)) {
            artifact.walk(visitor);
        }

        assertThat(visitor.problems)
                .extracting(Problem::reason)
                .containsExactly("layer unreadable: " + failure + "; entries read before the error are kept");
        List<String> second =
                visitor.events.subList(visitor.events.indexOf("start 2") + 1, visitor.events.indexOf("end 2"));
        assertThat(second).containsExactlyElementsOf(before);
        assertThat(visitor.events).containsSubsequence("start 3", "entry c").endsWith("verified 3", "end 3");
        return before;
    }

    @Test
    void shouldStopTheProducersAndCloseTheBlobsWhenTheEntryLimitIsReachedInTheFirstLayer() throws Exception {
        TarBuilder many = new TarBuilder().file("big", random(5, 4 * 1024 * 1024), 0644);
        for (int i = 0; i < 50; i++) {
            many.file("f" + i, "x");
        }
        Path layout = new ImageBuilder()
                .layer(many.build(), "base")
                .layer(
                        new TarBuilder()
                                .file("b", random(6, 3 * 1024 * 1024), 0644)
                                .build(),
                        "next")
                .ociLayout(tmp.resolve("layout"));
        TrackingBlobReader blobs = new TrackingBlobReader(new DirectoryBlobReader(layout), -1);
        ScanLimits limits = ScanLimits.defaults().withMaxEntries(10);

        Inventory inventory;
        try (Artifact artifact = new ImageSources(limits, AMD64).openLayout("many", blobs)) {
            inventory = new InventoryScanner(limits, m -> {}).scan(artifact, Catalogers.forKind(ArtifactKind.IMAGE));
            assertThat(producerThreads()).isEmpty();
        }

        assertThat(inventory.problems()).anySatisfy(p -> assertThat(p.reason())
                .startsWith("stopped reading the image")
                .contains("maxEntries"));
        assertThat(blobs.layerStreams).isNotEmpty().allSatisfy(s -> assertThat(s.closed.getCount())
                .isZero());
    }

    @Test
    void shouldStopTheLayerReadAheadWhenTheVisitorFailsAtTheStartOfTheNextLayer() throws Exception {
        Path layout = new ImageBuilder()
                .layer(
                        new TarBuilder()
                                .file("a", random(7, 3 * 1024 * 1024), 0644)
                                .build(),
                        "base")
                .layer(
                        new TarBuilder()
                                .file("b", random(8, 6 * 1024 * 1024), 0644)
                                .build(),
                        "next")
                .ociLayout(tmp.resolve("layout"));
        TrackingBlobReader blobs = new TrackingBlobReader(new DirectoryBlobReader(layout), -1);
        LayerVisitor failingAtLayer2 = new LayerVisitor() {
            @Override
            public void startLayer(Layer layer) {
                if (layer.index() == 1) {
                    // fail once the read-ahead has opened the blob, as it would have with a slower visitor
                    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (blobs.layerStreams.size() < 2 && System.nanoTime() < giveUp) {
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                    throw new IllegalStateException("visitor failed");
                }
            }

            @Override
            public void entry(RawEntry entry, InputStream content) throws IOException {
                content.transferTo(OutputStream.nullOutputStream());
            }

            @Override
            public void endLayer(Layer layer) {}

            @Override
            public void problem(Problem problem) {}
        };

        try (Artifact artifact = new ImageSources(ScanLimits.defaults(), AMD64).openLayout("two", blobs)) {
            assertThatThrownBy(() -> artifact.walk(failingAtLayer2)).hasMessage("visitor failed");
            assertThat(producerThreads()).as("the second layer's read-ahead").isEmpty();
        }
        assertThat(blobs.layerStreams).hasSize(2).allSatisfy(s -> assertThat(s.closed.getCount())
                .isZero());
    }

    @Test
    void shouldReadAheadOnlyFromLocalBlobs() throws Exception {
        Path layout = new ImageBuilder()
                .layer(new TarBuilder().file("a", "x").build(), "base")
                .ociLayout(tmp.resolve("layout"));
        Path archive = new ImageBuilder()
                .layer(new TarBuilder().file("a", "x").build(), "base")
                .dockerArchive(tmp.resolve("image.tar"));

        assertThat(new DirectoryBlobReader(layout).readsAheadSafely()).isTrue();
        try (TarBlobReader tar = new TarBlobReader(archive, 100)) {
            assertThat(tar.readsAheadSafely()).isTrue();
        }
        assertThat(
                        new BlobReader() {
                            @Override
                            public boolean exists(String name) {
                                return false;
                            }

                            @Override
                            public InputStream open(String name) {
                                return InputStream.nullInputStream();
                            }

                            @Override
                            public String origin() {
                                return "registry";
                            }

                            @Override
                            public void close() {}
                        }.readsAheadSafely())
                .as("a reader that does not say otherwise, such as a registry's")
                .isFalse();
    }

    @Test
    void shouldStopTheProducersWhenTheTotalSizeLimitIsReachedInTheFirstLayer() throws Exception {
        Path layout = new ImageBuilder()
                .layer(
                        new TarBuilder()
                                .file("zeros", new byte[16 * 1024 * 1024], 0644)
                                .build(),
                        "base")
                .layer(
                        new TarBuilder()
                                .file("more", new byte[16 * 1024 * 1024], 0644)
                                .build(),
                        "next")
                .ociLayout(tmp.resolve("layout"));
        TrackingBlobReader blobs = new TrackingBlobReader(new DirectoryBlobReader(layout), -1);
        ScanLimits limits = ScanLimits.defaults().withMaxTotalBytes(1024 * 1024);

        RecordingVisitor visitor = new RecordingVisitor();
        try (Artifact artifact = new ImageSources(limits, AMD64).openLayout("zeros", blobs)) {
            artifact.walk(visitor);
            assertThat(producerThreads()).isEmpty();
        }

        assertThat(visitor.sawProducer).isTrue();
        assertThat(visitor.problems).singleElement().satisfies(p -> assertThat(p.reason())
                .isEqualTo("stopped reading the image: the uncompressed content of the image (limit maxTotalBytes)"
                        + " exceeds the limit of 1048576 bytes; results so far are kept"));
        assertThat(visitor.events).doesNotContain("start 2");
        assertThat(blobs.layerStreams).isNotEmpty().allSatisfy(s -> assertThat(s.closed.getCount())
                .isZero());
    }

    @Test
    void shouldStopADecompressionBombAtTheDeadline() throws Exception {
        long size = 2L * 1024 * 1024 * 1024;
        Path image = new ImageBuilder()
                .compressedLayer(zeroBomb(size), "sha256:" + "1".repeat(64), "bomb")
                .dockerArchive(tmp.resolve("i.tar"));
        ScanLimits limits =
                ScanLimits.defaults().withTimeout(Duration.ofMillis(300)).started();

        RecordingVisitor visitor = new RecordingVisitor();
        long start = System.nanoTime();
        try (Artifact artifact = new ImageSources(limits, AMD64).open(image)) {
            artifact.walk(visitor);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(visitor.problems).singleElement().satisfies(p -> assertThat(p.reason())
                .startsWith("stopped reading the image: the scan took longer than its timeout of 300ms (--timeout)"));
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void shouldStopALayerWhoseBlobStallsAtTheDeadline() throws Exception {
        Path layout = new ImageBuilder()
                .layer(new TarBuilder().file("a", random(7, 1024 * 1024), 0644).build(), "base")
                .ociLayout(tmp.resolve("layout"));
        TrackingBlobReader blobs = new TrackingBlobReader(new DirectoryBlobReader(layout), 64 * 1024);
        ScanLimits limits =
                ScanLimits.defaults().withTimeout(Duration.ofMillis(500)).started();

        RecordingVisitor visitor = new RecordingVisitor();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (Artifact artifact = new ImageSources(limits, AMD64).openLayout("stalled", blobs)) {
                artifact.walk(visitor);
            }
        });

        assertThat(visitor.problems).singleElement().satisfies(p -> assertThat(p.reason())
                .startsWith("stopped reading the image: the scan took longer than its timeout of 500ms (--timeout)"));
        assertThat(blobs.layerStreams).singleElement().satisfies(s -> assertThat(s.closed.getCount())
                .isZero());
    }

    /** What walking each layer's tar on this thread finds, in the visitor's terms. */
    private static List<String> sequentialRead(List<byte[]> layers) throws IOException {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            events.add("start " + (i + 1));
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(layers.get(i)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    events.add("entry " + entry.getName());
                    events.add(describe(
                            entry.getName(),
                            entry.isLink() || entry.isSymbolicLink() ? entry.getLinkName() : null,
                            entry.getMode(),
                            tar));
                }
            }
            events.add("verified " + (i + 1));
            events.add("end " + (i + 1));
        }
        return events;
    }

    private static List<String> producerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(InflatingLayer.THREAD_PREFIX))
                .toList();
    }

    /**
     * Reads a gzip layer the way the source did before layers were inflated on a thread of their
     * own, and as the recording visitor reads: the events it saw, and the message it failed with.
     */
    private static String readOnThisThreadAsBefore(byte[] blob, List<String> events) throws IOException {
        int buffer = 256 * 1024;
        InputStream uncompressed = new BufferedInputStream(
                new GZIPInputStream(new BufferedInputStream(new ByteArrayInputStream(blob), buffer), buffer), buffer);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(uncompressed)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                events.add("entry " + entry.getName());
                events.add(describe(entry.getName(), null, entry.getMode(), tar));
            }
            uncompressed.transferTo(OutputStream.nullOutputStream()); // as the source reads a layer to its end
        } catch (IOException e) {
            return e.getMessage();
        }
        throw new AssertionError("the corrupted layer was read without error");
    }

    private static byte[] lines(int count) {
        return lines(0, count);
    }

    private static byte[] lines(int from, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            text.append("line ").append(i * 7919 % 100_003).append('\n');
        }
        return text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] random(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] gzip(byte[] data, int level) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(level);
            }
        }) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** {@code tar} gzipped up to {@code at}, then a deflate block of the reserved type: an error in mid-stream. */
    private static byte[] gzipBrokenAt(byte[] tar, int at) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GZIPOutputStream gz = new GZIPOutputStream(out, true);
        gz.write(tar, 0, at);
        gz.flush(); // byte-aligned: the next byte starts a block
        out.write(new byte[] {0x07, 0x00, 0x00, 0x00}); // final block, type 3
        return out.toByteArray();
    }

    /** A layer of one file of {@code size} zero bytes, as gzip members repeated: small on disk, huge inflated. */
    private static byte[] zeroBomb(long size) throws IOException {
        int block = 16 * 1024 * 1024;
        TarArchiveEntry entry = new TarArchiveEntry("zeros", true);
        entry.setSize(size);
        entry.setMode(0100644);
        byte[] header = new byte[512];
        entry.writeEntryHeader(header);
        byte[] zeros = gzip(new byte[block], Deflater.BEST_COMPRESSION);
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write(gzip(header, Deflater.DEFAULT_COMPRESSION));
        for (long written = 0; written < size + 1024; written += block) {
            bomb.write(zeros);
        }
        return bomb.toByteArray();
    }

    private static String describe(String name, @Nullable String link, int mode, InputStream content)
            throws IOException {
        return "  " + name + " link=" + link + " mode=" + Integer.toOctalString(mode) + " content=" + sha256(content);
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes down what the source shows it, in order, reading every file to its end. */
    private static final class RecordingVisitor implements LayerVisitor {
        final List<String> events = new ArrayList<>();
        final List<Problem> problems = new ArrayList<>();
        boolean sawProducer;

        @Override
        public void startLayer(Layer layer) {
            events.add("start " + (layer.index() + 1));
        }

        @Override
        public void entry(RawEntry entry, InputStream content) throws IOException {
            sawProducer |= !producerThreads().isEmpty();
            events.add("entry " + entry.name());
            events.add(describe(entry.name(), entry.linkTarget(), entry.mode(), content));
        }

        @Override
        public void endLayer(Layer layer) {
            events.add("end " + (layer.index() + 1));
        }

        @Override
        public void problem(Problem problem) {
            problems.add(problem);
        }

        @Override
        public void verified(Layer layer) {
            events.add("verified " + (layer.index() + 1));
        }

        List<String> entryNames() {
            return events.stream()
                    .filter(e -> e.startsWith("entry "))
                    .map(e -> e.substring(6))
                    .toList();
        }
    }

    /** Serves a layout's files, noting each layer blob opened and whether it was closed; can stall a blob. */
    private static final class TrackingBlobReader implements BlobReader {
        private final BlobReader delegate;
        private final long stallAfter;
        final List<TrackedStream> layerStreams = new CopyOnWriteArrayList<>();

        /** @param stallAfter bytes after which a layer blob stops delivering until closed, or -1 */
        TrackingBlobReader(BlobReader delegate, long stallAfter) {
            this.delegate = delegate;
            this.stallAfter = stallAfter;
        }

        @Override
        public boolean exists(String name) {
            return delegate.exists(name);
        }

        @Override
        public InputStream open(String name) throws IOException {
            TrackedStream stream = new TrackedStream(delegate.open(name), stallAfter);
            layerStreams.add(stream);
            return stream;
        }

        @Override
        public InputStream openMetadata(String name) throws IOException {
            return delegate.open(name);
        }

        @Override
        public String origin() {
            return delegate.origin();
        }

        @Override
        public boolean readsAheadSafely() {
            return delegate.readsAheadSafely();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    private static final class TrackedStream extends FilterInputStream {
        final CountDownLatch closed = new CountDownLatch(1);
        private final long stallAfter;
        private long read;

        TrackedStream(InputStream in, long stallAfter) {
            super(in);
            this.stallAfter = stallAfter;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (stallAfter >= 0 && read >= stallAfter) {
                try {
                    closed.await(); // a download that stopped delivering: only closing it ends the read
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
                throw new IOException("stream closed");
            }
            int limit = stallAfter >= 0 ? (int) Math.min(len, stallAfter - read) : len;
            int n = super.read(b, off, limit);
            if (n > 0) {
                read += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            closed.countDown();
            super.close();
        }
    }
}
