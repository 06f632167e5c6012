package dev.palisade.scan;

import dev.palisade.catalog.CatalogRunner;
import dev.palisade.checks.SecretCollector;
import dev.palisade.source.Layer;
import dev.palisade.source.LayerVisitor;
import dev.palisade.source.Problem;
import dev.palisade.source.RawEntry;
import dev.palisade.source.layer.LayerMerger;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Puts a {@link LayerCache} in front of the merge and the catalogers: a layer the cache knows is
 * replayed (its entries rebuild the merged tree, its findings are taken as they were) without being
 * read; a layer read in full and verified is stored for next time. Keys are built as the layers pass,
 * from the blob digests the source verified; above a layer that was not verified nothing is cached.
 */
final class CachingLayerVisitor implements LayerVisitor {
    private final LayerMerger merger;
    private final CatalogRunner runner;
    private final @Nullable SecretCollector secrets;
    private final LayerCache cache;
    private final String analysis;
    private final Consumer<String> progress;
    private final Map<Integer, LayerCache.Entry> known = new HashMap<>();
    /** The chain of each layer replayed or verified, by index. */
    private final Map<Integer, String> chains = new HashMap<>();

    private @Nullable String chainBelow;
    private boolean chainBroken;

    /** @param analysis what this scan's analysis is made with ({@link LayerCache#analysis}) */
    CachingLayerVisitor(
            LayerMerger merger,
            CatalogRunner runner,
            @Nullable SecretCollector secrets,
            LayerCache cache,
            String analysis,
            Consumer<String> progress) {
        this.merger = merger;
        this.runner = runner;
        this.secrets = secrets;
        this.cache = cache;
        this.analysis = analysis;
        this.progress = progress;
    }

    @Override
    public boolean mightKnow(Layer layer) {
        if (chainBroken || layer.diffId() == null) {
            return false;
        }
        return layer.digest() == null || cache.contains(LayerCache.key(analysis, LayerCache.chain(chainBelow, layer)));
    }

    @Override
    public boolean knows(Layer layer) {
        if (chainBroken || layer.diffId() == null || layer.digest() == null) {
            return false;
        }
        String chain = LayerCache.chain(chainBelow, layer);
        return cache.load(LayerCache.key(analysis, chain))
                .map(entry -> {
                    known.put(layer.index(), entry);
                    chains.put(layer.index(), chain);
                    return true;
                })
                .orElse(false);
    }

    @Override
    public void startLayer(Layer layer) {
        LayerCache.Entry entry = known.get(layer.index());
        merger.startLayer(layer);
        if (entry == null) {
            merger.recordEntries();
            return;
        }
        progress.accept("layer " + (layer.index() + 1) + " from the layer cache");
        runner.replaying(true);
        try {
            for (RawEntry raw : entry.entries()) {
                merger.entry(raw, InputStream.nullInputStream());
            }
        } catch (IOException e) {
            merger.problem(new Problem(
                    String.valueOf(layer.diffId()),
                    layer.diffId(),
                    "cached layer could not be replayed: " + e.getMessage()));
        } finally {
            runner.replaying(false);
        }
        runner.importLayer(layer.index(), entry.files(), entry.problems());
        if (secrets != null) {
            entry.secrets().forEach((path, found) -> secrets.add(path, layer.index(), found));
        }
    }

    @Override
    public void entry(RawEntry entry, InputStream content) throws IOException {
        merger.entry(entry, content);
    }

    @Override
    public void verified(Layer layer) {
        if (known.containsKey(layer.index()) || chainBroken || layer.diffId() == null || layer.digest() == null) {
            return;
        }
        String chain = LayerCache.chain(chainBelow, layer);
        chains.put(layer.index(), chain);
        try {
            cache.store(
                    LayerCache.key(analysis, chain),
                    new LayerCache.Entry(
                            merger.recorded(),
                            runner.exportLayer(layer.index()),
                            runner.problemsOf(layer.diffId()),
                            secrets == null ? Map.of() : secrets.layer(layer.index())));
        } catch (IOException e) {
            merger.problem(new Problem(
                    String.valueOf(layer.diffId()), layer.diffId(), "layer cache not written: " + e.getMessage()));
        }
    }

    @Override
    public void endLayer(Layer layer) {
        if (!known.containsKey(layer.index())) {
            merger.recorded(); // a layer that was not verified leaves nothing behind
        }
        String chain = chains.get(layer.index());
        if (chain == null) {
            chainBroken = true; // what lies on a layer that was not verified is not cached either
        } else {
            chainBelow = chain;
        }
        merger.endLayer(layer);
    }

    @Override
    public void problem(Problem problem) {
        merger.problem(problem);
    }
}
