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
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
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
                        if (verifiedBlob(layer, member).filter(visitor::knows).isPresent()) {
                            visitor.startLayer(layer);
                            visitor.endLayer(layer);
                            continue;
                        }
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
     * computed from the blob. Only the blob is read (from a registry: downloaded and checked as it
     * streams), never decompressed. Empty when the visitor cannot know the layer or the blob does not
     * match: the layer is then read in full, which reports the mismatch. Asked only of a layer the
     * visitor {@link LayerVisitor#mightKnow might know}.
     */
    private Optional<Layer> verifiedBlob(Layer layer, String member) {
        try {
            Digest expected = layer.digest() == null ? null : Digest.parse(layer.digest());
            String algorithm = expected == null ? "sha256" : expected.algorithm();
            MessageDigest hash = Digest.hasher(algorithm);
            try (InputStream blob = new DigestInputStream(
                    LimitedInputStream.withDeadline(
                            blobs.open(member),
                            limits.maxTotalBytes(),
                            member + " (limit maxTotalBytes)",
                            limits.deadline()),
                    hash)) {
                blob.transferTo(OutputStream.nullOutputStream());
            }
            Digest actual = Digest.of(algorithm, hash);
            if (expected == null) {
                return Optional.of(layer.withDigest(actual.toString()));
            }
            return actual.equals(expected) ? Optional.of(layer) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // reading the layer in full reports why
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
