package dev.palisade.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.spdx.library.model.v2.SpdxDocument;

class SpdxWriterTest {
    private static final LicenseExpressions LICENSES = new LicenseExpressions();

    static ScanReport report() {
        Package jar = new Package(
                        Ecosystem.MAVEN,
                        "org.apache.logging.log4j:log4j-core",
                        "2.14.1",
                        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                        List.of(Location.of("app/lib/log4j-core-2.14.1.jar")),
                        null,
                        null,
                        "java-archive",
                        Map.of("sha1", "9141212b8507ab50a45525b545b39d224614528b"))
                .withLicenses(List.of("Apache License, Version 2.0"));
        Package deb = new Package(
                        Ecosystem.DEBIAN,
                        "libc6",
                        "2.36-9+deb12u4",
                        "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?distro=debian-12",
                        List.of(Location.of("var/lib/dpkg/status")),
                        "glibc",
                        "2.36-9+deb12u4",
                        "dpkg-status",
                        Map.of())
                .withLicenses(List.of("LGPL-2.1+", "GPL-2+ or Artistic"));
        Package npm = new Package(
                        Ecosystem.NPM,
                        "left-pad",
                        "1.3.0",
                        "pkg:npm/left-pad@1.3.0",
                        List.of(Location.of("app/node_modules/left-pad/package.json")),
                        null,
                        null,
                        "npm-installed",
                        Map.of())
                .withLicenses(List.of("WTFPL"));
        Package none = new Package(
                Ecosystem.PYPI,
                "requests",
                "2.31.0",
                "pkg:pypi/requests@2.31.0",
                List.of(Location.of("usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA")),
                null,
                null,
                "python-installed",
                Map.of());
        OsRelease os = new OsRelease(
                "debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)", null, Location.of("etc/os-release"));
        Inventory inventory = new Inventory(
                new ArtifactDescription("scans/app.tar", ArtifactKind.ROOTFS, DeploymentModel.VM, List.of(), null),
                os,
                List.of(deb, jar, npm, none),
                List.of());
        return ScanReport.inventoryOnly(inventory, Instant.parse("2026-11-30T05:00:00.123Z"), "1.2.3");
    }

