package dev.palisade.report;

import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import dev.palisade.match.Finding;
import dev.palisade.source.ArtifactDescription;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.license.Expression;
import org.cyclonedx.model.metadata.ToolInformation;
import org.cyclonedx.model.vulnerability.Vulnerability;

/**
 * The inventory as a CycloneDX 1.6 JSON SBOM, written with cyclonedx-core-java. Where a package was
 * found (path, layer) and how is kept in {@code palisade:*} properties. The serial number is derived
 * from the content, so the same inventory gives the same document.
 */
public final class CycloneDxWriter implements ReportWriter {
    public static final Version SPEC = Version.VERSION_16;

    private final LicenseExpressions licenseExpressions;

    public CycloneDxWriter() {
        this(new LicenseExpressions());
    }

    public CycloneDxWriter(LicenseExpressions licenseExpressions) {
        this.licenseExpressions = licenseExpressions;
    }

    @Override
    public String format() {
        return "cyclonedx";
    }

    @Override
    public void write(ScanReport report, OutputStream out) throws IOException {
        Bom bom = toBom(report);
        try {
            out.write(BomGeneratorFactory.createJson(SPEC, bom).toJsonString().getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            out.flush();
        } catch (GeneratorException e) {
            throw new IOException("cannot write the CycloneDX document: " + e.getMessage(), e);
        }
    }

    Bom toBom(ScanReport report) {
        Inventory inventory = report.inventory();
        Bom bom = new Bom();
        Metadata metadata = new Metadata();
        metadata.setTimestamp(Date.from(report.createdAt()));
        Component tool = new Component();
        tool.setType(Component.Type.APPLICATION);
        tool.setName("palisade");
        tool.setVersion(report.toolVersion());
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(tool));
        metadata.setToolChoice(tools);
        metadata.setComponent(subject(inventory.artifact()));
        // what could not be read, matched or checked: a consumer of the SBOM must be able to tell it is not whole
        List<Property> problems = new ArrayList<>();
        for (dev.palisade.source.Problem problem : report.allProblems()) {
            problems.add(new Property("palisade:problem", problem.path() + ": " + problem.reason()));
        }
        if (!problems.isEmpty()) {
            metadata.setProperties(problems);
        }
        bom.setMetadata(metadata);

        List<Component> components = new ArrayList<>();
        // the serial number is derived from what the document says, not from where the artifact was read
        StringBuilder identity = new StringBuilder(inventory
                .artifact()
                .imageMetadata()
                .map(i -> i.imageId())
                .orElse(
                        java.nio.file.Paths.get(inventory.artifact().name()).getFileName() == null
                                ? ""
                                : java.nio.file.Paths.get(inventory.artifact().name())
                                        .getFileName()
                                        .toString()));
        inventory.osRelease().ifPresent(os -> components.add(os(os)));
        for (Package p : inventory.packages()) {
            components.add(component(p));
            identity.append('\n').append(p.key());
        }
        bom.setComponents(components);
        List<Dependency> graph = dependencyGraph(inventory.packages());
        if (!graph.isEmpty()) {
            bom.setDependencies(graph);
        }
        report.findings().ifPresent(findings -> bom.setVulnerabilities(vulnerabilities(findings)));
        bom.setSerialNumber(
                "urn:uuid:" + UUID.nameUUIDFromBytes(identity.toString().getBytes(StandardCharsets.UTF_8)));
        return bom;
    }

    /**
     * The dependency graph of the packages a resolved tree gave (a Maven project, a Gradle dependency report):
     * the scanned artifact depends on the direct ones, each package on the packages its {@code dependsOn}
     * names at the same location. Empty when no package came from a tree.
     */
    static List<Dependency> dependencyGraph(List<Package> packages) {
        Map<String, String> refs = new LinkedHashMap<>();
        for (Package p : packages) {
            if (p.metadata().containsKey("dependencyPath")) {
                refs.putIfAbsent(place(p) + "|" + p.purl(), p.key());
            }
        }
        if (refs.isEmpty()) {
            return List.of();
        }
        Dependency root = new Dependency("artifact");
        List<Dependency> graph = new ArrayList<>();
        graph.add(root);
        for (Package p : packages) {
            if (!p.metadata().containsKey("dependencyPath")) {
                continue;
            }
            if ("true".equals(p.metadata().get("direct"))) {
                root.addDependency(new Dependency(p.key()));
            }
            Dependency node = new Dependency(p.key());
            for (String purl : p.metadata().getOrDefault("dependsOn", "").split(" ")) {
                String ref = refs.get(place(p) + "|" + purl);
                if (ref != null) {
                    node.addDependency(new Dependency(ref));
                }
            }
            graph.add(node);
        }
        return graph;
    }

