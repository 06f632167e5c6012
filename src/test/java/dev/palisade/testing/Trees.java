package dev.palisade.testing;

import dev.palisade.catalog.CatalogRunner;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.ContentTree;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.FileTree;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.directory.DirectoryArtifact;
import dev.palisade.source.layer.LayerMerger;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** File trees of test directories, read through the same source and merge as a scan. */
public final class Trees {
    private Trees() {}

    /** The tree of a directory, with its content readable through {@link FileTree#open}. */
    public static FileTree of(Path directory) throws Exception {
        Artifact artifact = DirectoryArtifact.open(
                directory,
                ArtifactKind.DIRECTORY,
                DeploymentModel.UNSPECIFIED,
                Set.of(),
                dev.palisade.source.ScanLimits.defaults());
        CatalogRunner runner = new CatalogRunner(List.of(), ScanLimits.defaults(), message -> {});
        LayerMerger merger = new LayerMerger(runner, ScanLimits.defaults(), false);
        artifact.walk(merger);
        return new ContentTree(merger.tree(), artifact);
    }
}
