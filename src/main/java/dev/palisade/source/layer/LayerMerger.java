package dev.palisade.source.layer;

import dev.palisade.source.ArtifactLimitException;
import dev.palisade.source.EntryPaths;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.Layer;
import dev.palisade.source.LayerVisitor;
import dev.palisade.source.Problem;
import dev.palisade.source.RawEntry;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.TreeVisitor;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Merges layers the way a container runtime does, while they stream: OCI whiteouts ({@code .wh.NAME})
 * and opaque directories ({@code .wh..wh..opq}) hide what lower layers wrote, later layers win,
 * parent directories are resolved through symbolic links inside the root only, hard links are
 * checked against what the layer already holds. The only place whiteouts are interpreted.
 */
public final class LayerMerger implements LayerVisitor {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";

    private final TreeVisitor downstream;
    private final MergedTree tree;
    private final boolean applyWhiteouts;
    private final long maxEntries;
    private final Map<String, String> resolvedParents = new HashMap<>();
    private long entryCount;
    private @Nullable Layer current;
    private java.util.@Nullable List<RawEntry> recording;

    /**
     * @param applyWhiteouts true for image layers; a plain directory or zip holds no whiteouts, and a
     *     file named {@code .wh.x} there is just a file
     */
    public LayerMerger(TreeVisitor downstream, ScanLimits limits, boolean applyWhiteouts) {
        this.downstream = downstream;
        this.tree = new MergedTree(limits.maxSymlinkHops());
        this.applyWhiteouts = applyWhiteouts;
        this.maxEntries = limits.maxEntries();
    }

    public MergedTree tree() {
        return tree;
    }

    /** Keeps the raw entries of the current layer, so that the layer can be replayed later without its content. */
    public void recordEntries() {
        recording = new java.util.ArrayList<>();
    }

    /** The entries recorded since {@link #recordEntries()}, and stops recording. */
    public java.util.List<RawEntry> recorded() {
        java.util.List<RawEntry> entries = recording == null ? java.util.List.of() : java.util.List.copyOf(recording);
        recording = null;
        return entries;
    }

    @Override
    public void startLayer(Layer layer) {
        current = layer;
        resolvedParents.clear();
        downstream.startLayer(layer);
    }

    @Override
    public void endLayer(Layer layer) {
        downstream.endLayer(layer);
        current = null;
    }

    @Override
    public void problem(Problem problem) {
        downstream.problem(problem);
    }

    @Override
    public void entry(RawEntry raw, InputStream content) throws IOException {
        Layer layer = requireLayer();
        if (recording != null) {
            recording.add(raw);
        }
        if (++entryCount > maxEntries) {
            throw new ArtifactLimitException(
                    "the artifact has more than " + maxEntries + " entries (limit maxEntries)");
        }
        Optional<String> normalized = EntryPaths.normalize(raw.name());
        if (normalized.isEmpty()) {
            problem(raw.name(), layer, "entry path escapes the artifact root; entry ignored");
            return;
        }
        String path = normalized.get();
        if (path.isEmpty()) {
            return; // the root directory itself
        }
        String name = EntryPaths.name(path);
        Optional<String> parent = resolveParent(EntryPaths.parent(path));
        if (parent.isEmpty()) {
            problem(path, layer, "a parent directory is a symbolic link loop; entry ignored");
            return;
        }
        if (applyWhiteouts && name.startsWith(WHITEOUT_PREFIX)) {
            applyWhiteout(parent.get(), name, layer);
            return;
        }
        String resolved = EntryPaths.join(parent.get(), name);
        switch (raw.kind()) {
            case DIRECTORY -> tree.put(entry(resolved, raw, layer, null, 0));
            case SYMLINK -> {
                String target = raw.linkTarget() == null ? "" : raw.linkTarget();
                tree.put(entry(resolved, raw, layer, target, 0));
                resolvedParents.clear();
            }
            case HARDLINK -> hardLink(resolved, raw, layer);
            case FILE -> {
                FileEntry entry = entry(resolved, raw, layer, null, raw.size());
                tree.put(entry);
                downstream.file(entry, content);
            }
            case OTHER -> tree.put(entry(resolved, raw, layer, null, 0));
        }
    }

    private void applyWhiteout(String parent, String name, Layer layer) {
        if (name.equals(OPAQUE_MARKER)) {
            tree.removeBelow(parent, layer.index());
        } else {
            String hidden = name.substring(WHITEOUT_PREFIX.length());
            if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..") || hidden.contains("/")) {
                problem(EntryPaths.join(parent, name), layer, "malformed whiteout entry; ignored");
                return;
            }
            tree.whiteout(EntryPaths.join(parent, hidden), layer.index());
        }
        resolvedParents.clear();
    }

    private void hardLink(String path, RawEntry raw, Layer layer) {
        Optional<String> target = raw.linkTarget() == null ? Optional.empty() : EntryPaths.normalize(raw.linkTarget());
        if (target.isEmpty() || target.get().isEmpty()) {
            problem(
                    path,
                    layer,
                    "hard link target escapes the artifact root (" + raw.linkTarget() + "); entry ignored");
            return;
        }
        Optional<String> targetParent = resolveParent(EntryPaths.parent(target.get()));
        String targetPath = EntryPaths.join(targetParent.orElse(""), EntryPaths.name(target.get()));
        Optional<FileEntry> targetEntry = tree.entry(targetPath);
        if (targetEntry.isEmpty() || !targetEntry.get().isRegularFile()) {
            problem(
                    path,
                    layer,
                    "hard link to " + raw.linkTarget()
                            + ", which is not a regular file of the artifact; entry ignored");
            return;
        }
        FileEntry link = new FileEntry(
                path,
                FileKind.HARDLINK,
                targetEntry.get().size(),
                raw.mode() & 07777,
                raw.uid(),
                raw.gid(),
                targetPath,
                layer.index());
        tree.put(link);
        downstream.hardLink(link, targetPath);
    }

    private Optional<String> resolveParent(String rawParent) {
        if (rawParent.isEmpty()) {
            return Optional.of("");
        }
        String cached = resolvedParents.get(rawParent);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<String> resolved = tree.resolve(rawParent, true);
        resolved.ifPresent(r -> resolvedParents.put(rawParent, r));
        return resolved;
    }

    private FileEntry entry(String path, RawEntry raw, Layer layer, @Nullable String target, long size) {
        return new FileEntry(path, raw.kind(), size, raw.mode() & 07777, raw.uid(), raw.gid(), target, layer.index());
    }

    private void problem(String path, Layer layer, String reason) {
        downstream.problem(new Problem(path, layer.diffId(), reason));
    }

    private Layer requireLayer() {
        if (current == null) {
            throw new IllegalStateException("entry outside of a layer");
        }
        return current;
    }
}
