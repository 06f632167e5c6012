package dev.palisade.source.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Package;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.testing.ImageBuilder;
import dev.palisade.testing.Scans;
import dev.palisade.testing.TarBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageScanTest {
    static final String OS_RELEASE =
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n";

    static String status(String... packages) {
        StringBuilder s = new StringBuilder();
        for (String p : packages) {
            String[] nv = p.split("@");
            s.append("Package: ")
                    .append(nv[0])
                    .append("\nStatus: install ok installed\nArchitecture: amd64\nVersion: ")
                    .append(nv[1])
                    .append("\n\n");
        }
        return s.toString();
    }

    @TempDir
    Path tmp;

    @Nested
    class Merging {
        @Test
        void shouldHonourWhiteoutsAndOpaqueDirectories() throws Exception {
            byte[] base = new TarBuilder()
                    .file("usr/lib/os-release", OS_RELEASE)
                    .symlink("etc/os-release", "../usr/lib/os-release")
                    .file("var/lib/dpkg/status", status("bash@5.2.15-2"))
                    .file("opt/a/node_modules/left-pad/package.json", "{\"name\":\"left-pad\",\"version\":\"1.3.0\"}")
                    .file("srv/lib/old-1.0.jar", "not a zip")
                    .build();
            byte[] top = new TarBuilder()
                    .file("var/lib/dpkg/.wh.status", "")
                    .file("opt/a/.wh..wh..opq", "")
                    .file("opt/a/node_modules/right-pad/package.json", "{\"name\":\"right-pad\",\"version\":\"1.0.1\"}")
                    .build();
            Path image =
                    new ImageBuilder().layer(base, "base").layer(top, "cleanup").dockerArchive(tmp.resolve("i.tar"));

            Inventory inventory = Scans.image(image);

            assertThat(Scans.coordinates(inventory)).containsExactly("right-pad@1.0.1");
            assertThat(inventory.os()).isNotNull();
            assertThat(inventory.os().id()).isEqualTo("debian");
            assertThat(inventory.os().location().path()).isEqualTo("usr/lib/os-release");
        }

        @Test
        void shouldAttributeEachPackageToTheLayerThatIntroducedIt() throws Exception {
            byte[] first = new TarBuilder()
                    .file("var/lib/dpkg/status", status("bash@5.2.15-2"))
                    .build();
            byte[] second = new TarBuilder()
                    .file("var/lib/dpkg/status", status("bash@5.2.15-2", "curl@7.88.1-10"))
                    .build();
            Path image = new ImageBuilder()
                    .layer(first, "FROM debian")
                    .layer(second, "RUN apt-get install curl")
                    .dockerArchive(tmp.resolve("i.tar"));

            Inventory inventory = Scans.image(image);

            assertThat(inventory.packages()).extracting(Package::name).containsExactly("bash", "curl");
            assertThat(inventory.packages().get(0).locations().get(0).layerCreatedBy())
                    .isEqualTo("FROM debian");
            assertThat(inventory.packages().get(1).locations().get(0).layerCreatedBy())
                    .isEqualTo("RUN apt-get install curl");
            assertThat(inventory.packages().get(0).purl()).isEqualTo("pkg:deb/debian/bash@5.2.15-2?arch=amd64");
        }

        @Test
        void shouldKeepSymbolicLinksInsideTheRoot() throws Exception {
            byte[] first = new TarBuilder()
                    .symlink("app", "/../../../../tmp")
                    .symlink("etc/os-release", "../../../../etc/os-release")
                    .build();
            byte[] second = new TarBuilder()
                    .file("app/node_modules/x/package.json", "{\"name\":\"x\",\"version\":\"1.0.0\"}")
                    .build();
            Path image = new ImageBuilder()
                    .layer(first, "links")
                    .layer(second, "write through link")
                    .dockerArchive(tmp.resolve("i.tar"));

            Inventory inventory = Scans.image(image);

            assertThat(inventory.packages()).singleElement().satisfies(p -> assertThat(
                            p.locations().get(0).path())
                    .isEqualTo("tmp/node_modules/x/package.json"));
            assertThat(inventory.os()).as("a link loop resolves to nothing").isNull();
        }

        @Test
        void shouldReportEntriesThatEscapeTheRootAndIgnoreThem() throws Exception {
            byte[] layer = new TarBuilder()
                    .file("../../../etc/node_modules/evil/package.json", "{\"name\":\"evil\",\"version\":\"6.6.6\"}")
                    .file("/abs/node_modules/ok/package.json", "{\"name\":\"ok\",\"version\":\"1.0.0\"}")
                    .hardlink("escape", "../../etc/shadow")
                    .build();
            Path image = new ImageBuilder().layer(layer, "hostile").dockerArchive(tmp.resolve("i.tar"));

            Inventory inventory = Scans.image(image);

            assertThat(Scans.coordinates(inventory)).containsExactly("ok@1.0.0");
            assertThat(inventory.problems())
                    .extracting(p -> p.path() + ": " + p.reason())
                    .anySatisfy(r -> assertThat(r)
                            .contains("../../../etc/node_modules/evil/package.json")
                            .contains("escapes the artifact root"))
                    .anySatisfy(r -> assertThat(r).startsWith("escape: hard link target escapes"));
        }

        @Test
        void shouldReportHardLinksAsFurtherLocations() throws Exception {
            byte[] layer = new TarBuilder()
                    .file("a/node_modules/x/package.json", "{\"name\":\"x\",\"version\":\"2.0.0\"}")
                    .hardlink("b/node_modules/x/package.json", "a/node_modules/x/package.json")
                    .build();
            Path image = new ImageBuilder().layer(layer, "hard links").dockerArchive(tmp.resolve("i.tar"));

            Inventory inventory = Scans.image(image);

            assertThat(inventory.packages())
                    .extracting(p -> p.locations().get(0).path())
                    .containsExactly("a/node_modules/x/package.json", "b/node_modules/x/package.json");
        }
    }

    @Nested
    class Formats {
        private final byte[] layer = new TarBuilder()
                .file("etc/os-release", OS_RELEASE)
                .file("var/lib/dpkg/status", status("bash@5.2.15-2"))
                .build();

        @Test
        void shouldReadAnOciLayoutLikeTheDockerArchive() throws Exception {
            ImageBuilder builder = new ImageBuilder().layer(layer, "base");
            Inventory fromArchive = Scans.image(builder.dockerArchive(tmp.resolve("i.tar")));
            Inventory fromLayout = Scans.image(builder.ociLayout(Files.createDirectory(tmp.resolve("oci"))));

            assertThat(Scans.purls(fromLayout.packages()))
                    .isEqualTo(Scans.purls(fromArchive.packages()))
                    .containsExactly("pkg:deb/debian/bash@5.2.15-2?arch=amd64&distro=debian-12");
            assertThat(fromLayout.problems()).isEmpty();
        }

        @Test
        void shouldReadAnOciArchive() throws Exception {
            Path layout = new ImageBuilder().layer(layer, "base").ociLayout(Files.createDirectory(tmp.resolve("oci")));
            TarBuilder archive = new TarBuilder();
            try (var files = Files.walk(layout)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    archive.file(layout.relativize(f).toString(), Files.readAllBytes(f), 0644);
                }
            }
            Path tar = Files.write(tmp.resolve("oci.tar"), archive.build());

            assertThat(Scans.coordinates(Scans.image(tar))).containsExactly("bash@5.2.15-2");
        }

        @Test
        void shouldChooseThePlatformFromAMultiPlatformIndex() throws Exception {
            Path amd = new ImageBuilder().layer(layer, "amd64").ociLayout(Files.createDirectory(tmp.resolve("amd")));
            byte[] armLayer = new TarBuilder()
                    .file("etc/os-release", OS_RELEASE)
                    .file("var/lib/dpkg/status", status("bash@5.2.15-2", "arm-only@1.0"))
                    .build();
            Path arm = new ImageBuilder().layer(armLayer, "arm64").ociLayout(Files.createDirectory(tmp.resolve("arm")));
            Path multi = Files.createDirectories(tmp.resolve("multi/blobs/sha256"));
            StringBuilder manifests = new StringBuilder();
            for (Path single : List.of(amd, arm)) {
                try (var blobs = Files.list(single.resolve("blobs/sha256"))) {
                    for (Path blob : (Iterable<Path>) blobs::iterator) {
                        Files.copy(
                                blob,
                                multi.resolve(blob.getFileName()),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                String index = Files.readString(single.resolve("index.json"));
                String descriptor = index.substring(index.indexOf("{\"mediaType"), index.indexOf(",\"annotations"));
                String arch = single == amd ? "amd64" : "arm64";
                manifests
                        .append(manifests.length() == 0 ? "" : ",")
                        .append(descriptor)
                        .append(",\"platform\":{\"os\":\"linux\",\"architecture\":\"")
                        .append(arch)
                        .append("\"}}");
            }
            Files.writeString(
                    tmp.resolve("multi/index.json"), "{\"schemaVersion\":2,\"manifests\":[" + manifests + "]}");

            Inventory chosenArm;
            try (var artifact = new ImageSources(ScanLimits.defaults(), ImageSources.Platform.parse("linux/arm64"))
                    .open(tmp.resolve("multi"))) {
                chosenArm = new dev.palisade.scan.InventoryScanner(ScanLimits.defaults(), m -> {})
                        .scan(
                                artifact,
                                dev.palisade.catalog.Catalogers.forKind(dev.palisade.source.ArtifactKind.IMAGE));
            }

            assertThat(Scans.coordinates(Scans.image(tmp.resolve("multi")))).containsExactly("bash@5.2.15-2");
            assertThat(Scans.coordinates(chosenArm)).containsExactly("arm-only@1.0", "bash@5.2.15-2");
            assertThatThrownBy(() -> new ImageSources(ScanLimits.defaults(), ImageSources.Platform.parse("linux/s390x"))
                            .open(tmp.resolve("multi")))
                    .hasMessageContaining("none for platform linux/s390x");
        }

        @Test
        void shouldReadZstdAndUncompressedLayers() throws Exception {
            ByteArrayOutputStream zstd = new ByteArrayOutputStream();
            try (ZstdOutputStream out = new ZstdOutputStream(zstd)) {
                out.write(layer);
            }
            Path layout = new ImageBuilder().layer(layer, "base").ociLayout(Files.createDirectory(tmp.resolve("oci")));
            // swap the gzip blob for its zstd twin: the digest check must then fail, the content must still be read
            try (var blobs = Files.list(layout.resolve("blobs/sha256"))) {
                for (Path blob : (Iterable<Path>) blobs::iterator) {
                    byte[] content = Files.readAllBytes(blob);
                    if (content.length > 2 && (content[0] & 0xff) == 0x1f && (content[1] & 0xff) == 0x8b) {
                        Files.write(blob, zstd.toByteArray());
                    }
                }
            }
            Inventory inventory = Scans.image(layout);

            assertThat(Scans.coordinates(inventory)).containsExactly("bash@5.2.15-2");
            assertThat(inventory.problems()).singleElement().satisfies(p -> assertThat(p.reason())
                    .contains("does not match its blob digest"));
        }
    }

    @Nested
    class HostileImages {
        @Test
        void shouldReportALayerWhoseContentDoesNotMatchItsDiffId() throws Exception {
            byte[] layer = new TarBuilder()
                    .file("var/lib/dpkg/status", status("bash@5.2.15-2"))
                    .build();
            Path image = new ImageBuilder().layer(layer, "base").wrongDiffId().dockerArchive(tmp.resolve("i.tar"));

            Inventory inventory = Scans.image(image);

            assertThat(inventory.problems()).singleElement().satisfies(p -> assertThat(p.reason())
                    .contains("does not match its diff ID"));
        }

        @Test
        void shouldStopAtTheTotalSizeLimitAndKeepWhatWasFound() throws Exception {
            byte[] bomb = new TarBuilder()
                    .file("var/lib/dpkg/status", status("bash@5.2.15-2"))
                    .file("zeros", new byte[8 * 1024 * 1024], 0644)
                    .build();
            Path image = new ImageBuilder().layer(bomb, "bomb").dockerArchive(tmp.resolve("i.tar"));
            assertThat(Files.size(image)).isLessThan(100_000);

            Inventory inventory = Scans.image(image, ScanLimits.defaults().withMaxTotalBytes(1024 * 1024));

            assertThat(Scans.coordinates(inventory)).containsExactly("bash@5.2.15-2");
            assertThat(inventory.problems()).singleElement().satisfies(p -> assertThat(p.reason())
                    .startsWith("stopped reading the image")
                    .contains("maxTotalBytes"));
        }

        @Test
        void shouldKeepWhatATruncatedLayerHeldBeforeItsEnd() throws Exception {
            byte[] layer = new TarBuilder()
                    .file("var/lib/dpkg/status", status("bash@5.2.15-2"))
                    .file("big", new byte[200_000], 0644)
                    .build();
            byte[] truncated = Arrays.copyOf(layer, 100_000);
            Path image = new ImageBuilder().layer(truncated, "cut short").dockerArchive(tmp.resolve("i.tar"));

            Inventory inventory = Scans.image(image);

            assertThat(Scans.coordinates(inventory)).containsExactly("bash@5.2.15-2");
            assertThat(inventory.problems())
                    .anySatisfy(p -> assertThat(p.reason()).startsWith("layer unreadable"));
        }

        @Test
        void shouldRefuseWhatIsNotAnImage() throws Exception {
            Path garbage =
                    Files.write(tmp.resolve("garbage.tar"), "this is not a tar".getBytes(StandardCharsets.UTF_8));
            Path malformed = Files.write(
                    tmp.resolve("malformed.tar"),
                    new TarBuilder().file("manifest.json", "[{\"Config\": 12,").build());
            Path missingLayer = Files.write(
                    tmp.resolve("missing.tar"),
                    new TarBuilder()
                            .file("manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[\"nope.tar\"]}]")
                            .file("c.json", "{}")
                            .build());

            assertThatThrownBy(() -> Scans.image(tmp.resolve("absent.tar")))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("no such file");
            assertThatThrownBy(() -> Scans.image(garbage)).isInstanceOf(SourceException.class);
            assertThatThrownBy(() -> Scans.image(malformed))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("manifest.json is not valid JSON");
            assertThatThrownBy(() -> Scans.image(missingLayer))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("nope.tar");
        }
    }
}
