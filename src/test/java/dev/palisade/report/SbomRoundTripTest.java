package dev.palisade.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.sbom.SbomReader;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What Palisade writes as an SBOM it reads back: the packages, their licences and the operating system. */
class SbomRoundTripTest {

    private static Map<String, List<String>> licensesByName(List<Package> packages) {
        return packages.stream().collect(Collectors.toMap(Package::name, Package::licenses));
    }

    @Test
    void readsBackTheSpdxDocument() throws Exception {
        SbomReader.Contents read = SbomReader.read(
                "sbom.spdx.json",
                SpdxWriterTest.write(SpdxWriterTest.report()).getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(read.os()).extracting(OsRelease::id, OsRelease::versionId).containsExactly("debian", "12");
        Map<String, List<String>> licenses = licensesByName(read.packages());
        assertThat(licenses.get("left-pad")).containsExactly("WTFPL");
        assertThat(licenses.get("requests")).isEmpty();
        assertThat(licenses.get("libc6"))
                .containsExactly("((Artistic-1.0-Perl OR GPL-2.0-or-later) AND LGPL-2.1-or-later)");
    }

    @Test
    void readsBackTheCycloneDxDocument() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CycloneDxWriter().write(SpdxWriterTest.report(), out);

        SbomReader.Contents read = SbomReader.read("sbom.cdx.json", out.toByteArray());

        Map<String, List<String>> licenses = licensesByName(read.packages());
        assertThat(licenses.get("org.apache.logging.log4j:log4j-core")).containsExactly("Apache License, Version 2.0");
        assertThat(licenses.get("left-pad")).containsExactly("WTFPL");
        assertThat(licenses.get("libc6"))
                .containsExactly("LGPL-2.1-or-later AND (GPL-2.0-or-later OR Artistic-1.0-Perl)");
        assertThat(licenses.get("requests")).isEmpty();
    }

    /**
     * Found by a red-team pass on the server: a version with a control character or a non-ASCII letter was stored as
     * a purl that read back as nothing (the package lost, its findings marked resolved) or as another version.
     */
    @Test
    void readsBackPurlsWithEscapedBytesUnchanged() throws Exception {
        byte[] uploaded = ("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
                        + "{\"type\":\"library\",\"purl\":\"pkg:npm/lodash@4.17.15%0A\"},"
                        + "{\"type\":\"library\",\"purl\":\"pkg:pypi/django@1.11%C4%B0\"}]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        List<Package> first = SbomReader.read("upload.cdx.json", uploaded).packages();
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        new CycloneDxWriter()
                .write(
                        ScanReport.inventoryOnly(
                                new dev.palisade.inventory.Inventory(
                                        new dev.palisade.source.ArtifactDescription(
                                                "upload",
                                                dev.palisade.source.ArtifactKind.SBOM,
                                                dev.palisade.source.DeploymentModel.UNSPECIFIED,
                                                List.of(),
                                                null),
                                        null,
                                        first,
                                        List.of()),
                                java.time.Instant.parse("2026-11-30T05:00:00Z"),
                                "1.2.3"),
                        stored);
        List<Package> again =
                SbomReader.read("stored.cdx.json", stored.toByteArray()).packages();

        assertThat(first)
                .extracting(Package::purl)
                .containsExactlyInAnyOrder("pkg:npm/lodash@4.17.15%0A", "pkg:pypi/django@1.11%C4%B0");
        assertThat(again)
                .extracting(Package::purl)
                .containsExactlyInAnyOrderElementsOf(
                        first.stream().map(Package::purl).toList());
        assertThat(again).extracting(Package::version).contains("4.17.15\n", "1.11\u0130");
    }
}
