package dev.palisade.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.Catalogers;
import dev.palisade.inventory.Inventory;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.image.ImageSources;
import dev.palisade.testing.ImageBuilder;
import dev.palisade.testing.Scans;
import dev.palisade.testing.TarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerCacheTest {
    @TempDir
    Path tmp;

    static final byte[] BASE = new TarBuilder()
            .file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
            .file("var/lib/dpkg/status", "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2\n\n")
            .symlink("lib", "usr/lib")
            .build();

    static byte[] app(String name, String version) {
        return new TarBuilder()
                .file("usr/lib/node_modules/" + name + "/package.json", "{\"name\":\"" + name + "\",\"version\":\"" + version + "\"}")
                .file("var/lib/dpkg/.wh.status", "")
                .build();
    }

    record Run(Inventory inventory, List<String> progress) {}

    Run scan(Path image, LayerCache cache) throws Exception {
        List<String> progress = new ArrayList<>();
        ScanLimits limits = ScanLimits.defaults();
        try (Artifact artifact = new ImageSources(limits, ImageSources.Platform.parse("linux/amd64")).open(image)) {
            Inventory inventory = new InventoryScanner(limits, Scans.FIXED, progress::add, cache)
                    .scan(artifact, Catalogers.forKind(ArtifactKind.IMAGE));
            return new Run(inventory, progress);
        }
    }

    @Test
    void shouldReplayCachedLayersWithTheSameResultAndReadOnlyNewOnes() throws Exception {
        LayerCache cache = new LayerCache(tmp.resolve("cache"), 100_000_000);
        Path first = new ImageBuilder().layer(BASE, "base").layer(app("left-pad", "1.3.0"), "app 1").dockerArchive(tmp.resolve("a.tar"));
        Path second = new ImageBuilder().layer(BASE, "base").layer(app("right-pad", "1.0.1"), "app 2").dockerArchive(tmp.resolve("b.tar"));

        Run cold = scan(first, cache);
        Run warm = scan(first, cache);
        Run sharedBase = scan(second, cache);

        assertThat(Scans.coordinates(warm.inventory())).isEqualTo(Scans.coordinates(cold.inventory()))
                .containsExactly("left-pad@1.3.0");
        assertThat(warm.inventory().packages()).isEqualTo(cold.inventory().packages());
        assertThat(warm.inventory().os()).isEqualTo(cold.inventory().os());
        assertThat(cold.progress()).noneMatch(p -> p.contains("from the layer cache"));
        assertThat(warm.progress()).filteredOn(p -> p.contains("from the layer cache")).hasSize(2);
        assertThat(sharedBase.progress()).filteredOn(p -> p.contains("from the layer cache")).containsExactly("layer 1 from the layer cache");
        assertThat(Scans.coordinates(sharedBase.inventory())).containsExactly("right-pad@1.0.1");
        assertThat(sharedBase.inventory().packages().get(0).locations().get(0).path())
                .as("paths through links in the replayed base resolve as before").isEqualTo("usr/lib/node_modules/right-pad/package.json");
    }

    @Test
    void shouldNotCacheALayerThatFailedItsDigest() throws Exception {
        LayerCache cache = new LayerCache(tmp.resolve("cache"), 100_000_000);
        Path image = new ImageBuilder().layer(BASE, "base").wrongDiffId().dockerArchive(tmp.resolve("a.tar"));

        scan(image, cache);

        assertThat(files(tmp.resolve("cache"))).isEmpty();
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedBeyondItsSizeAndDropUnreadableEntries() throws Exception {
        LayerCache cache = new LayerCache(tmp.resolve("cache"), 1);
        Path image = new ImageBuilder().layer(BASE, "base").dockerArchive(tmp.resolve("a.tar"));

        scan(image, cache);
        assertThat(files(tmp.resolve("cache"))).as("nothing fits in one byte").isEmpty();

        LayerCache roomy = new LayerCache(tmp.resolve("roomy"), 100_000_000);
        scan(image, roomy);
        try (Stream<Path> entries = Files.list(tmp.resolve("roomy"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Files.writeString(entry, "not gzip");
            }
        }
        Run again = scan(image, roomy);
        assertThat(again.progress()).noneMatch(p -> p.contains("from the layer cache"));
        assertThat(Scans.coordinates(again.inventory())).containsExactly("bash@5.2.15-2");
    }

    static List<Path> files(Path directory) throws Exception {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(directory)) {
            return list.filter(p -> p.toString().endsWith(".json.gz")).toList();
        }
    }
}
