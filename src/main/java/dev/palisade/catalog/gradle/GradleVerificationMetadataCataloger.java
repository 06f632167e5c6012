package dev.palisade.catalog.gradle;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.Purls;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jspecify.annotations.Nullable;

/**
 * Gradle's dependency verification file: each {@code <component group name version>} is a module the build
 * downloaded, with the SHA-256 of its artifacts; the jar's is kept. No DTD and no entity is read.
 */
public final class GradleVerificationMetadataCataloger extends FileCataloger {
    @Override
    public String name() {
        return "gradle-verification-metadata";
    }

    @Override
    public boolean wants(FileEntry file) {
        return file.path().equals("gradle/verification-metadata.xml")
                || file.path().endsWith("/gradle/verification-metadata.xml");
    }

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) throws IOException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        List<Package> packages = new ArrayList<>();
        try {
            XMLStreamReader xml = factory.createXMLStreamReader(new ByteArrayInputStream(bytes));
            boolean inComponents = false;
            Map<String, String> component = null;
            @Nullable String artifact = null;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.DTD) {
                    throw new IOException("a document type declaration is not expected here");
                }
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String element = xml.getLocalName();
                    if (element.equals("components")) {
                        inComponents = true;
                    } else if (inComponents && element.equals("component")) {
                        component = new TreeMap<>();
                        component.put("groupId", attribute(xml, "group"));
                        component.put("artifactId", attribute(xml, "name"));
                        component.put("version", attribute(xml, "version"));
                    } else if (component != null && element.equals("artifact")) {
                        artifact = attribute(xml, "name");
                    } else if (component != null
                            && artifact != null
                            && element.equals("sha256")
                            && (artifact.endsWith(".jar") || !component.containsKey("sha256"))) {
                        component.put("sha256", attribute(xml, "value"));
                        component.put("sha256Of", artifact);
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    String element = xml.getLocalName();
                    if (element.equals("components")) {
                        inComponents = false;
                    } else if (element.equals("artifact")) {
                        artifact = null;
                    } else if (element.equals("component") && component != null) {
                        add(packages, component, path, context);
                        component = null;
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new IOException("not a well-formed verification metadata file: " + e.getMessage(), e);
        }
        return packages;
    }

    private void add(List<Package> packages, Map<String, String> component, String path, CatalogContext context) {
        String group = component.getOrDefault("groupId", "");
        String name = component.getOrDefault("artifactId", "");
        String version = component.remove("version");
        if (group.isEmpty() || name.isEmpty() || version == null || version.isEmpty()) {
            context.problem(path, "a component without group, name and version was left out");
            return;
        }
        if (!Purls.isMavenCoordinate(group, name)) {
            context.problem(
                    path,
                    "component " + group + ":" + name
                            + " makes no Package URL (an empty segment between slashes); left out");
            return;
        }
        packages.add(pkg(
                Ecosystem.MAVEN,
                group + ":" + name,
                version,
                Purls.of(Ecosystem.MAVEN, group, name, version),
                path,
                component));
    }

    private static String attribute(XMLStreamReader xml, String name) {
        String value = xml.getAttributeValue(null, name);
        return value == null ? "" : value;
    }
}