    private static String place(Package p) {
        return p.locations().isEmpty() ? "" : p.locations().get(0).path();
    }

    /** One entry per vulnerability id, affecting every component it was found in. */
    private static List<Vulnerability> vulnerabilities(List<Finding> findings) {
        Map<String, List<Finding>> byId = new LinkedHashMap<>();
        findings.forEach(
                f -> byId.computeIfAbsent(f.id(), k -> new ArrayList<>()).add(f));
        List<Vulnerability> out = new ArrayList<>();
        for (Map.Entry<String, List<Finding>> e : byId.entrySet()) {
            Finding first = e.getValue().get(0);
            Vulnerability v = new Vulnerability();
            v.setBomRef("vuln:" + e.getKey());
            v.setId(e.getKey());
            v.setSource(source(e.getKey()));
            List<Vulnerability.Reference> aliases = new ArrayList<>();
            for (String id : first.ids()) {
                if (!id.equals(e.getKey())) {
                    Vulnerability.Reference reference = new Vulnerability.Reference();
                    reference.setId(id);
                    reference.setSource(source(id));
                    aliases.add(reference);
                }
            }
            if (!aliases.isEmpty()) {
                v.setReferences(aliases);
            }
            Vulnerability.Rating rating = new Vulnerability.Rating();
            rating.setSeverity(Vulnerability.Rating.Severity.fromString(
                    first.severity().name().toLowerCase(Locale.ROOT)));
            if (first.cvss() != null) {
                rating.setScore(first.cvss().baseScore());
                rating.setVector(first.cvss().vector());
                rating.setMethod(
                        switch (first.cvss().version()) {
                            case "4.0" -> Vulnerability.Rating.Method.CVSSV4;
                            case "3.1" -> Vulnerability.Rating.Method.CVSSV31;
                            case "3.0" -> Vulnerability.Rating.Method.CVSSV3;
                            default -> Vulnerability.Rating.Method.CVSSV2;
                        });
            } else {
                rating.setMethod(Vulnerability.Rating.Method.OTHER);
            }
            rating.setJustification(first.severitySource());
            v.setRatings(List.of(rating));
            v.setDescription(first.title());
            if (first.nearestFix() != null) {
                v.setRecommendation("Upgrade to " + first.nearestFix() + " or later");
            }
            List<Vulnerability.Advisory> advisories = new ArrayList<>();
            for (String url : first.references()) {
                Vulnerability.Advisory advisory = new Vulnerability.Advisory();
                advisory.setUrl(url);
                advisories.add(advisory);
            }
            if (!advisories.isEmpty()) {
                v.setAdvisories(advisories);
            }
            if (first.published() != null) {
                try {
                    v.setPublished(Date.from(java.time.Instant.parse(first.published())));
                } catch (java.time.format.DateTimeParseException ignored) {
                    // a published date OSV did not write as RFC 3339 is left out
                }
            }
            List<Vulnerability.Affect> affects = new ArrayList<>();
            for (Finding f : e.getValue()) {
                Vulnerability.Affect affect = new Vulnerability.Affect();
                affect.setRef(f.pkg().key());
                affects.add(affect);
            }
            v.setAffects(affects);
            List<Property> properties = new ArrayList<>();
            first.kevEntry().ifPresent(kev -> {
                properties.add(new Property("palisade:kev", "true"));
                properties.add(new Property("palisade:kev:dateAdded", kev.dateAdded()));
            });
            properties.add(new Property("palisade:status", first.status().name().toLowerCase(Locale.ROOT)));
            v.setProperties(properties);
            out.add(v);
        }
        return out;
    }

    private static Vulnerability.Source source(String id) {
        Vulnerability.Source source = new Vulnerability.Source();
        if (id.startsWith("CVE-")) {
            source.setName("NVD");
            source.setUrl("https://nvd.nist.gov/vuln/detail/" + id);
        } else if (id.startsWith("GHSA-")) {
            source.setName("GitHub Advisory Database");
            source.setUrl("https://github.com/advisories/" + id);
        } else {
            source.setName("OSV");
            source.setUrl("https://osv.dev/vulnerability/" + id);
        }
        return source;
    }

