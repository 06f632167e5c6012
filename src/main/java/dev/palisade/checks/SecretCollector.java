package dev.palisade.checks;

import dev.palisade.source.FileEntry;
import dev.palisade.source.FileTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Collects the secrets found in files as an artifact's layers stream past, and keeps at the end only
 * those in files the final tree still shows from the same layer.
 */
public final class SecretCollector {
    private static final String SSH_HOST_KEY_PREFIX = "etc/ssh/ssh_host_";
    private static final String KEY_SUFFIX = "_key";

    private final SecretScanner scanner;
    private final Map<String, List<Found>> byPath = new HashMap<>();

    private record Found(int layer, List<Misconfiguration> secrets) {}

    public SecretCollector(SecretScanner scanner) {
        this.scanner = scanner;
    }

    public boolean wants(FileEntry entry) {
        return entry.isRegularFile()
                && !isSshHostKey(entry.path()) // a host's own keys belong to it
                && scanner.wants(entry.path(), entry.size());
    }

    /** {@code etc/ssh/ssh_host_TYPE_key}, TYPE of lower-case letters and digits. */
    static boolean isSshHostKey(String path) {
        if (!path.startsWith(SSH_HOST_KEY_PREFIX)
                || !path.endsWith(KEY_SUFFIX)
                || path.length() <= SSH_HOST_KEY_PREFIX.length() + KEY_SUFFIX.length()) {
            return false;
        }
        for (int i = SSH_HOST_KEY_PREFIX.length(); i < path.length() - KEY_SUFFIX.length(); i++) {
            char c = path.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    public long maxBytes() {
        return scanner.maxBytes();
    }

    /** Scans one file and keeps what it holds; returns why some rules could not finish on it. */
    public List<String> scan(FileEntry entry, byte[] content, @Nullable String layerDiffId) {
        SecretScanner.FileScan scanned = scanner.scan(entry.path(), content, layerDiffId);
        add(entry.path(), entry.layer(), scanned.secrets());
        return scanned.problems();
    }

    /** Secrets an earlier scan found in a layer (from a layer cache). */
    public void add(String path, int layer, List<Misconfiguration> secrets) {
        if (!secrets.isEmpty()) {
            byPath.computeIfAbsent(path, p -> new ArrayList<>()).add(new Found(layer, secrets));
        }
    }

    /** What was found in layer {@code index}, to be kept with it. */
    public Map<String, List<Misconfiguration>> layer(int index) {
        Map<String, List<Misconfiguration>> of = new HashMap<>();
        byPath.forEach(
                (path, list) -> list.stream().filter(f -> f.layer() == index).forEach(f -> of.put(path, f.secrets())));
        return of;
    }

    /** The secrets in files that the final tree shows. */
    public List<Misconfiguration> visible(FileTree tree) {
        List<Misconfiguration> visible = new ArrayList<>();
        for (Map.Entry<String, List<Found>> e : byPath.entrySet()) {
            Optional<FileEntry> entry = tree.entry(e.getKey());
            if (entry.isEmpty() || !entry.get().isRegularFile()) {
                continue;
            }
            for (Found f : e.getValue()) {
                if (f.layer() == entry.get().layer()) {
                    visible.addAll(f.secrets());
                }
            }
        }
        return visible;
    }
}
