package dev.palisade.source.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.catalog.Catalogers;
import dev.palisade.inventory.Inventory;
import dev.palisade.registry.RegistryBlobReader;
import dev.palisade.registry.RegistryClient;
import dev.palisade.scan.InventoryScanner;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.Problem;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.testing.FakeRegistry;
import dev.palisade.testing.Scans;
import dev.palisade.testing.TarBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCI allows sha512 as well as sha256: content named by a sha512 digest is verified like any other. */
class Sha512DigestTest {
    @TempDir
    Path tmp;

    static final byte[] LAYER = new TarBuilder()
            .file("usr/lib/node_modules/left-pad/package.json", "{\"name\":\"left-pad\",\"version\":\"1.3.0\"}")
            .build();

    static String sha512(byte[] data) throws Exception {
        return "sha512:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(data));
    }

    /** An OCI layout whose manifest, config, layer and diff ID are all named by sha512 digests. */
    Path layout(byte[] layerBlob, byte[] servedConfig, String diffId) throws Exception {
        Path blobs = Files.createDirectories(tmp.resolve("oci/blobs/sha512"));
        byte[] realBlob = TarBuilder.gzip(LAYER);
        Files.write(blobs.resolve(sha512(realBlob).substring(7)), layerBlob);
        byte[] config =
                ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                                + diffId + "\"]}}")
                        .getBytes(StandardCharsets.UTF_8);
        Files.write(blobs.resolve(sha512(config).substring(7)), servedConfig == null ? config : servedConfig);
        byte[] manifest =
                ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha512(config)
                                + "\",\"size\":" + config.length
                                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                                + sha512(realBlob)
                                + "\",\"size\":" + realBlob.length + "}]}")
                        .getBytes(StandardCharsets.UTF_8);
        Files.write(blobs.resolve(sha512(manifest).substring(7)), manifest);
        Files.writeString(
                tmp.resolve("oci/index.json"),
                "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + sha512(manifest)
                        + "\",\"size\":" + manifest.length + "}]}");
        return tmp.resolve("oci");
    }

    @Test
    void shouldReadAnImageNamedBySha512Digests() throws Exception {
        Inventory inventory = Scans.image(layout(TarBuilder.gzip(LAYER), null, sha512(LAYER)));

        assertThat(Scans.coordinates(inventory)).containsExactly("left-pad@1.3.0");
        assertThat(inventory.problems()).isEmpty();
    }

    @Test
    void shouldReportALayerThatDoesNotMatchItsSha512Digests() throws Exception {
        byte[] other = new TarBuilder().file("planted", "x").build();

        Inventory inventory = Scans.image(layout(TarBuilder.gzip(other), null, sha512(LAYER)));

        assertThat(inventory.problems())
                .extracting(Problem::reason)
                .anySatisfy(r -> assertThat(r).startsWith("layer content does not match its diff ID (expected sha512:"))
                .anySatisfy(r ->
                        assertThat(r).startsWith("layer content does not match its blob digest (expected sha512:"));
    }

    @Test
    void shouldReportAWrongSha512DiffIdEvenWhenTheBlobMatches() throws Exception {
        Inventory inventory = Scans.image(layout(TarBuilder.gzip(LAYER), null, "sha512:" + "0".repeat(128)));

        assertThat(inventory.problems())
                .singleElement()
                .extracting(Problem::reason)
                .asString()
                .startsWith("layer content does not match its diff ID (expected sha512:");
    }

    @Test
    void shouldRefuseAConfigThatDoesNotMatchItsSha512Digest() throws Exception {
        byte[] forged = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Scans.image(layout(TarBuilder.gzip(LAYER), forged, sha512(LAYER))))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("does not match its digest sha512:");
    }

    @Test
    void shouldRefuseAManifestThatDoesNotMatchItsSha512Digest() throws Exception {
        Path layout = layout(TarBuilder.gzip(LAYER), null, sha512(LAYER));
        String index = Files.readString(layout.resolve("index.json"));
        String digest = index.replaceAll("(?s).*\"digest\":\"sha512:([0-9a-f]{128})\".*", "$1");
        Path manifest = layout.resolve("blobs/sha512/" + digest);
        Files.writeString(manifest, Files.readString(manifest).replace("\"schemaVersion\":2", "\"schemaVersion\": 2"));

        assertThatThrownBy(() -> Scans.image(layout))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("does not match its digest sha512:" + digest);
    }

    /** A manifest named by a digest Palisade cannot verify is refused, never read unverified. */
    @Test
    void shouldRefuseAManifestNamedByAnAlgorithmPalisadeDoesNotVerify() throws Exception {
        Path layout = layout(TarBuilder.gzip(LAYER), null, sha512(LAYER));
        String index = Files.readString(layout.resolve("index.json"));
        String digest = index.replaceAll("(?s).*\"digest\":\"sha512:([0-9a-f]{128})\".*", "$1");
        byte[] manifest = Files.readAllBytes(layout.resolve("blobs/sha512/" + digest));
        String sha384 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-384").digest(manifest));
        Files.write(Files.createDirectories(layout.resolve("blobs/sha384")).resolve(sha384), manifest);
        Files.writeString(layout.resolve("index.json"), index.replace("sha512:" + digest, "sha384:" + sha384));

        assertThatThrownBy(() -> Scans.image(layout))
                .isInstanceOf(SourceException.class)
                .hasMessageEndingWith("descriptor with an invalid digest: sha384:" + sha384);
    }

    @Test
    void shouldReportADiffIdOfAnAlgorithmPalisadeDoesNotVerify() throws Exception {
        Inventory inventory = Scans.image(layout(TarBuilder.gzip(LAYER), null, "md5:" + "0".repeat(32)));

        assertThat(inventory.problems())
                .singleElement()
                .extracting(Problem::reason)
                .asString()
                .contains("is not a sha256 or sha512 digest");
    }

    static Inventory fromRegistry(FakeRegistry registry) throws Exception {
        ScanLimits limits = ScanLimits.defaults();
        RegistryClient client = new RegistryClient(
                ImageReference.parse(registry.host() + "/team/app:1.0").orElseThrow(),
                null,
                RegistryClient.Settings.defaults(true));
        try (Artifact artifact = new ImageSources(limits, ImageSources.Platform.parse("linux/amd64"))
                .openLayout(client.reference().toString(), new RegistryBlobReader(client, limits.maxMetadataBytes()))) {
            return new InventoryScanner(limits, m -> {}).scan(artifact, Catalogers.forKind(ArtifactKind.IMAGE));
        }
    }

    @Test
    void shouldPullAndVerifyASha512ImageFromARegistry() throws Exception {
        Path layout = layout(TarBuilder.gzip(LAYER), null, sha512(LAYER));
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", FakeRegistry.Behaviour.NORMAL)) {
            assertThat(Scans.coordinates(fromRegistry(registry))).containsExactly("left-pad@1.3.0");
        }
        try (FakeRegistry tampered = new FakeRegistry(layout, "team/app", FakeRegistry.Behaviour.TAMPERED_BLOB)) {
            assertThatThrownBy(() -> fromRegistry(tampered))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("does not match its digest")
                    .hasMessageContaining("sha512:");
        }
    }
}
