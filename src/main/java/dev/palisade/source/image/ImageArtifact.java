package dev.palisade.source.image;

import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactLimitException;
import dev.palisade.source.FileKind;
import dev.palisade.source.Layer;
import dev.palisade.source.LayerVisitor;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.Problem;
import dev.palisade.source.RawEntry;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jspecify.annotations.Nullable;

/**
 * An opened image: layers are streamed one after the other straight from their blobs, decompressed
 * on the fly, never written to disk. Each layer's uncompressed content is hashed in passing and
 * checked against its diff ID, and its blob against its digest where the manifest states one.
 */
final class ImageArtifact implements Artifact {
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
        for (Layer layer : description.layers()) {
            String member = layerMembers.get(layer.index());
            if (replayable(layer, member, visitor).filter(visitor::knows).isPresent()) {
                visitor.startLayer(layer);
                visitor.endLayer(layer);
                continue;
            }
            visitor.startLayer(layer);
            try {
                budget -= walkLayer(layer, member, budget, visitor);
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
            visitor.endLayer(layer);
        }
    }

    /**
     * The layer with a blob digest a cache may replay it by: the one the manifest names, once the blob
     * was hashed and matched it in this run, or for an image whose manifest names none, the digest
     * computed from the blob. Only the blob is read (from a registry: downloaded and checked as it
     * streams), never decompressed. Empty when the visitor cannot know the layer or the blob does not
     * match: the layer is then read in full, which reports the mismatch.
     */
    private Optional<Layer> replayable(Layer layer, String member, LayerVisitor visitor) {
        if (layer.diffId() == null || !visitor.mightKnow(layer)) {
            return Optional.empty();
        }
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

    private long walkLayer(Layer layer, String member, long budget, LayerVisitor visitor) throws IOException {
        Digest expectedDiffId = expected(layer.diffId(), "its diff ID");
        Digest expectedBlob = expected(layer.digest(), "its blob digest");
        String blobAlgorithm = expectedBlob == null ? "sha256" : expectedBlob.algorithm();
        MessageDigest blobHash = Digest.hasher(blobAlgorithm);
        MessageDigest diffHash = Digest.hasher(expectedDiffId == null ? "sha256" : expectedDiffId.algorithm());
        try (InputStream blob = new DigestInputStream(blobs.open(member), blobHash);
                LimitedInputStream counted = LimitedInputStream.artifactBudget(
                        new DigestInputStream(LayerStreams.uncompressed(blob), diffHash),
                        budget,
                        "the uncompressed content of the image (limit maxTotalBytes)",
                        limits.deadline())) {
            TarArchiveInputStream tar = new TarArchiveInputStream(counted);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                visitor.entry(toRaw(entry), tar);
            }
            counted.transferTo(OutputStream.nullOutputStream());
            blob.transferTo(OutputStream.nullOutputStream());
            Digest actualBlob = Digest.of(blobAlgorithm, blobHash);
            boolean intact = verify(expectedDiffId, diffHash, member, layer, "its diff ID", visitor)
                    & verify(expectedBlob, actualBlob, member, layer, "its blob digest", visitor);
            if (intact && expectedDiffId != null) {
                visitor.verified(expectedBlob == null ? layer.withDigest(actualBlob.toString()) : layer);
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

    private boolean verify(
            @Nullable Digest expected,
            MessageDigest hash,
            String member,
            Layer layer,
            String what,
            LayerVisitor visitor)
            throws IOException {
        return expected == null
                || verify(expected, Digest.of(expected.algorithm(), hash), member, layer, what, visitor);
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

    private static RawEntry toRaw(TarArchiveEntry entry) {
        FileKind kind;
        if (entry.isDirectory()) {
            kind = FileKind.DIRECTORY;
        } else if (entry.isSymbolicLink()) {
            kind = FileKind.SYMLINK;
        } else if (entry.isLink()) {
            kind = FileKind.HARDLINK;
        } else if (entry.isFile()) {
            kind = FileKind.FILE;
        } else {
            kind = FileKind.OTHER;
        }
        String link = entry.isSymbolicLink() || entry.isLink() ? entry.getLinkName() : null;
        return new RawEntry(
                entry.getName(),
                kind,
                kind == FileKind.FILE ? entry.getSize() : 0,
                entry.getMode(),
                entry.getLongUserId(),
                entry.getLongGroupId(),
                link);
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
