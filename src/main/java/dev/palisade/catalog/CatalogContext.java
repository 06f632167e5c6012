package dev.palisade.catalog;

import dev.palisade.source.Problem;
import dev.palisade.source.ScanLimits;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** What a cataloger may use: the limits to obey and a place to report what it could not read. */
public final class CatalogContext {
    private final ScanLimits limits;
    private final Consumer<Problem> problems;
    private final @Nullable String layerDiffId;

    public CatalogContext(ScanLimits limits, Consumer<Problem> problems, @Nullable String layerDiffId) {
        this.limits = limits;
        this.problems = problems;
        this.layerDiffId = layerDiffId;
    }

    public ScanLimits limits() {
        return limits;
    }

    public void problem(String path, String reason) {
        problems.accept(new Problem(path, layerDiffId, reason));
    }
}