    static String write(ScanReport report) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SpdxWriter(LICENSES).write(report, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesADocumentValidAgainstTheSpdx23JsonSchema() throws Exception {
        JsonSchema schema;
        try (InputStream in = Objects.requireNonNull(
                SpdxWriter.class.getResourceAsStream("/resources/spdx-schema-v2.3.json"),
                "the SPDX 2.3 schema from org.spdx:tools-java (a test dependency)")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
        JsonNode document = new ObjectMapper().readTree(write(report()));

        Set<ValidationMessage> errors = schema.validate(document);

        assertThat(errors).isEmpty();
        assertThat(document.get("spdxVersion").asText()).isEqualTo("SPDX-2.3");
    }

    /** What could not be read goes into the creator comment, and the document stays valid. */
    @Test
    void saysWhatCouldNotBeReadInTheCreatorComment() throws Exception {
        ScanReport whole = report();
        Inventory partial = new Inventory(
                whole.inventory().artifact(),
                whole.inventory().os(),
                whole.inventory().packages(),
                List.of(new dev.palisade.source.Problem("lib/app.jar", null, "not a valid zip")));
        JsonNode document = new ObjectMapper()
                .readTree(write(ScanReport.inventoryOnly(partial, Instant.parse("2026-11-30T05:00:00.123Z"), "1.2.3")));

        assertThat(document.at("/creationInfo/comment").asText())
                .isEqualTo("Not read, matched or checked:\nlib/app.jar: not a valid zip");
        JsonSchema schema;
        try (InputStream in = Objects.requireNonNull(
                SpdxWriter.class.getResourceAsStream("/resources/spdx-schema-v2.3.json"), "the SPDX 2.3 schema")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
        assertThat(schema.validate(document)).isEmpty();
        assertThat(document.at("/creationInfo/comment").isMissingNode()).isFalse();
        assertThat(new ObjectMapper()
                        .readTree(write(whole))
                        .at("/creationInfo/comment")
                        .isMissingNode())
                .as("nothing said when everything was read")
                .isTrue();
    }

    @Test
    void passesTheLibrarysOwnVerification() throws Exception {
        SpdxDocument document = new SpdxWriter(LICENSES).document(report());

        assertThat(document.verify()).isEmpty();
    }

    @Test
    void describesTheArtifactWhichContainsEveryPackageWithItsPurlChecksumAndLicence() throws Exception {
        JsonNode document = new ObjectMapper().readTree(write(report()));

        assertThat(document.at("/creationInfo/creators").toString()).contains("Tool: palisade-1.2.3");
        assertThat(document.at("/creationInfo/created").asText()).isEqualTo("2026-11-30T05:00:00Z");
        List<String> contained = new ArrayList<>();
        List<String> described = new ArrayList<>();
        for (JsonNode r : document.get("relationships")) {
            if (r.get("relationshipType").asText().equals("DESCRIBES")) {
                assertThat(r.get("spdxElementId").asText()).isEqualTo("SPDXRef-DOCUMENT");
                described.add(r.get("relatedSpdxElement").asText());
            }
            if (r.get("relationshipType").asText().equals("CONTAINS")) {
                assertThat(r.get("spdxElementId").asText()).isEqualTo("SPDXRef-Artifact");
                contained.add(r.get("relatedSpdxElement").asText());
            }
        }
        assertThat(described).containsExactly("SPDXRef-Artifact");
        assertThat(contained).hasSize(5).contains("SPDXRef-OperatingSystem");
        JsonNode log4j = pkg(document, "org.apache.logging.log4j:log4j-core");
        assertThat(contained).contains(log4j.get("SPDXID").asText());
        assertThat(log4j.at("/externalRefs/0/referenceType").asText()).isEqualTo("purl");
        assertThat(log4j.at("/externalRefs/0/referenceCategory").asText()).isEqualTo("PACKAGE-MANAGER");
        assertThat(log4j.at("/externalRefs/0/referenceLocator").asText())
                .isEqualTo("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
        assertThat(log4j.at("/checksums/0/algorithm").asText()).isEqualTo("SHA1");
        assertThat(log4j.at("/checksums/0/checksumValue").asText())
                .isEqualTo("9141212b8507ab50a45525b545b39d224614528b");
        // a licence name that is no SPDX id: a LicenseRef carrying the declared text
        String ref = log4j.get("licenseDeclared").asText();
        assertThat(ref).startsWith("LicenseRef-Apache-License-Version-2.0-");
        JsonNode extracted = null;
        for (JsonNode e : document.get("hasExtractedLicensingInfos")) {
            if (e.get("licenseId").asText().equals(ref)) {
                extracted = e;
            }
        }
        assertThat(extracted).isNotNull();
        assertThat(extracted.get("extractedText").asText()).isEqualTo("Apache License, Version 2.0");
        // Debian's DEP-5 names translated into an SPDX expression
        assertThat(pkg(document, "libc6").get("licenseDeclared").asText())
                .isEqualTo("((Artistic-1.0-Perl OR GPL-2.0-or-later) AND LGPL-2.1-or-later)");
        assertThat(pkg(document, "left-pad").get("licenseDeclared").asText()).isEqualTo("WTFPL");
        assertThat(pkg(document, "requests").get("licenseDeclared").asText()).isEqualTo("NOASSERTION");
    }

    @Test
    void writesTheSameDocumentForTheSameInventory() throws Exception {
        assertThat(write(report())).isEqualTo(write(report()));
    }

    private static JsonNode pkg(JsonNode document, String name) {
        for (JsonNode p : document.get("packages")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no package " + name);
    }
}
