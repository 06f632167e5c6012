package dev.palisade.report;

import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import dev.palisade.source.ArtifactDescription;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.spdx.core.InvalidSPDXAnalysisException;
import org.spdx.jacksonstore.MultiFormatStore;
import org.spdx.library.LicenseInfoFactory;
import org.spdx.library.ModelCopyManager;
import org.spdx.library.SpdxModelFactory;
import org.spdx.library.model.v2.ExternalRef;
import org.spdx.library.model.v2.SpdxCreatorInformation;
import org.spdx.library.model.v2.SpdxDocument;
import org.spdx.library.model.v2.SpdxModelFactoryCompatV2;
import org.spdx.library.model.v2.SpdxPackage;
import org.spdx.library.model.v2.enumerations.ChecksumAlgorithm;
import org.spdx.library.model.v2.enumerations.Purpose;
import org.spdx.library.model.v2.enumerations.ReferenceCategory;
import org.spdx.library.model.v2.enumerations.RelationshipType;
import org.spdx.library.model.v2.license.AnyLicenseInfo;
import org.spdx.library.model.v2.license.ExtractedLicenseInfo;
import org.spdx.library.model.v2.license.SpdxNoAssertionLicense;
import org.spdx.library.referencetype.ListedReferenceTypes;
import org.spdx.storage.simple.InMemSpdxStore;

/**
 * The inventory as an SPDX 2.3 JSON document, built and written with the SPDX Java library. The
 * document DESCRIBES one package for the artifact, which CONTAINS the operating system and every
 * package. Each package has its purl as a PACKAGE-MANAGER external reference, its SHA-1 where known,
 * and its declared licence: an SPDX expression when the metadata states a valid one, a
 * {@code LicenseRef-} with the declared text otherwise, NOASSERTION when nothing is stated. Element
 * ids and the namespace are derived from the content, so the same inventory gives the same document.
 */
public final class SpdxWriter implements ReportWriter {
    private static final DateTimeFormatter CREATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final String NAMESPACE = "https://palisade.dev/spdx/";

    private final LicenseExpressions licenses;

    public SpdxWriter(LicenseExpressions licenses) {
        this.licenses = licenses;
    }

    @Override
    public String format() {
        return "spdx-json";
    }

    @Override
    public void write(ScanReport report, OutputStream out) throws IOException {
        try {
            MultiFormatStore store = toStore(report);
            store.serialize(new NonClosing(out));
            out.write('\n');
            out.flush();
        } catch (InvalidSPDXAnalysisException e) {
            throw new IOException("cannot write the SPDX document: " + e.getMessage(), e);
        }
    }

    /** The document, in a store of its own. */
    SpdxDocument document(ScanReport report) throws InvalidSPDXAnalysisException {
        MultiFormatStore store = toStore(report);
        return new SpdxDocument(store, namespace(report), new ModelCopyManager(), false);
    }

    private MultiFormatStore toStore(ScanReport report) throws InvalidSPDXAnalysisException {
        SpdxModelFactory.init();
        Inventory inventory = report.inventory();
        MultiFormatStore store = new MultiFormatStore(new InMemSpdxStore(), MultiFormatStore.Format.JSON_PRETTY);
        ModelCopyManager copies = new ModelCopyManager();
        String uri = namespace(report);
        SpdxDocument doc = SpdxModelFactoryCompatV2.createSpdxDocumentV2(store, uri, copies);
        SpdxCreatorInformation creation = doc.createCreationInfo(
                List.of("Tool: palisade-" + report.toolVersion(), "Organization: Palisade"),
                CREATED.format(report.createdAt().truncatedTo(ChronoUnit.SECONDS)));
        creation.setLicenseListVersion(licenses.listVersion());
        if (!report.allProblems().isEmpty()) {
            // what could not be read, matched or checked: a consumer of the SBOM must be able to tell it is not whole
            StringBuilder notRead = new StringBuilder("Not read, matched or checked:");
            for (dev.palisade.source.Problem problem : report.allProblems()) {
                notRead.append('\n').append(problem.path()).append(": ").append(problem.reason());
            }
            creation.setComment(notRead.toString());
        }
        doc.setCreationInfo(creation);
        doc.setName(subjectName(inventory.artifact()));

        SpdxNoAssertionLicense noAssertion = new SpdxNoAssertionLicense(store, uri);
        SpdxPackage subject = doc.createPackage(
                        "SPDXRef-Artifact", subjectName(inventory.artifact()), noAssertion, "NOASSERTION", noAssertion)
                .setFilesAnalyzed(false)
                .setDownloadLocation("NOASSERTION")
                .setPrimaryPurpose(
                        switch (inventory.artifact().kind()) {
                            case IMAGE -> Purpose.CONTAINER;
                            // the operating system it holds is a package of its own
                            case ROOTFS -> Purpose.OTHER;
                            case DIRECTORY, FUNCTION, SBOM, CONFIG -> Purpose.APPLICATION;
                        })
                .build();
        inventory.artifact().imageMetadata().ifPresent(image -> setVersion(subject, image.imageId()));
        doc.getDocumentDescribes().add(subject);

        Map<String, ExtractedLicenseInfo> extracted = new LinkedHashMap<>();
        Map<String, AnyLicenseInfo> parsed = new HashMap<>();
        Optional<OsRelease> os = inventory.osRelease();
        if (os.isPresent()) {
            SpdxPackage osPackage = doc.createPackage(
                            "SPDXRef-OperatingSystem", os.get().id(), noAssertion, "NOASSERTION", noAssertion)
                    .setFilesAnalyzed(false)
                    .setDownloadLocation("NOASSERTION")
                    .setVersionInfo(os.get().versionId())
                    .setPrimaryPurpose(Purpose.OPERATING_SYSTEM)
                    .setSourceInfo("from " + os.get().location().path())
                    .build();
            subject.addRelationship(subject.createRelationship(osPackage, RelationshipType.CONTAINS, null));
        }
        for (Package p : inventory.packages()) {
            AnyLicenseInfo declared = declared(p, doc, store, uri, copies, extracted, parsed, noAssertion);
            SpdxPackage.SpdxPackageBuilder builder = doc.createPackage(
                            id(p), p.name(), noAssertion, "NOASSERTION", declared)
                    .setFilesAnalyzed(false)
                    .setDownloadLocation("NOASSERTION")
                    .setVersionInfo(p.version())
                    .setPrimaryPurpose(Purpose.LIBRARY)
                    .setSourceInfo(sourceInfo(p));
            if (!p.purl().isEmpty()) {
                ExternalRef purl = doc.createExternalRef(
                        ReferenceCategory.PACKAGE_MANAGER,
                        ListedReferenceTypes.getListedReferenceTypes().getListedReferenceTypeByName("purl"),
                        p.purl(),
                        null);
                builder.addExternalRef(purl);
            }
            String sha1 = p.metadata().get("sha1");
            if (sha1 != null && sha1.matches("[0-9a-f]{40}")) {
                builder.addChecksum(doc.createChecksum(ChecksumAlgorithm.SHA1, sha1));
            }
            SpdxPackage pkg = builder.build();
            subject.addRelationship(subject.createRelationship(pkg, RelationshipType.CONTAINS, null));
        }
        extracted.values().forEach(doc::addExtractedLicenseInfos);
        return store;
    }

