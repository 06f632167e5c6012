package dev.palisade.source.image;

import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactLimitException;
import dev.palisade.source.Layer;
import dev.palisade.source.LayerVisitor;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.Problem;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * An opened image: layers are streamed one after the other straight from their blobs, decompressed
 * on the fly, never written to disk. Each layer's uncompressed content is hashed in passing and
 * checked against its diff ID, and its blob against its digest where the manifest states one.
 *
 * <p>Reading, hashing and decompressing a layer run on a thread of their own ({@link InflatingLayer}),
 * so that they overlap with parsing the tar and visiting its entries on the caller's thread; once a
 * layer's blob is read, the next layer's starts decompressing into a window of a few chunks. Layers
 * and entries still reach the visitor in order, one layer after the other.
 */
final class ImageArtifact implements Artifact {
    private static final String UNCOMPRESSED = "the uncompressed content of the image (limit maxTotalBytes)";

    private final ArtifactDescription description;
    private final BlobReader blobs;
    private final List<String> layerMembers;
    private final ScanLimits limits;
    private final boolean strict;

    ImageArtifact(
            ArtifactDescription description,
            BlobReader blobs,
            List<String> layerMembers,
            ScanLimits limits,
            boolean strict) {
        this.description = description;
        this.blobs = blobs;
        this.layerMembers = List.copyOf(layerMembers);
        this.limits = limits;
        this.strict = strict;
    }

    @Override
    public ArtifactDescription description() {
        return description;
    }

