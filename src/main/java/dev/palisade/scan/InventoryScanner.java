package dev.palisade.scan;

import dev.palisade.catalog.CatalogRunner;
import dev.palisade.catalog.Cataloger;
import dev.palisade.inventory.Inventory;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.layer.LayerMerger;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/** Wires source, merge and catalogers into one streaming pass: artifact in, inventory out. */
public final class InventoryScanner {
    private final ScanLimits limits;
    private final Clock clock;
    private final Consumer<String> progress;

    public InventoryScanner(ScanLimits limits, Clock clock, Consumer<String> progress) {
        this.limits = limits;
        this.clock = clock;
        this.progress = progress;
    }

    public Inventory scan(Artifact artifact, List<Cataloger> catalogers) throws SourceException {
        CatalogRunner runner = new CatalogRunner(catalogers, limits, clock, progress);
        boolean image = artifact.description().kind() == ArtifactKind.IMAGE;
        LayerMerger merger = new LayerMerger(runner, limits, image);
        artifact.walk(merger);
        return runner.finish(artifact.description(), merger.tree());
    }
}
