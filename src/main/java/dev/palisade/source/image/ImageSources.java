package dev.palisade.source.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.Layer;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Opens a container image stored on disk: a docker-archive tar (what {@code docker save} writes), an
 * OCI image layout directory, or an OCI archive (that layout in a tar). Reads the manifest and the
 * config up front; layers are streamed later by {@link Artifact#walk}.
 */
public final class ImageSources {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    private static final Pattern HEX_NAME = Pattern.compile("(?:.*/)?([a-f0-9]{128}|[a-f0-9]{64})(?:\\.json)?");
    private static final int MAX_INDEX_DEPTH = 4;

    private final ScanLimits limits;
    private final Platform platform;

    /** A wanted platform such as {@code linux/amd64} or {@code linux/arm64/v8}. */
    public record Platform(String os, String architecture, @Nullable String variant) {
        public static Platform parse(String text) {
            String[] parts = text.split("/");
            if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("platform must be OS/ARCH[/VARIANT]: " + text);
            }
            return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
        }

        /** Linux on a JVM's {@code os.arch}, in the OCI (Go) spelling: {@code amd64}, {@code arm64}. */
        public static Platform linux(String arch) {
            String goArch =
                    switch (arch) {
                        case "x86_64", "amd64" -> "amd64";
                        case "aarch64", "arm64" -> "arm64";
                        default -> arch;
                    };
            return new Platform("linux", goArch, null);
        }

        @Override
        public String toString() {
            return os + "/" + architecture + (variant == null ? "" : "/" + variant);
        }
    }

    public ImageSources(ScanLimits limits, Platform platform) {
        this.limits = limits;
        this.platform = platform;
    }

    public Artifact open(Path path) throws SourceException {
        if (Files.isDirectory(path)) {
            if (!Files.isRegularFile(path.resolve("index.json"))) {
                throw new SourceException(path + " is a directory but not an OCI image layout (no index.json)");
            }
            return openOci(path.toString(), new DirectoryBlobReader(path));
        }
        if (!Files.isRegularFile(path)) {
            throw new SourceException(path + ": no such file or directory");
        }
        return openArchive(path.toString(), path);
    }

    /**
     * Opens a docker-archive or OCI archive tar, naming it {@code name} in the report and in messages: how
     * an image exported by a local engine ({@code docker save}'s API) is read from its temporary file.
     */
    public Artifact openArchive(String name, Path tarFile) throws SourceException {
        TarBlobReader tar;
        try {
            tar = new TarBlobReader(tarFile, limits.maxEntries());
        } catch (IOException | RuntimeException e) {
            // the tar library's words ("Corrupted TAR archive") say less than what the user needs to know
            throw new SourceException(
                    name + " is not an image: not a tar file, so neither a docker-archive (docker save) nor an OCI "
                            + "archive; an OCI layout is a directory",
                    e);
        }
        try {
            if (tar.exists("manifest.json")) {
                return openDockerArchive(name, tar);
            }
            if (tar.exists("index.json")) {
                return openOci(name, tar);
            }
            throw new SourceException(name + " is not an image: a docker-archive (docker save) holds manifest.json and "
                    + "an OCI archive index.json, and this file has neither");
        } catch (SourceException | RuntimeException e) {
            closeQuietly(tar);
            throw e;
        }
    }

    private Artifact openDockerArchive(String name, BlobReader blobs) throws SourceException {
        ImageJson.DockerArchiveManifest[] manifests =
                readJson(blobs, "manifest.json", null, ImageJson.DockerArchiveManifest[].class);
        if (manifests.length == 0 || manifests[0] == null) {
            throw new SourceException(name + ": manifest.json lists no image");
        }
        ImageJson.DockerArchiveManifest manifest = manifests[0];
        if (manifest.config() == null || manifest.layers() == null) {
            throw new SourceException(name + ": manifest.json names no Config or no Layers");
        }
        String configName = manifest.config();
        var hexMatch = HEX_NAME.matcher(configName);
        String configDigest = !hexMatch.matches()
                ? null
                : (hexMatch.group(1).length() == 64 ? "sha256:" : "sha512:") + hexMatch.group(1);
        byte[] configBytes = readBytes(blobs, configName, configDigest);
        ImageJson.Config config = parse(configBytes, name + "!/" + configName, ImageJson.Config.class);
        String imageId = Digest.sha256(sha256(configBytes)).toString();
        List<String> tags = manifest.repoTags() == null ? List.of() : manifest.repoTags();
        List<String> members = manifest.layers();
        for (String member : members) {
            if (member == null || !blobs.exists(member)) {
                throw new SourceException(
                        name + ": manifest.json names layer " + member + ", which the archive does not hold");
            }
        }
        return build(name, blobs, config, imageId, tags, members, List.of(), false);
    }

    /**
     * Opens an image that {@code blobs} serves in the OCI layout's shape ({@code index.json} and
     * {@code blobs/<alg>/<hex>}): how a registry image is read, with the same checks as one on disk.
     */
    public Artifact openLayout(String name, BlobReader blobs) throws SourceException {
        return openOci(name, blobs, true);
    }

    private Artifact openOci(String name, BlobReader blobs) throws SourceException {
        return openOci(name, blobs, false);
    }

    /** @param strict a layer that cannot be read or verified fails the whole image (for images pulled over the network) */
    private Artifact openOci(String name, BlobReader blobs, boolean strict) throws SourceException {
        ImageJson.Index index = readJson(blobs, "index.json", null, ImageJson.Index.class);
        List<String> tags = new ArrayList<>();
        ImageJson.Descriptor chosen = choose(name, index.manifests(), "index.json");
        String refName =
                chosen.annotations() == null ? null : chosen.annotations().get("org.opencontainers.image.ref.name");
        if (refName != null) {
            tags.add(refName);
        }
        ImageJson.Manifest manifest = null;
        for (int depth = 0; depth < MAX_INDEX_DEPTH; depth++) {
            ImageJson.Manifest read =
                    readJson(blobs, blobName(name, chosen), chosen.digest(), ImageJson.Manifest.class);
            if (read.manifests() != null && read.layers() == null) {
                chosen = choose(name, read.manifests(), chosen.digest());
                continue;
            }
            manifest = read;
            break;
        }
        if (manifest == null) {
            throw new SourceException(name + ": image indexes nest deeper than " + MAX_INDEX_DEPTH + " levels");
        }
        if (manifest.config() == null || manifest.layers() == null) {
            throw new SourceException(name + ": manifest " + chosen.digest() + " has no config or no layers");
        }
        byte[] configBytes = readBytes(
                blobs, blobName(name, manifest.config()), manifest.config().digest());
        ImageJson.Config config =
                parse(configBytes, name + "!/" + manifest.config().digest(), ImageJson.Config.class);
        List<String> members = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        for (ImageJson.Descriptor layer : manifest.layers()) {
            String member = blobName(name, layer);
            if (!blobs.exists(member)) {
                throw new SourceException(name + ": layer " + layer.digest() + " is not in the layout");
            }
            members.add(member);
            digests.add(layer.digest());
        }
        String configDigest = manifest.config().digest();
        if (configDigest == null) {
            throw new SourceException(name + ": the manifest names no config digest");
        }
        return build(name, blobs, config, configDigest, tags, members, digests, strict);
    }

    private ImageJson.Descriptor choose(
            String name, @Nullable List<ImageJson.Descriptor> manifests, @Nullable String where)
            throws SourceException {
        if (manifests == null || manifests.isEmpty()) {
            throw new SourceException(name + ": " + where + " lists no manifest");
        }
        if (manifests.size() == 1) {
            return manifests.get(0);
        }
        for (ImageJson.Descriptor d : manifests) {
            ImageJson.Platform p = d.platform();
            if (p != null
                    && platform.os().equals(p.os())
                    && platform.architecture().equals(p.architecture())
                    && (platform.variant() == null || platform.variant().equals(p.variant()))) {
                return d;
            }
        }
        throw new SourceException(name + ": " + where + " lists " + manifests.size()
                + " manifests and none for platform " + platform + " (choose one with --platform)");
    }

    private static String blobName(String name, ImageJson.Descriptor descriptor) throws SourceException {
        try {
            return BlobReader.blobPath(Digest.parse(Objects.requireNonNull(descriptor.digest(), "digest")));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SourceException(name + ": descriptor with an invalid digest: " + descriptor.digest());
        }
    }

    private Artifact build(
            String name,
            BlobReader blobs,
            ImageJson.Config config,
            String imageId,
            List<String> tags,
            List<String> members,
            List<String> blobDigests,
            boolean strict)
            throws SourceException {
        List<String> diffIds = config.rootfs() == null || config.rootfs().diffIds() == null
                ? List.of()
                : config.rootfs().diffIds();
        if (diffIds.size() != members.size()) {
            throw new SourceException(
                    name + ": the config lists " + diffIds.size() + " diff IDs for " + members.size() + " layers");
        }
        List<ImageMetadata.HistoryEntry> history = new ArrayList<>();
        List<String> layerHistory = new ArrayList<>();
        if (config.history() != null) {
            for (ImageJson.History h : config.history()) {
                if (h == null) {
                    continue;
                }
                history.add(new ImageMetadata.HistoryEntry(h.created(), h.createdBy(), h.comment(), h.emptyLayer()));
                if (!h.emptyLayer()) {
                    layerHistory.add(h.createdBy());
                }
            }
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            String createdBy = layerHistory.size() == members.size() ? layerHistory.get(i) : null;
            String blobDigest = i < blobDigests.size() ? blobDigests.get(i) : null;
            layers.add(new Layer(i, diffIds.get(i), blobDigest, createdBy));
        }
        ImageJson.ContainerConfig c = config.config();
        ImageMetadata metadata = new ImageMetadata(
                imageId,
                tags,
                config.os(),
                config.architecture(),
                config.created(),
                c == null || c.user() == null ? "" : c.user(),
                c == null || c.env() == null ? List.of() : c.env(),
                c == null || c.entrypoint() == null ? List.of() : c.entrypoint(),
                c == null || c.cmd() == null ? List.of() : c.cmd(),
                c == null ? null : c.workingDir(),
                c == null || c.exposedPorts() == null
                        ? List.of()
                        : List.copyOf(new java.util.TreeSet<>(c.exposedPorts().keySet())),
                c == null || c.volumes() == null
                        ? List.of()
                        : List.copyOf(new java.util.TreeSet<>(c.volumes().keySet())),
                ImageMetadata.sorted(c == null ? null : c.labels()),
                history);
        ArtifactDescription description =
                new ArtifactDescription(name, ArtifactKind.IMAGE, DeploymentModel.CONTAINER, layers, metadata);
        return new ImageArtifact(description, blobs, members, limits, strict);
    }

    private <T> T readJson(BlobReader blobs, String member, @Nullable String digest, Class<T> type)
            throws SourceException {
        return parse(readBytes(blobs, member, digest), blobs.origin() + "!/" + member, type);
    }

    private byte[] readBytes(BlobReader blobs, String member, @Nullable String digest) throws SourceException {
        byte[] bytes;
        try (InputStream in = blobs.openMetadata(member)) {
            bytes = LimitedInputStream.readAll(in, limits.maxMetadataBytes(), member + " (limit maxMetadataBytes)");
        } catch (IOException e) {
            throw new SourceException(blobs.origin() + "!/" + member + ": " + message(e), e);
        }
        if (digest != null) {
            Digest expected;
            try {
                expected = Digest.parse(digest);
            } catch (IllegalArgumentException e) {
                throw new SourceException(blobs.origin() + "!/" + member + " is named by " + digest
                        + ", which is not a sha256 or sha512 digest, so it cannot be verified");
            }
            Digest actual = expected.recompute(bytes);
            if (!actual.equals(expected)) {
                throw new SourceException(blobs.origin() + "!/" + member + " does not match its digest " + digest
                        + " (got " + actual + ")");
            }
        }
        return bytes;
    }

    private static <T> T parse(byte[] bytes, String where, Class<T> type) throws SourceException {
        try {
            T value = JSON.readValue(bytes, type);
            if (value == null) {
                throw new SourceException(where + ": empty JSON document");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new SourceException(where + " is not valid JSON of the expected shape: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SourceException(where + ": " + message(e), e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        return Digest.hasher("sha256").digest(bytes);
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void closeQuietly(BlobReader reader) {
        try {
            reader.close();
        } catch (IOException ignored) {
            // already failing with a better message
        }
    }
}
