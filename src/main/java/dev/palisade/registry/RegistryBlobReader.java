package dev.palisade.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.image.BlobReader;
import dev.palisade.source.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Serves a registry image in the OCI layout's shape, so the image pipeline reads it exactly like an
 * image on disk: {@code index.json} names the manifest the reference resolves to, manifests and
 * configs are fetched by digest (and checked against it by the pipeline), and layer blobs are
 * streamed with their digest checked at the end: a blob whose content does not match fails.
 */
public final class RegistryBlobReader implements BlobReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient client;
    private final long maxMetadataBytes;
    private final Map<String, byte[]> manifests = new HashMap<>();
    private final Set<String> manifestDigests = new HashSet<>();
    private @Nullable String resolvedDigest;

    public RegistryBlobReader(RegistryClient client, long maxMetadataBytes) {
        this.client = client;
        this.maxMetadataBytes = maxMetadataBytes;
    }

    @Override
    public boolean exists(String name) {
        return name.equals("index.json") || name.startsWith("blobs/");
    }

    @Override
    public InputStream openMetadata(String name) throws IOException {
        if (name.equals("index.json")) {
            return new ByteArrayInputStream(index());
        }
        String digest = digestOf(name);
        byte[] cached = manifests.get(digest);
        if (cached != null) {
            return new ByteArrayInputStream(cached);
        }
        if (manifestDigests.contains(digest)) {
            byte[] manifest = readAll(client.manifest(digest));
            remember(digest, manifest);
            return new ByteArrayInputStream(manifest);
        }
        return new ByteArrayInputStream(readAll(client.blob(digest))); // the image config
    }

    /** Keeps a manifest and notes the manifests an index points to, which are fetched from the manifests endpoint. */
    private void remember(String digest, byte[] manifest) {
        manifests.put(digest, manifest);
        try {
            for (JsonNode child : JSON.readTree(manifest).path("manifests")) {
                String childDigest = child.path("digest").asText("");
                if (!childDigest.isEmpty()) {
                    manifestDigests.add(childDigest);
                }
            }
        } catch (IOException e) {
            // not JSON: the pipeline reports it when it parses the manifest
        }
    }

    @Override
    public InputStream open(String name) throws IOException {
        String digest = digestOf(name);
        return new VerifyingStream(client.blob(digest).body(), digest);
    }

    /** An index with the one manifest the reference resolves to, as an OCI layout would hold it. */
    private byte[] index() throws IOException {
        RegistryClient.Response response = client.manifest(client.reference().manifestReference());
        byte[] manifest;
        try (InputStream in = response.body()) {
            manifest = LimitedInputStream.readAll(
                    in, maxMetadataBytes, "manifest of " + client.reference() + " (limit maxMetadataBytes)");
        }
        String digest = "sha256:" + sha256(manifest);
        if (client.reference().digest() != null && !client.reference().digest().equals(digest)) {
            throw new IOException("the manifest of " + client.reference()
                    + " does not match the digest it was asked by (got " + digest + ")");
        }
        remember(digest, manifest);
        resolvedDigest = digest;
        String mediaType = response.contentType() == null
                ? "application/vnd.oci.image.manifest.v1+json"
                : response.contentType().split(";", -1)[0].trim();
        String tag = client.reference().tag() == null ? "" : client.reference().tag();
        String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest
                + "\",\"size\":" + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\""
                + client.reference().registry() + "/" + client.reference().repository()
                + (tag.isEmpty() ? "" : ":" + tag) + "\"}}]}";
        return index.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] readAll(RegistryClient.Response response) throws IOException {
        try (InputStream in = response.body()) {
            return LimitedInputStream.readAll(in, maxMetadataBytes, "registry document (limit maxMetadataBytes)");
        }
    }

    private static String digestOf(String name) throws IOException {
        String[] parts = name.split("/");
        if (parts.length != 3 || !parts[0].equals("blobs")) {
            throw new IOException("not a blob name: " + name);
        }
        try {
            return new Digest(parts[1], parts[2]).toString();
        } catch (IllegalArgumentException e) {
            throw new IOException("not a blob name: " + name + " (only sha256 and sha512 digests are verified)");
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest of the manifest the reference resolved to, once the image was opened. */
    public Optional<String> resolvedDigest() {
        return Optional.ofNullable(resolvedDigest);
    }

    @Override
    public String origin() {
        return client.reference().toString();
    }

    @Override
    public void close() {}

    /** Hashes a blob as it streams and fails at its end when the content does not match the digest. */
    private static final class VerifyingStream extends FilterInputStream {
        private final MessageDigest digest;
        private final Digest expected;
        private boolean checked;

        VerifyingStream(InputStream in, String expected) {
            super(in);
            this.expected = Digest.parse(expected);
            this.digest = this.expected.hasher();
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                check();
            } else {
                digest.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                check();
            } else {
                digest.update(b, off, n);
            }
            return n;
        }

        private void check() throws IOException {
            if (checked) {
                return;
            }
            checked = true;
            Digest actual = Digest.of(expected.algorithm(), digest);
            if (!actual.equals(expected)) {
                throw new IOException("blob " + expected + " does not match its digest (got " + actual + ")");
            }
        }
    }
}
