package dev.palisade.source.layer;

import dev.palisade.source.EntryPaths;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.FileTree;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The merged tree of all layers read so far. Only {@link LayerMerger} changes it; everyone else sees
 * it as a {@link FileTree}.
 */
public final class MergedTree implements FileTree {
    private final NavigableMap<String, FileEntry> entries = new TreeMap<>();
    private final int maxSymlinkHops;

    public MergedTree(int maxSymlinkHops) {
        this.maxSymlinkHops = maxSymlinkHops;
    }

    @Override
    public Optional<FileEntry> entry(String path) {
        return Optional.ofNullable(entries.get(path));
    }

    @Override
    public Collection<FileEntry> entries() {
        return Collections.unmodifiableCollection(entries.values());
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public List<FileEntry> children(String directory) {
        return FileTree.childrenOf(entries, directory);
    }

    /** Layers are streamed once: the merged tree keeps metadata only. See {@link ContentTree} for a tree with content. */
    @Override
    public InputStream open(FileEntry entry) throws IOException {
        throw FileTree.contentNotKept(entry);
    }

    @Override
    public Optional<String> resolve(String path) {
        return resolve(path, true);
    }

    /**
     * Resolves {@code path} component by component, confined to the root the way a container runtime
     * resolves paths inside a rootfs: an absolute link target restarts at the root and {@code ..}
     * stops at the root.
     */
    Optional<String> resolve(String path, boolean followLast) {
        List<String> pending = new ArrayList<>(split(path));
        List<String> resolved = new ArrayList<>();
        int hops = 0;
        while (!pending.isEmpty()) {
            String part = pending.remove(0);
            if (part.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                continue;
            }
            resolved.add(part);
            if (pending.isEmpty() && !followLast) {
                break;
            }
            FileEntry entry = entries.get(String.join("/", resolved));
            if (entry == null || entry.kind() != FileKind.SYMLINK || entry.linkTarget() == null) {
                continue;
            }
            if (++hops > maxSymlinkHops) {
                return Optional.empty();
            }
            resolved.remove(resolved.size() - 1);
            String target = entry.linkTarget();
            if (target.startsWith("/")) {
                resolved.clear();
            }
            pending.addAll(0, split(target));
        }
        return Optional.of(String.join("/", resolved));
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts;
    }

    void put(FileEntry entry) {
        FileEntry previous = entries.put(entry.path(), entry);
        if (previous != null && previous.kind() == FileKind.DIRECTORY && entry.kind() != FileKind.DIRECTORY) {
            removeBelow(entry.path(), Integer.MAX_VALUE);
        }
    }

    /** Removes {@code path} and everything below it that a layer before {@code layer} wrote. */
    void whiteout(String path, int layer) {
        FileEntry existing = entries.get(path);
        if (existing != null && existing.layer() < layer) {
            entries.remove(path);
        }
        removeBelow(path, layer);
    }

    /** Removes everything below {@code directory} that a layer before {@code layer} wrote. */
    void removeBelow(String directory, int layer) {
        String prefix = directory.isEmpty() ? "" : directory + "/";
        NavigableMap<String, FileEntry> below =
                prefix.isEmpty() ? entries : entries.subMap(prefix, true, directory + "0", false); // '0' follows '/'
        below.values().removeIf(e -> e.layer() < layer);
    }

    static String parentOf(String path) {
        return EntryPaths.parent(path);
    }
}
