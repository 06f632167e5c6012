package dev.palisade.source.image;

import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.FileKind;
import dev.palisade.source.Layer;
import dev.palisade.source.LayerVisitor;
import dev.palisade.source.ArtifactLimitException;
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
import java.security.NoSuchAlgorithmException;
import java.util.List;
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

    ImageArtifact(ArtifactDescription description, BlobReader blobs, List<String> layerMembers, ScanLimits limits, boolean strict) {
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
            if (visitor.knows(layer)) {
                visitor.startLayer(layer);
                visitor.endLayer(layer);
                continue;
            }
            visitor.startLayer(layer);
            try {
                budget -= walkLayer(layer, member, budget, visitor);
            } catch (ArtifactLimitException e) {
                visitor.problem(new Problem(member, layer.diffId(),
                        "stopped reading the image: " + e.getMessage() + "; results so far are kept"));
                visitor.endLayer(layer);
                return;
            } catch (IOException | RuntimeException e) {
                if (strict) {
                    throw new SourceException(description.name() + ": layer " + (layer.index() + 1) + " (" + layer.digest()
                            + ") could not be read: " + describe(e), e);
                }
                visitor.problem(new Problem(member, layer.diffId(),
                        "layer unreadable: " + describe(e) + "; entries read before the error are kept"));
            }
            visitor.endLayer(layer);
        }
    }

    private long walkLayer(Layer layer, String member, long budget, LayerVisitor visitor) throws IOException {
        MessageDigest blobHash = sha256();
        MessageDigest diffHash = sha256();
        try (InputStream blob = new DigestInputStream(blobs.open(member), blobHash);
                LimitedInputStream counted = LimitedInputStream.artifactBudget(
                        new DigestInputStream(LayerStreams.uncompressed(blob), diffHash), budget,
                        "the uncompressed content of the image (limit maxTotalBytes)")) {
            TarArchiveInputStream tar = new TarArchiveInputStream(counted);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                visitor.entry(toRaw(entry), tar);
            }
            counted.transferTo(OutputStream.nullOutputStream());
            blob.transferTo(OutputStream.nullOutputStream());
            boolean intact = verify(layer.diffId(), diffHash, member, layer, "its diff ID", visitor)
                    & verify(layer.digest(), blobHash, member, layer, "its blob digest", visitor);
            if (intact && layer.diffId() != null) {
                visitor.verified(layer);
            }
            return counted.count();
        }
    }

    /** False (and a reported problem, or in strict mode an exception) when the content does not match. */
    private boolean verify(@Nullable String expected, MessageDigest hash, String member, Layer layer, String what,
            LayerVisitor visitor) throws IOException {
        if (expected == null || !expected.startsWith("sha256:")) {
            return true;
        }
        String actual = Digest.sha256(hash.digest()).toString();
        if (actual.equals(expected)) {
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
        return new RawEntry(entry.getName(), kind, kind == FileKind.FILE ? entry.getSize() : 0, entry.getMode(),
                entry.getLongUserId(), entry.getLongGroupId(), link);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
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
