package dev.palisade.maven;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The project's resolved dependencies as a CycloneDX 1.5 JSON document: what {@code palisade sbom} reads. Each
 * component keeps its Maven scope (and CycloneDX's required/optional) and its trail; {@code dependencies} holds
 * the graph Maven resolved.
 */
final class DependencyBom {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DependencyBom() {}

    /**
     * @param project the project's own {@code group:artifact:type:version}, the first entry of every trail
     * @param location where the findings point: the project's pom, relative to the report's reader
     */
    static byte[] write(ResolvedDependency project, List<ResolvedDependency> dependencies, String location) {
        ObjectNode root = JSON.createObjectNode();
        root.put("bomFormat", "CycloneDX");
        root.put("specVersion", "1.5");
        root.put("version", 1);
        ObjectNode metadata = root.putObject("metadata");
        ObjectNode main = metadata.putObject("component");
        main.put("type", "application");
        main.put("bom-ref", project.purl());
        main.put("group", project.groupId());
        main.put("name", project.artifactId());
        main.put("version", project.version());
        main.put("purl", project.purl());

        Map<String, String> refByArtifactId = new LinkedHashMap<>();
        refByArtifactId.put(project.trail().get(0), project.purl());
        for (ResolvedDependency d : dependencies) {
            refByArtifactId.put(d.trail().get(d.trail().size() - 1), d.purl());
        }
        Map<String, TreeSet<String>> dependsOn = new LinkedHashMap<>();
        dependsOn.put(project.purl(), new TreeSet<>());
        ArrayNode components = root.putArray("components");
        for (ResolvedDependency d : dependencies) {
            ObjectNode c = components.addObject();
            c.put("type", "library");
            c.put("bom-ref", d.purl());
            c.put("group", d.groupId());
            c.put("name", d.artifactId());
            c.put("version", d.version());
            c.put("scope", d.scope().equals("test") || d.scope().equals("provided") ? "optional" : "required");
            c.put("purl", d.purl());
            ArrayNode properties = c.putArray("properties");
            property(properties, "palisade:location:0:path", location);
            property(properties, "palisade:maven:scope", d.scope());
            property(properties, "palisade:maven:trail", String.join(" -> ", trailCoordinates(d)));
            String parent = d.parentId().isEmpty()
                    ? project.purl()
                    : refByArtifactId.getOrDefault(d.parentId(), project.purl());
            dependsOn.computeIfAbsent(parent, k -> new TreeSet<>()).add(d.purl());
            dependsOn.computeIfAbsent(d.purl(), k -> new TreeSet<>());
        }
        ArrayNode graph = root.putArray("dependencies");
        dependsOn.forEach((ref, children) -> {
            ObjectNode node = graph.addObject();
            node.put("ref", ref);
            ArrayNode list = node.putArray("dependsOn");
            children.forEach(list::add);
        });
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static List<String> trailCoordinates(ResolvedDependency d) {
        List<String> out = new ArrayList<>();
        for (String id : d.trail()) {
            out.add(ResolvedDependency.withoutType(id));
        }
        return out;
    }

    private static void property(ArrayNode properties, String name, String value) {
        ObjectNode p = properties.addObject();
        p.put("name", name);
        p.put("value", value);
    }
}
