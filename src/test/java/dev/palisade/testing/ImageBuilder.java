package dev.palisade.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Writes docker-archive and OCI layout images from layer tars, the way docker save and skopeo lay them out. */
public final class ImageBuilder {
    private final List<byte[]> layers = new ArrayList<>();
    private final List<HistoryLine> history = new ArrayList<>();

    private record HistoryLine(String createdBy, boolean emptyLayer) {}

    private String user = "";
    private final List<String> diffIdOverrides = new ArrayList<>();
    private final List<byte[]> compressedBlobs = new ArrayList<>();

    public ImageBuilder layer(byte[] tar, String createdBy) {
        layers.add(tar);
        history.add(new HistoryLine(createdBy, false));
        diffIdOverrides.add(null);
        compressedBlobs.add(null);
        return this;
    }

    /** A layer given as its compressed blob (a decompression bomb, say), declared with {@code diffId}. */
    public ImageBuilder compressedLayer(byte[] blob, String diffId, String createdBy) {
        layer(new byte[0], createdBy);
        compressedBlobs.set(compressedBlobs.size() - 1, blob);
        return diffId(diffId);
    }

    private byte[] blob(int index) {
        return compressedBlobs.get(index) != null ? compressedBlobs.get(index) : TarBuilder.gzip(layers.get(index));
    }

    /** A history line that made no layer, such as the base image's closing {@code CMD}. */
    public ImageBuilder emptyLayerHistory(String createdBy) {
        history.add(new HistoryLine(createdBy, true));
        return this;
    }

    private final List<String> exposedPorts = new ArrayList<>();

    /** An {@code EXPOSE}d port, such as {@code 22/tcp}. */
    public ImageBuilder exposedPort(String port) {
        exposedPorts.add(port);
        return this;
    }

    private final List<String> env = new ArrayList<>(List.of("PATH=/usr/bin"));
    private final java.util.Map<String, String> labels = new java.util.TreeMap<>();

    /** An environment variable of the image config ({@code NAME=value}). */
    public ImageBuilder env(String variable) {
        env.add(variable);
        return this;
    }

    public ImageBuilder label(String name, String value) {
        labels.put(name, value);
        return this;
    }

    public ImageBuilder user(String value) {
        this.user = value;
        return this;
    }

    /** Declares a wrong diff ID for the last layer, as a tampered image would. */
    public ImageBuilder wrongDiffId() {
        diffIdOverrides.set(diffIdOverrides.size() - 1, "sha256:" + "0".repeat(64));
        return this;
    }

    /** Declares {@code diffId} for the last layer, as an image claiming another image's layer would. */
    public ImageBuilder diffId(String diffId) {
        diffIdOverrides.set(diffIdOverrides.size() - 1, diffId);
        return this;
    }

    public Path dockerArchive(Path target) throws IOException {
        TarBuilder archive = new TarBuilder();
        List<String> layerNames = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            byte[] blob = blob(i);
            String name = sha256(blob) + ".tar.gz";
            archive.file(name, blob, 0644);
            layerNames.add(name);
        }
        byte[] config = config().getBytes(StandardCharsets.UTF_8);
        String configName = sha256(config) + ".json";
        archive.file(configName, config, 0644);
        StringBuilder manifest =
                new StringBuilder("[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"test/image:1\"],\"Layers\":[");
        for (int i = 0; i < layerNames.size(); i++) {
            manifest.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(layerNames.get(i))
                    .append('"');
        }
        manifest.append("]}]");
        archive.file("manifest.json", manifest.toString());
        java.nio.file.Files.write(target, archive.build());
        return target;
    }

    public Path ociLayout(Path directory) throws IOException {
        Path blobs = java.nio.file.Files.createDirectories(directory.resolve("blobs/sha256"));
        StringBuilder layerDescriptors = new StringBuilder();
        for (int i = 0; i < layers.size(); i++) {
            byte[] blob = blob(i);
            String digest = sha256(blob);
            java.nio.file.Files.write(blobs.resolve(digest), blob);
            layerDescriptors
                    .append(layerDescriptors.length() == 0 ? "" : ",")
                    .append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:")
                    .append(digest)
                    .append("\",\"size\":")
                    .append(blob.length)
                    .append('}');
        }
        byte[] config = config().getBytes(StandardCharsets.UTF_8);
        java.nio.file.Files.write(blobs.resolve(sha256(config)), config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
                        + sha256(config)
                        + "\",\"size\":" + config.length + "},\"layers\":[" + layerDescriptors + "]}")
                .getBytes(StandardCharsets.UTF_8);
        java.nio.file.Files.write(blobs.resolve(sha256(manifest)), manifest);
        java.nio.file.Files.writeString(directory.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        java.nio.file.Files.writeString(
                directory.resolve("index.json"),
                "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + sha256(manifest)
                        + "\",\"size\":"
                        + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"1\"}}]}");
        return directory;
    }

    private String config() {
        StringBuilder diffIds = new StringBuilder();
        StringBuilder hist = new StringBuilder();
        for (int i = 0; i < layers.size(); i++) {
            String diffId = diffIdOverrides.get(i) != null ? diffIdOverrides.get(i) : "sha256:" + sha256(layers.get(i));
            diffIds.append(i == 0 ? "" : ",").append('"').append(diffId).append('"');
        }
        for (HistoryLine line : history) {
            hist.append(hist.length() == 0 ? "" : ",")
                    .append("{\"created_by\":\"")
                    .append(line.createdBy().replace("\"", "\\\""))
                    .append("\"")
                    .append(line.emptyLayer() ? ",\"empty_layer\":true" : "")
                    .append("}");
        }
        String ports = exposedPorts.isEmpty()
                ? ""
                : ",\"ExposedPorts\":{"
                        + String.join(
                                ",",
                                exposedPorts.stream()
                                        .map(p -> "\"" + p + "\":{}")
                                        .toList()) + "}";
        String envJson = String.join(",", env.stream().map(ImageBuilder::quoted).toList());
        String labelJson = labels.isEmpty()
                ? ""
                : ",\"Labels\":{"
                        + String.join(
                                ",",
                                labels.entrySet().stream()
                                        .map(e -> quoted(e.getKey()) + ":" + quoted(e.getValue()))
                                        .toList())
                        + "}";
        return "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"" + user + "\",\"Env\":[" + envJson
                + "]" + ports
                + labelJson + "},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]},\"history\":[" + hist + "]}";
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
