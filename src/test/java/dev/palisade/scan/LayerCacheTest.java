package dev.palisade.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.Catalogers;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.Misconfiguration;
import dev.palisade.checks.SecretScanner;
import dev.palisade.inventory.Inventory;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.Problem;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.image.ImageSources;
import dev.palisade.testing.ImageBuilder;
import dev.palisade.testing.Scans;
import dev.palisade.testing.TarBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;
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
                .file(
                        "usr/lib/node_modules/" + name + "/package.json",
                        "{\"name\":\"" + name + "\",\"version\":\"" + version + "\"}")
                .file("var/lib/dpkg/.wh.status", "")
                .build();
    }

    /** A planted secret: an AWS access key ID of the documentation's shape. */
    static final String PLANTED_KEY = "AKIA" + "Q3EGRIBWJ7NSJQ5E";

    static final byte[] GENUINE_APP = app("left-pad", "1.3.0");

    static byte[] planted() throws Exception {
        return new TarBuilder()
                .file("usr/lib/node_modules/left-pad/package.json", "{\"name\":\"left-pad\",\"version\":\"1.3.0\"}")
                .file(
                        "app/lib/backdoor-6.6.6.jar",
                        jar(
                                "META-INF/maven/org.evil/backdoor/pom.properties",
                                "groupId=org.evil\nartifactId=backdoor\nversion=6.6.6\n"),
                        0644)
                .file("app/config.env", "AWS_ACCESS_KEY_ID=" + PLANTED_KEY + "\n")
                .build();
    }

    static byte[] jar(String name, String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    record Run(Inventory inventory, List<Misconfiguration> secrets, List<String> progress) {}

    Run scan(Path image, LayerCache cache) throws Exception {
        return scan(image, cache, ScanLimits.defaults(), null);
    }

    Run scan(Path image, LayerCache cache, ScanLimits limits, @Nullable SecretScanner secrets) throws Exception {
        List<String> progress = new ArrayList<>();
        try (Artifact artifact = new ImageSources(limits, ImageSources.Platform.parse("linux/amd64")).open(image)) {
            InventoryScanner.Scanned scanned = new InventoryScanner(limits, progress::add, cache, secrets)
                    .scanWithTree(artifact, Catalogers.forKind(ArtifactKind.IMAGE));
            return new Run(scanned.inventory(), scanned.secrets(), progress);
        }
    }

    static SecretScanner secretScanner() throws Exception {
        return SecretScanner.load(CheckCatalog.load(), null, SecretScanner.DEFAULT_MAX_BYTES);
    }

    static List<String> replayed(Run run) {
        return run.progress().stream()
                .filter(p -> p.contains("from the layer cache"))
                .toList();
    }

    @Test
    void shouldReadATarThatClaimsAnotherImagesDiffIdsAndReportTheMismatch() throws Exception {
        LayerCache cache = new LayerCache(tmp.resolve("cache"), 100_000_000);
        Path genuine = new ImageBuilder()
                .layer(BASE, "base")
                .layer(GENUINE_APP, "app")
                .dockerArchive(tmp.resolve("genuine.tar"));
        Path forged = new ImageBuilder()
                .layer(BASE, "base")
                .layer(planted(), "app")
                .diffId("sha256:" + ImageBuilder.sha256(GENUINE_APP))
                .dockerArchive(tmp.resolve("forged.tar"));
        scan(genuine, cache, ScanLimits.defaults(), secretScanner());

        Run attacked = scan(forged, cache, ScanLimits.defaults(), secretScanner());

        assertThat(replayed(attacked))
                .as("the untouched base layer may be replayed")
                .containsExactly("layer 1 from the layer cache");
        assertThat(Scans.coordinates(attacked.inventory())).contains("org.evil:backdoor@6.6.6");
        assertThat(attacked.secrets()).extracting(Misconfiguration::path).containsExactly("app/config.env");
        assertThat(attacked.inventory().problems()).anySatisfy(p -> {
            assertThat(p.layer()).isEqualTo("sha256:" + ImageBuilder.sha256(GENUINE_APP));
            assertThat(p.reason()).startsWith("layer content does not match its diff ID");
        });
    }

    @Test
    void shouldReadAnOciLayoutWhoseBlobWasReplacedAfterItWasCached() throws Exception {
        LayerCache cache = new LayerCache(tmp.resolve("cache"), 100_000_000);
        Path layout =
                new ImageBuilder().layer(BASE, "base").layer(GENUINE_APP, "app").ociLayout(tmp.resolve("oci"));
        scan(layout, cache, ScanLimits.defaults(), secretScanner());
        Path appBlob = layout.resolve("blobs/sha256/" + ImageBuilder.sha256(TarBuilder.gzip(GENUINE_APP)));
        Files.write(appBlob, TarBuilder.gzip(planted()));

        Run attacked = scan(layout, cache, ScanLimits.defaults(), secretScanner());

        assertThat(replayed(attacked)).containsExactly("layer 1 from the layer cache");
        assertThat(Scans.coordinates(attacked.inventory())).contains("org.evil:backdoor@6.6.6");
        assertThat(attacked.secrets()).extracting(Misconfiguration::path).containsExactly("app/config.env");
        assertThat(attacked.inventory().problems())
                .extracting(Problem::reason)
                .anySatisfy(r -> assertThat(r).startsWith("layer content does not match its diff ID"))
                .anySatisfy(r -> assertThat(r).startsWith("layer content does not match its blob digest"));
    }

    @Test
    void shouldNotReplayALayerScannedWithoutSecretsAsHavingNone() throws Exception {
        LayerCache cache = new LayerCache(tmp.resolve("cache"), 100_000_000);
        Path image =
                new ImageBuilder().layer(BASE, "base").layer(planted(), "app").dockerArchive(tmp.resolve("a.tar"));
        scan(image, cache, ScanLimits.defaults(), null);

        Run withSecrets = scan(image, cache, ScanLimits.defaults(), secretScanner());
        Run again = scan(image, cache, ScanLimits.defaults(), secretScanner());

        assertThat(replayed(withSecrets)).isEmpty();
        assertThat(withSecrets.secrets()).extracting(Misconfiguration::path).containsExactly("app/config.env");
        assertThat(replayed(again)).hasSize(2);
        assertThat(again.secrets()).isEqualTo(withSecrets.secrets());
    }

    @Test
    void shouldReplayUnderAnotherTimeoutButNotUnderOtherCatalogers() throws Exception {
        LayerCache cache = new LayerCache(tmp.resolve("cache"), 100_000_000);
        Path image = new ImageBuilder().layer(BASE, "base").dockerArchive(tmp.resolve("a.tar"));
        scan(image, cache);

        Run longer = scan(image, cache, ScanLimits.defaults().withTimeout(Duration.ofHours(2)), null);
        assertThat(replayed(longer)).hasSize(1);

        List<String> progress = new ArrayList<>();
        try (Artifact artifact =
                new ImageSources(ScanLimits.defaults(), ImageSources.Platform.parse("linux/amd64")).open(image)) {
            Inventory fewer = new InventoryScanner(ScanLimits.defaults(), progress::add, cache)
                    .scan(artifact, Catalogers.forKind(ArtifactKind.IMAGE).subList(0, 1));
            assertThat(fewer).isNotNull();
        }
        assertThat(progress).noneMatch(p -> p.contains("from the layer cache"));
    }

    @Test
    void shouldReplayCachedLayersWithTheSameResultAndReadOnlyNewOnes() throws Exception {
        LayerCache cache = new LayerCache(tmp.resolve("cache"), 100_000_000);
        Path first = new ImageBuilder()
                .layer(BASE, "base")
                .layer(app("left-pad", "1.3.0"), "app 1")
                .dockerArchive(tmp.resolve("a.tar"));
        Path second = new ImageBuilder()
                .layer(BASE, "base")
                .layer(app("right-pad", "1.0.1"), "app 2")
                .dockerArchive(tmp.resolve("b.tar"));

        Run cold = scan(first, cache);
        Run warm = scan(first, cache);
        Run sharedBase = scan(second, cache);

        assertThat(Scans.coordinates(warm.inventory()))
                .isEqualTo(Scans.coordinates(cold.inventory()))
                .containsExactly("left-pad@1.3.0");
        assertThat(warm.inventory().packages()).isEqualTo(cold.inventory().packages());
        assertThat(warm.inventory().os()).isEqualTo(cold.inventory().os());
        assertThat(cold.progress()).noneMatch(p -> p.contains("from the layer cache"));
        assertThat(warm.progress())
                .filteredOn(p -> p.contains("from the layer cache"))
                .hasSize(2);
        assertThat(sharedBase.progress())
                .filteredOn(p -> p.contains("from the layer cache"))
                .containsExactly("layer 1 from the layer cache");
        assertThat(Scans.coordinates(sharedBase.inventory())).containsExactly("right-pad@1.0.1");
        assertThat(sharedBase.inventory().packages().get(0).locations().get(0).path())
                .as("paths through links in the replayed base resolve as before")
                .isEqualTo("usr/lib/node_modules/right-pad/package.json");
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
            return list.filter(p -> p.toString().endsWith(LayerCache.SUFFIX)).toList();
        }
    }
}