    private AnyLicenseInfo declared(
            Package p,
            SpdxDocument doc,
            MultiFormatStore store,
            String uri,
            ModelCopyManager copies,
            Map<String, ExtractedLicenseInfo> extracted,
            Map<String, AnyLicenseInfo> parsed,
            AnyLicenseInfo noAssertion)
            throws InvalidSPDXAnalysisException {
        if (p.licenses().isEmpty()) {
            return noAssertion;
        }
        List<String> parts = new ArrayList<>();
        for (String declared : p.licenses()) {
            Optional<String> expression = licenses.expression(declared);
            if (expression.isPresent()) {
                parts.add(expression.get().contains(" ") ? "(" + expression.get() + ")" : expression.get());
            } else {
                String ref = licenseRef(declared);
                if (!extracted.containsKey(ref)) {
                    ExtractedLicenseInfo info = doc.createExtractedLicense(ref, declared);
                    info.setName(declared);
                    info.setComment("The licence as the package metadata names it; not an SPDX License List id.");
                    extracted.put(ref, info);
                }
                parts.add(ref);
            }
        }
        List<String> distinct = parts.stream().distinct().toList();
        String expression = String.join(" AND ", distinct);
        if (distinct.size() == 1 && expression.startsWith("(")) {
            expression = expression.substring(1, expression.length() - 1);
        }
        // one licence object per distinct expression: packages share it rather than each parse again
        AnyLicenseInfo known = parsed.get(expression);
        if (known == null) {
            known = LicenseInfoFactory.parseSPDXLicenseStringCompatV2(expression, store, uri, copies);
            parsed.put(expression, known);
        }
        return known;
    }

    /** A LicenseRef id for a licence name: readable where the name allows, unique through a hash. */
    static String licenseRef(String declared) {
        String readable = declared.replaceAll("[^A-Za-z0-9.]+", "-").replaceAll("^-+|-+$", "");
        if (readable.length() > 40) {
            readable = readable.substring(0, 40);
        }
        return "LicenseRef-" + (readable.isEmpty() ? "" : readable + "-")
                + sha256(declared).substring(0, 8);
    }

    private static void setVersion(SpdxPackage subject, String version) {
        try {
            subject.setVersionInfo(version);
        } catch (InvalidSPDXAnalysisException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sourceInfo(Package p) {
        StringBuilder info = new StringBuilder("found by ").append(p.foundBy());
        List<Location> locations = p.locations();
        for (int i = 0; i < locations.size(); i++) {
            info.append(i == 0 ? " in " : ", ").append(locations.get(i).path());
        }
        return info.toString();
    }

    /** A stable element id: the same package at the same place gets the same id in every scan. */
    static String id(Package p) {
        return "SPDXRef-Package-" + sha256(p.key()).substring(0, 16);
    }

    private static String subjectName(ArtifactDescription artifact) {
        return artifact.imageMetadata()
                .flatMap(i -> i.repoTags().stream().findFirst())
                .orElse(artifact.name());
    }

    /** Derived from what the document says, like the CycloneDX serial number. */
    static String namespace(ScanReport report) {
        Inventory inventory = report.inventory();
        StringBuilder identity = new StringBuilder(inventory
                .artifact()
                .imageMetadata()
                .map(i -> i.imageId())
                .orElse(fileName(inventory.artifact().name())));
        for (Package p : inventory.packages()) {
            identity.append('\n').append(p.key());
        }
        String name = fileName(subjectName(inventory.artifact())).replaceAll("[^A-Za-z0-9._-]+", "-");
        return NAMESPACE
                + (name.isEmpty() ? "" : name + "-")
                + UUID.nameUUIDFromBytes(identity.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String fileName(String name) {
        java.nio.file.Path file = java.nio.file.Paths.get(name).getFileName();
        return file == null ? "" : file.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The library closes the stream it writes to; the caller owns it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
