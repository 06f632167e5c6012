package dev.palisade.scan;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.palisade.catalog.CatalogRunner;
import dev.palisade.checks.Misconfiguration;
import java.util.Map;
import dev.palisade.source.Layer;
import dev.palisade.source.Problem;
import dev.palisade.source.RawEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * What the analysis of each image layer found, kept on disk per layer chain (the OCI ChainID: the layer
 * and every layer below it), so that an image sharing its base layers with one scanned before only
 * reads its own new layers. Entries are written whole then moved into place, read back only when
 * intact, and evicted oldest-used first beyond a size limit. Only layers that matched their digests
 * are kept; inventories, not findings, are cached, so a new vulnerability database re-matches them.
 */
public final class LayerCache {
    /** Bump when what catalogers find changes, so older entries stop matching. */
    static final int FORMAT = 2;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path directory;
    private final long maxBytes;

    /** One layer's analysis: its raw entries (to rebuild the merged tree) and what was found in its files. */
    public record Entry(List<RawEntry> entries, List<CatalogRunner.FileFinding> files, List<Problem> problems,
            Map<String, List<Misconfiguration>> secrets) {
        public Entry {
            entries = List.copyOf(entries);
            files = List.copyOf(files);
            problems = List.copyOf(problems);
            secrets = Map.copyOf(secrets);
        }
    }

    public LayerCache(Path directory, long maxBytes) {
        this.directory = directory;
        this.maxBytes = maxBytes;
    }

    /**
     * The cache keys of an image's layers: each one's ChainID (extended with the blob digest where the
     * manifest names one), with the format and the limits in force. A key names content the way a
     * container runtime verifies it when it unpacks a layer, so a cached analysis stands for exactly
     * the layer a runtime would run.
     */
    public static List<String> keys(List<Layer> layers, String context) {
        List<String> keys = new ArrayList<>();
        String chain = null;
        for (Layer layer : layers) {
            if (layer.diffId() == null) {
                return List.of();
            }
            String link = layer.diffId() + (layer.digest() == null ? "" : "/" + layer.digest());
            chain = chain == null ? link : "sha256:" + sha256(chain + " " + link);
            keys.add(sha256(FORMAT + "|" + context + "|" + chain));
        }
        return keys;
    }

    public Optional<Entry> load(String key) {
        Path file = directory.resolve(key + ".json.gz");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            Entry entry = JSON.readValue(in, Entry.class);
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
            return Optional.of(entry);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(file); // unreadable: analysed again next time
            } catch (IOException ignored) {
                // best effort
            }
            return Optional.empty();
        }
    }

    public synchronized void store(String key, Entry entry) throws IOException {
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "layer-", ".tmp");
        try {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(temporary))) {
                JSON.writeValue(out, entry);
            }
            Files.move(temporary, directory.resolve(key + ".json.gz"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        evict();
    }

    /** Removes the least recently used entries until the cache fits its limit. */
    private void evict() throws IOException {
        List<Path> files = new ArrayList<>();
        long total = 0;
        try (Stream<Path> list = Files.list(directory)) {
            for (Path f : (Iterable<Path>) list.filter(p -> p.toString().endsWith(".json.gz"))::iterator) {
                files.add(f);
                total += Files.size(f);
            }
        }
        if (total <= maxBytes) {
            return;
        }
        files.sort((a, b) -> {
            try {
                return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
            } catch (IOException e) {
                return 0;
            }
        });
        for (Path f : files) {
            if (total <= maxBytes) {
                break;
            }
            long size = Files.size(f);
            Files.deleteIfExists(f);
            total -= size;
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
