package dev.palisade.scan;

import dev.palisade.catalog.CatalogRunner;
import dev.palisade.catalog.Cataloger;
import dev.palisade.checks.Misconfiguration;
import dev.palisade.checks.SecretCollector;
import dev.palisade.checks.SecretScanner;
import dev.palisade.inventory.Inventory;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.FileTree;
import dev.palisade.source.PathSkips;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.TreeVisitor;
import dev.palisade.source.layer.LayerMerger;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Wires source, merge and catalogers into one streaming pass: artifact in, inventory out. With a
 * {@link LayerCache}, image layers analysed before are replayed instead of read.
 */
public final class InventoryScanner {
    private final ScanLimits limits;
    private final Consumer<String> progress;
    private final @Nullable LayerCache cache;
    private final @Nullable SecretScanner secretScanner;
    private final PathSkips skips;

    public InventoryScanner(ScanLimits limits, Consumer<String> progress) {
        this(limits, progress, null, null);
    }

    public InventoryScanner(ScanLimits limits, Consumer<String> progress, @Nullable LayerCache cache) {
        this(limits, progress, cache, null);
    }

    /**
     * @param cache where image layer analyses are kept between scans, or null for none
     * @param secretScanner looks for secrets in the files as they stream past, or null for none
     */
    public InventoryScanner(
            ScanLimits limits,
            Consumer<String> progress,
            @Nullable LayerCache cache,
            @Nullable SecretScanner secretScanner) {
        this(limits, progress, cache, secretScanner, PathSkips.NONE);
    }

    /**
     * @param skips files and directories not to read; the layer cache is not used with them (its
     *     analyses are of whole layers)
     */
    public InventoryScanner(
            ScanLimits limits,
            Consumer<String> progress,
            @Nullable LayerCache cache,
            @Nullable SecretScanner secretScanner,
            PathSkips skips) {
        this.limits = limits;
        this.progress = progress;
        this.cache = skips.isEmpty() ? cache : null;
        this.secretScanner = secretScanner;
        this.skips = skips;
    }

    /** An inventory, the merged file tree it was taken from, and the secrets found in its files. */
    public record Scanned(Inventory inventory, FileTree tree, List<Misconfiguration> secrets) {
        public Scanned {
            secrets = List.copyOf(secrets);
        }
    }

    public Inventory scan(Artifact artifact, List<Cataloger> catalogers) throws SourceException {
        return scanWithTree(artifact, catalogers).inventory();
    }

    public Scanned scanWithTree(Artifact artifact, List<Cataloger> catalogers) throws SourceException {
        CatalogRunner runner = new CatalogRunner(catalogers, limits, progress);
        boolean image = artifact.description().kind() == ArtifactKind.IMAGE;
        SecretCollector secrets = secretScanner == null ? null : new SecretCollector(secretScanner);
        TreeVisitor downstream = SkippingTree.visitor(
                secrets == null ? runner : new SecretTreeVisitor(runner, secrets, limits.deadline()), skips);
        LayerMerger merger = new LayerMerger(downstream, limits, image);
        if (cache == null || !image) {
            artifact.walk(merger);
        } else {
            artifact.walk(new CachingLayerVisitor(
                    merger, runner, secrets, cache, LayerCache.analysis(catalogers, secretScanner, limits), progress));
        }
        FileTree tree = SkippingTree.tree(merger.tree(), skips);
        return new Scanned(
                runner.finish(artifact.description(), tree),
                tree,
                secrets == null ? List.of() : secrets.visible(merger.tree()));
    }
}
