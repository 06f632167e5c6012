package dev.palisade.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.catalog.Catalogers;
import dev.palisade.inventory.Inventory;
import dev.palisade.scan.InventoryScanner;
import dev.palisade.scan.LayerCache;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.image.ImageReference;
import dev.palisade.source.image.ImageSources;
import dev.palisade.testing.FakeRegistry;
import dev.palisade.testing.FakeRegistry.Behaviour;
import dev.palisade.testing.ImageBuilder;
import dev.palisade.testing.Scans;
import dev.palisade.testing.TarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry layer is replayed from the layer cache only once its blob was checked against its digest in this run. */
class RegistryLayerCacheTest {
    @TempDir
    Path tmp;

    static final byte[] LAYER = new TarBuilder()
            .file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
            .file("var/lib/dpkg/status", "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2\n\n")
            .build();

    Inventory scan(FakeRegistry registry, LayerCache cache, List<String> progress) throws Exception {
        ScanLimits limits = ScanLimits.defaults();
        RegistryClient client = new RegistryClient(
                ImageReference.parse(registry.host() + "/team/app:1.0").orElseThrow(),
                null,
                RegistryClient.Settings.defaults(true));
        try (Artifact artifact = new ImageSources(limits, ImageSources.Platform.parse("linux/amd64"))
                .openLayout(client.reference().toString(), new RegistryBlobReader(client, limits.maxMetadataBytes()))) {
            return new InventoryScanner(limits, progress::add, cache)
                    .scan(artifact, Catalogers.forKind(ArtifactKind.IMAGE));
        }
    }

    @Test
    void shouldReplayAVerifiedBlobAndFailOnOneTamperedWithAfterItWasCached() throws Exception {
        Path layout = new ImageBuilder().layer(LAYER, "base").ociLayout(Files.createDirectory(tmp.resolve("oci")));
        LayerCache cache = new LayerCache(tmp.resolve("cache"), 100_000_000);
        List<String> cold = new ArrayList<>();
        List<String> warm = new ArrayList<>();
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", Behaviour.NORMAL)) {
            scan(registry, cache, cold);
            Inventory replayed = scan(registry, cache, warm);
            assertThat(Scans.coordinates(replayed)).containsExactly("bash@5.2.15-2");
        }
        assertThat(cold).noneMatch(p -> p.contains("from the layer cache"));
        assertThat(warm).contains("layer 1 from the layer cache");

        try (FakeRegistry tampered = new FakeRegistry(layout, "team/app", Behaviour.TAMPERED_BLOB)) {
            assertThatThrownBy(() -> scan(tampered, cache, new ArrayList<>()))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("does not match its digest");
        }
    }
}