    private static Component subject(ArtifactDescription artifact) {
        Component subject = new Component();
        subject.setType(
                switch (artifact.kind()) {
                    case IMAGE -> Component.Type.CONTAINER;
                    case ROOTFS -> Component.Type.OPERATING_SYSTEM;
                    case DIRECTORY, FUNCTION, SBOM, CONFIG -> Component.Type.APPLICATION;
                });
        subject.setBomRef("artifact");
        subject.setName(artifact.imageMetadata()
                .flatMap(i -> i.repoTags().stream().findFirst())
                .orElse(artifact.name()));
        artifact.imageMetadata().ifPresent(image -> subject.setVersion(image.imageId()));
        List<Property> properties = new ArrayList<>();
        properties.add(
                new Property("palisade:artifact:kind", artifact.kind().name().toLowerCase(Locale.ROOT)));
        properties.add(new Property(
                "palisade:artifact:deploymentModel", artifact.model().name().toLowerCase(Locale.ROOT)));
        properties.add(new Property("palisade:artifact:path", artifact.name()));
        subject.setProperties(properties);
        return subject;
    }

    /**
     * One SPDX expression when every declared licence is valid SPDX (an id alone as a licence id);
     * otherwise each licence as an id when it is one, else by its declared name.
     */
    private LicenseChoice licenses(List<String> declared) {
        LicenseChoice choice = new LicenseChoice();
        Optional<String> combined = licenseExpressions.combined(declared);
        // an id must be one of the list's ids: "Apache-2.0+" and LicenseRef-s are expressions
        if (combined.isPresent()
                && combined.get().matches("[A-Za-z0-9.\\-]+")
                && !combined.get().startsWith("LicenseRef-")) {
            License license = new License();
            license.setId(combined.get());
            choice.addLicense(license);
        } else if (combined.isPresent()) {
            choice.setExpression(new Expression(combined.get()));
        } else {
            for (String d : declared) {
                License license = new License();
                Optional<String> id = licenseExpressions.license(d.strip());
                if (id.isPresent() && !id.get().endsWith("+") && !id.get().startsWith("LicenseRef-")) {
                    license.setId(id.get());
                } else {
                    license.setName(d);
                }
                choice.addLicense(license);
            }
        }
        return choice;
    }

    private static Component os(OsRelease os) {
        Component component = new Component();
        component.setType(Component.Type.OPERATING_SYSTEM);
        component.setBomRef("os:" + os.distroQualifier());
        component.setName(os.id());
        component.setVersion(os.versionId());
        if (os.prettyName() != null) {
            component.setDescription(os.prettyName());
        }
        List<Property> properties = new ArrayList<>();
        if (os.codename() != null) {
            properties.add(new Property("palisade:os:codename", os.codename()));
        }
        properties.add(new Property("palisade:location:0:path", os.location().path()));
        component.setProperties(properties);
        return component;
    }

    private Component component(Package p) {
        Component component = new Component();
        component.setType(Component.Type.LIBRARY);
        component.setBomRef(p.key());
        String group = p.metadata().get("groupId");
        String artifactId = p.metadata().get("artifactId");
        if (group != null && artifactId != null) {
            component.setGroup(group);
            component.setName(artifactId);
        } else {
            component.setName(p.name());
        }
        component.setVersion(p.version());
        component.setPurl(p.purl());
        String sha1 = p.metadata().get("sha1");
        if (sha1 != null) {
            component.setHashes(List.of(new Hash(Hash.Algorithm.SHA1, sha1)));
        }
        if (!p.licenses().isEmpty()) {
            component.setLicenses(licenses(p.licenses()));
        }
        List<Property> properties = new ArrayList<>();
        properties.add(new Property("palisade:foundBy", p.foundBy()));
        properties.add(new Property("palisade:ecosystem", p.ecosystem().osvName()));
        if (p.sourceName() != null) {
            properties.add(new Property("palisade:sourceName", p.sourceName()));
        }
        if (p.sourceVersion() != null) {
            properties.add(new Property("palisade:sourceVersion", p.sourceVersion()));
        }
        for (int i = 0; i < p.locations().size(); i++) {
            Location l = p.locations().get(i);
            properties.add(new Property("palisade:location:" + i + ":path", l.path()));
            if (l.layerDiffId() != null) {
                properties.add(new Property("palisade:location:" + i + ":layerDiffId", l.layerDiffId()));
            }
        }
        for (Map.Entry<String, String> e : p.metadata().entrySet()) {
            if (!e.getKey().equals("sha1")
                    && !e.getKey().equals("groupId")
                    && !e.getKey().equals("artifactId")
                    && !e.getKey().equals("dependsOn")) {
                properties.add(new Property("palisade:metadata:" + e.getKey(), e.getValue()));
            }
        }
        component.setProperties(properties);
        return component;
    }
}