    @Override
    public void walk(LayerVisitor visitor) throws SourceException {
        long budget = limits.maxTotalBytes();
        List<Layer> layers = description.layers();
        InflatingLayer ahead = null;
        BlobHashes hashedAhead = layers.size() > 1
                        && blobs.readsAheadSafely()
                        && layers.get(0).diffId() != null
                        && visitor.mightKnow(layers.get(0))
                ? new BlobHashes(layers.subList(1, layers.size()))
                : null;
        try {
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                String member = layerMembers.get(layer.index());
                InflatingLayer inflating = ahead;
                ahead = null;
                try {
                    if (layer.diffId() != null && visitor.mightKnow(layer)) {
                        if (inflating != null) {
                            inflating.close(); // read ahead in vain: the replay check reads the blob itself
                            inflating = null;
                        }
                        Optional<Digest> hashed = hashedAhead == null
                                ? hashBlob(layer, member, () -> false)
                                : hashedAhead.take(layer).orElseGet(() -> hashBlob(layer, member, () -> false));
                        if (verifiedBlob(layer, hashed).filter(visitor::knows).isPresent()) {
                            visitor.startLayer(layer);
                            visitor.endLayer(layer);
                            continue;
                        }
                    }
                    if (hashedAhead != null) {
                        hashedAhead.close(); // this layer is read in full: the layers above it are read too
                        hashedAhead = null;
                    }
                    visitor.startLayer(layer);
                    try {
                        if (inflating == null) {
                            inflating = inflate(layer, member, null);
                        }
                        if (i + 1 < layers.size() && blobs.readsAheadSafely()) {
                            ahead = readAhead(layers.get(i + 1), inflating);
                        }
                        budget -= walkLayer(layer, member, budget, visitor, inflating);
                    } catch (ArtifactLimitException e) {
                        visitor.problem(new Problem(
                                member,
                                layer.diffId(),
                                "stopped reading the image: " + e.getMessage() + "; results so far are kept"));
                        visitor.endLayer(layer);
                        return;
                    } catch (IOException | RuntimeException e) {
                        if (strict) {
                            throw new SourceException(
                                    description.name() + ": layer " + (layer.index() + 1) + " (" + layer.digest()
                                            + ") could not be read: " + describe(e),
                                    e);
                        }
                        visitor.problem(new Problem(
                                member,
                                layer.diffId(),
                                "layer unreadable: " + describe(e) + "; entries read before the error are kept"));
                    }
                } finally {
                    // also when the visitor throws: a producer never outlives its layer
                    if (inflating != null) {
                        inflating.close();
                    }
                }
                visitor.endLayer(layer);
            }
        } finally {
            if (ahead != null) {
                ahead.close();
            }
            if (hashedAhead != null) {
                hashedAhead.close();
            }
        }
    }

    /**
     * Starts inflating a layer on its own thread, once {@code after}'s producer has ended. Fails as
     * reading the layer would when it states a digest that cannot be verified.
     */
    private InflatingLayer inflate(Layer layer, String member, @Nullable InflatingLayer after) throws IOException {
        Digest expectedDiffId = expected(layer.diffId(), "its diff ID");
        Digest expectedBlob = expected(layer.digest(), "its blob digest");
        return InflatingLayer.start(
                layer.index() + 1,
                () -> blobs.open(member),
                expectedBlob == null ? "sha256" : expectedBlob.algorithm(),
                expectedDiffId == null ? "sha256" : expectedDiffId.algorithm(),
                after,
                limits.deadline(),
                UNCOMPRESSED);
    }

    /**
     * The next layer, inflated ahead (a few chunks' worth) while this one is read, or null when it
     * states a digest that cannot be verified: reading it in turn reports that.
     */
    private @Nullable InflatingLayer readAhead(Layer next, InflatingLayer current) {
        try {
            return inflate(next, layerMembers.get(next.index()), current);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The layer with a blob digest a cache may replay it by: the one the manifest names, once the blob
     * was hashed and matched it in this run, or for an image whose manifest names none, the digest
     * computed from the blob. Empty when the blob could not be hashed or does not match: the layer is
     * then read in full, which reports the mismatch. Asked only of a layer the visitor {@link
     * LayerVisitor#mightKnow might know}.
     */
    private static Optional<Layer> verifiedBlob(Layer layer, Optional<Digest> hashed) {
        if (hashed.isEmpty()) {
            return Optional.empty();
        }
        if (layer.digest() == null) {
            return Optional.of(layer.withDigest(hashed.get().toString()));
        }
        try {
            return hashed.get().equals(Digest.parse(layer.digest())) ? Optional.of(layer) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The blob's digest, in the algorithm of the one the manifest names (sha256 when it names none). Only the blob
     * is read (from a registry: downloaded and checked as it streams), never decompressed. Empty when it could not
     * be read, or once {@code cancelled}: reading the layer in full reports why.
     */
    private Optional<Digest> hashBlob(Layer layer, String member, BooleanSupplier cancelled) {
        try {
            String algorithm = layer.digest() == null
                    ? "sha256"
                    : Digest.parse(layer.digest()).algorithm();
            MessageDigest hash = Digest.hasher(algorithm);
            byte[] buffer = new byte[64 * 1024];
            try (InputStream blob = LimitedInputStream.withDeadline(
                    blobs.open(member), limits.maxTotalBytes(), member + " (limit maxTotalBytes)", limits.deadline())) {
                while (!cancelled.getAsBoolean()) {
                    int n = blob.read(buffer);
                    if (n == -1) {
                        return Optional.of(Digest.of(algorithm, hash));
                    }
                    hash.update(buffer, 0, n);
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The blobs of the layers above the first, hashed one after the other on a thread of their own while the caller
     * checks the first ones against the cache: on two cores a warm image's blobs are verified in about the time of
     * its largest. Started only where the first layer might be in the cache and the blobs are local files (a
     * registry's blob is downloaded when its turn comes). Closed as soon as a layer is read in full: its own
     * inflating thread then needs the core.
     */
    private final class BlobHashes implements AutoCloseable {
        private final java.util.Map<Integer, java.util.concurrent.Future<Optional<Digest>>> digests =
                new java.util.HashMap<>();
        private final java.util.concurrent.atomic.AtomicBoolean closed =
                new java.util.concurrent.atomic.AtomicBoolean();
        private final java.util.concurrent.ExecutorService thread =
                java.util.concurrent.Executors.newSingleThreadExecutor(task -> {
                    Thread t = new Thread(task, "palisade-blob-hashes");
                    t.setDaemon(true);
                    return t;
                });

        BlobHashes(List<Layer> layers) {
            for (Layer layer : layers) {
                String member = layerMembers.get(layer.index());
                digests.put(layer.index(), thread.submit(() -> hashBlob(layer, member, closed::get)));
            }
            thread.shutdown();
        }

        /** The blob's digest as hashed ahead, or empty when it was not (the caller then hashes it itself). */
        Optional<Optional<Digest>> take(Layer layer) {
            java.util.concurrent.Future<Optional<Digest>> digest = digests.remove(layer.index());
            if (digest == null) {
                return Optional.empty();
            }
            try {
                Optional<Digest> hashed = digest.get();
                return hashed.isPresent() ? Optional.of(hashed) : Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                return Optional.empty();
            }
        }

        /**
         * Stops the hashing at its next read. Not by interrupting the thread: an interrupt during a read closes the
         * archive's channel, which every layer's stream shares.
         */
        @Override
        public void close() {
            closed.set(true);
        }
    }

    private long walkLayer(Layer layer, String member, long budget, LayerVisitor visitor, InflatingLayer inflating)
            throws IOException {
        Digest expectedDiffId = expected(layer.diffId(), "its diff ID");
        Digest expectedBlob = expected(layer.digest(), "its blob digest");
        try (LimitedInputStream counted =
                LimitedInputStream.artifactBudget(inflating.content(), budget, UNCOMPRESSED, limits.deadline())) {
            LayerTar.entries(counted, visitor);
            counted.transferTo(OutputStream.nullOutputStream());
            InflatingLayer.Digests actual = inflating.digests();
            boolean intact = verify(expectedDiffId, actual.diffId(), member, layer, "its diff ID", visitor)
                    & verify(expectedBlob, actual.blob(), member, layer, "its blob digest", visitor);
            if (intact && expectedDiffId != null) {
                visitor.verified(
                        expectedBlob == null ? layer.withDigest(actual.blob().toString()) : layer);
            }
            return counted.count();
        }
    }

    /** The digest a layer states, or null when it states none; one that cannot be verified fails the layer. */
    private static @Nullable Digest expected(@Nullable String digest, String what) throws IOException {
        if (digest == null) {
            return null;
        }
        try {
            return Digest.parse(digest);
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    what + " " + digest + " is not a sha256 or sha512 digest, so the layer cannot be verified");
        }
    }

    /** False (and a reported problem, or in strict mode an exception) when the content does not match. */
    private boolean verify(
            @Nullable Digest expected, Digest actual, String member, Layer layer, String what, LayerVisitor visitor)
            throws IOException {
        if (expected == null || actual.equals(expected)) {
            return true;
        }
        String reason = "layer content does not match " + what + " (expected " + expected + ", got " + actual
                + "): the image is corrupt or was tampered with";
        if (strict) {
            throw new IOException(reason);
        }
        visitor.problem(new Problem(member, layer.diffId(), reason));
        return false;
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    @Override
    public void close() throws IOException {
        blobs.close();
    }
}
