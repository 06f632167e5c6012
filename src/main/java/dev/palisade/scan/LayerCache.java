package dev.palisade.scan;

import dev.palisade.catalog.CatalogRunner;
import dev.palisade.catalog.Cataloger;
import dev.palisade.checks.Misconfiguration;
import dev.palisade.checks.SecretScanner;
import dev.palisade.source.Layer;
import dev.palisade.source.Problem;
import dev.palisade.source.RawEntry;
import dev.palisade.source.ScanLimits;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * What the analysis of each image layer found, kept on disk per layer chain (like the OCI ChainID: the
 * layer and every layer below it, each by its diff ID and its verified blob digest) and per kind of
 * analysis, so that an image sharing its base layers with one scanned before only reads its own new
 * layers. Entries are written whole then moved into place, read back only when intact, and evicted
 * oldest-used first beyond a size limit. Only layers that matched their digests
 * are kept; inventories, not findings, are cached, so a new vulnerability database re-matches them.
 */
public final class LayerCache {
    /** Bump when what catalogers find or what an entry holds changes, so older entries stop matching. */
    static final int FORMAT = 5;

    /** An entry's file, by its key: gzip-compressed {@link LayerCacheFormat}. */
    static final String SUFFIX = ".layer.gz";
    /** The most an entry decompresses to: a layer of about a million files. */
    static final long MAX_ENTRY_BYTES = 128L * 1024 * 1024;
    /** Entries of formats 4 and older (JSON), never read: removed when the cache is next written. */
    static final String OLD_SUFFIX = ".json.gz";

    private static final int BUFFER = 64 * 1024;
    private static final String PALISADE_VERSION = palisadeVersion();

    private final Path directory;
    private final long maxBytes;

    /** One layer's analysis: its raw entries (to rebuild the merged tree) and what was found in its files. */
    public record Entry(
            List<RawEntry> entries,
            List<CatalogRunner.FileFinding> files,
            List<Problem> problems,
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
     * What a cached analysis was made with, so that an entry is replayed only into a scan that would
     * have found the same: the Palisade build and cache format, the catalogers that ran, the secret
     * rules in force ("none" when secrets were not looked for) and the limits that bound what is read.
     * The timeout is left out: it decides whether a scan finishes, not what a layer holds.
     */
    public static String analysis(List<Cataloger> catalogers, @Nullable SecretScanner secrets, ScanLimits limits) {
        StringJoiner names = new StringJoiner(",");
        for (Cataloger cataloger : catalogers) {
            names.add(cataloger.name() + "=" + cataloger.getClass().getName());
        }
        return "palisade " + PALISADE_VERSION + "; format " + FORMAT
                + "; catalogers " + names
                + "; secret rules " + (secrets == null ? "none" : secrets.fingerprint())
                + "; limits file=" + limits.maxFileBytes() + ",metadata=" + limits.maxMetadataBytes()
                + ",entries=" + limits.maxEntries() + ",total=" + limits.maxTotalBytes()
                + ",depth=" + limits.maxArchiveDepth() + ",hops=" + limits.maxSymlinkHops();
    }

    /**
     * The chain of {@code layer} on top of {@code below} (null for the base layer): its diff ID and its
     * blob digest, chained like the OCI ChainID. The blob digest must be one verified against the
     * content in this run: it is what ties a replayed analysis to the bytes that were analysed, since a
     * diff ID is only a claim of the image's config until the layer is read.
     */
    static String chain(@Nullable String below, Layer layer) {
        if (layer.diffId() == null || layer.digest() == null) {
            throw new IllegalArgumentException("a layer is cached only by its diff ID and its verified blob digest");
        }
        String link = layer.diffId() + "/" + layer.digest();
        return below == null ? link : "sha256:" + sha256(below + " " + link);
    }

    /** The file name of a chain's analysis made with {@code analysis} (see {@link #analysis}). */
    static String key(String analysis, String chain) {
        return sha256(analysis + "|" + chain);
    }

    public boolean contains(String key) {
        return Files.isRegularFile(directory.resolve(key + SUFFIX));
    }

    /**
     * An entry's decompressed bytes, at most {@link #MAX_ENTRY_BYTES}: a damaged or planted entry cannot expand
     * into more memory than that (a larger one is analysed again instead).
     */
    static DataInputStream open(Path file) throws IOException {
        java.io.InputStream raw = Files.newInputStream(file);
        try {
            return new DataInputStream(new BufferedInputStream(
                    new dev.palisade.source.LimitedInputStream(
                            new GZIPInputStream(raw, BUFFER), MAX_ENTRY_BYTES, "layer cache entry"),
                    BUFFER));
        } catch (IOException | RuntimeException e) {
            raw.close(); // not a gzip stream: the file is not left open
            throw e;
        }
    }

    public Optional<Entry> load(String key) {
        Path file = directory.resolve(key + SUFFIX);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (DataInputStream in = open(file)) {
            Entry entry = LayerCacheFormat.read(in, key);
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
            try (DataOutputStream out = new DataOutputStream(
                    new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(temporary), BUFFER), BUFFER))) {
                LayerCacheFormat.write(out, key, entry);
            }
            Files.move(
                    temporary,
                    directory.resolve(key + SUFFIX),
                    StandardCopyOption.ATOMIC_MOVE,
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
            for (Path f : (Iterable<Path>) list::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(OLD_SUFFIX)) {
                    Files.deleteIfExists(f); // an older format's entry, never read again
                } else if (name.endsWith(SUFFIX)) {
                    files.add(f);
                    total += Files.size(f);
                }
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

    private static String palisadeVersion() {
        try (InputStream in = LayerCache.class.getResourceAsStream("/dev/palisade/version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
