package dev.palisade.testing;

import dev.palisade.catalog.Catalogers;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Package;
import dev.palisade.scan.InventoryScanner;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.directory.DirectoryArtifact;
import dev.palisade.source.image.ImageSources;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Runs the real pipeline in tests. */
public final class Scans {
    public static final Clock FIXED = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private Scans() {}

    public static Inventory image(Path path) throws SourceException, IOException {
        return image(path, ScanLimits.defaults());
    }

    public static Inventory image(Path path, ScanLimits limits) throws SourceException, IOException {
        try (Artifact artifact = new ImageSources(limits, ImageSources.Platform.parse("linux/amd64")).open(path)) {
            return new InventoryScanner(limits, m -> {}).scan(artifact, Catalogers.forKind(ArtifactKind.IMAGE));
        }
    }

    public static Inventory directory(Path path, ArtifactKind kind) throws SourceException, IOException {
        try (Artifact artifact = DirectoryArtifact.open(
                path, kind, DeploymentModel.UNSPECIFIED, Set.of(), dev.palisade.source.ScanLimits.defaults())) {
            return new InventoryScanner(ScanLimits.defaults(), m -> {}).scan(artifact, Catalogers.forKind(kind));
        }
    }

    /** {@code name@version} of each package, for compact assertions. */
    public static List<String> coordinates(Inventory inventory) {
        return inventory.packages().stream()
                .map(p -> p.name() + "@" + p.version())
                .collect(Collectors.toList());
    }

    public static List<String> purls(List<Package> packages) {
        return packages.stream().map(Package::purl).collect(Collectors.toList());
    }

    /**
     * {@code ../shared}, where the corpus images live. Its advisory data keeps being refreshed: tests
     * assert on the pinned copy of TestDatabase instead.
     */
    public static Path shared() {
        String configured = System.getProperty("palisade.shared");
        return configured != null ? Paths.get(configured) : Paths.get("..", "shared");
    }
}
