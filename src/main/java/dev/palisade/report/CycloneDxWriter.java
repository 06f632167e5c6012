package dev.palisade.report;

import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import dev.palisade.source.ArtifactDescription;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * The inventory as a CycloneDX 1.6 JSON SBOM, written with cyclonedx-core-java. Where a package was
 * found (path, layer) and how is kept in {@code palisade:*} properties. The serial number is derived
 * from the content, so the same inventory gives the same document.
 */
public final class CycloneDxWriter implements ReportWriter {
    public static final Version SPEC = Version.VERSION_16;

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
        bom.setMetadata(metadata);

        List<Component> components = new ArrayList<>();
        StringBuilder identity = new StringBuilder(inventory.artifact().name());
        inventory.osRelease().ifPresent(os -> components.add(os(os)));
        for (Package p : inventory.packages()) {
            components.add(component(p));
            identity.append('\n').append(p.key());
        }
        bom.setComponents(components);
        bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(identity.toString().getBytes(StandardCharsets.UTF_8)));
        return bom;
    }

    private static Component subject(ArtifactDescription artifact) {
        Component subject = new Component();
        subject.setType(switch (artifact.kind()) {
            case IMAGE -> Component.Type.CONTAINER;
            case ROOTFS -> Component.Type.OPERATING_SYSTEM;
            case DIRECTORY, FUNCTION -> Component.Type.APPLICATION;
        });
        subject.setBomRef("artifact");
        subject.setName(artifact.imageMetadata().flatMap(i -> i.repoTags().stream().findFirst()).orElse(artifact.name()));
        artifact.imageMetadata().ifPresent(image -> subject.setVersion(image.imageId()));
        List<Property> properties = new ArrayList<>();
        properties.add(new Property("palisade:artifact:kind", artifact.kind().name().toLowerCase(Locale.ROOT)));
        properties.add(new Property("palisade:artifact:deploymentModel", artifact.model().name().toLowerCase(Locale.ROOT)));
        properties.add(new Property("palisade:artifact:path", artifact.name()));
        subject.setProperties(properties);
        return subject;
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

    private static Component component(Package p) {
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
            if (!e.getKey().equals("sha1") && !e.getKey().equals("groupId") && !e.getKey().equals("artifactId")) {
                properties.add(new Property("palisade:metadata:" + e.getKey(), e.getValue()));
            }
        }
        component.setProperties(properties);
        return component;
    }
}
