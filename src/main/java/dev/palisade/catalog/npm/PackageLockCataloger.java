package dev.palisade.catalog.npm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.Purls;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code package-lock.json} (and {@code npm-shrinkwrap.json}) of lockfile versions 1, 2 and 3: the
 * {@code packages} map keyed by install path in v2/v3, the nested {@code dependencies} tree in v1.
 * Linked workspace packages are left out; dev dependencies are kept and marked.
 */
public final class PackageLockCataloger extends FileCataloger {
    private static final int MAX_DEPTH = 100;

    @Override
    public String name() {
        return "npm-package-lock";
    }

    @Override
    public boolean wants(FileEntry file) {
        return (isNamed(file, "package-lock.json") || isNamed(file, "npm-shrinkwrap.json"))
                && !file.path().contains("node_modules/");
    }

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) throws IOException {
        JsonNode root = StructuredText.json(bytes);
        List<Package> packages = new ArrayList<>();
        JsonNode installed = root.get("packages");
        if (installed != null && installed.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = installed.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                String key = e.getKey();
                JsonNode node = e.getValue();
                if (key.isEmpty()
                        || !key.contains("node_modules/")
                        || node.path("link").asBoolean(false)) {
                    continue;
                }
                String name = StructuredText.text(node, "name");
                if (name.isEmpty()) {
                    name = key.substring(key.lastIndexOf("node_modules/") + "node_modules/".length());
                }
                add(
                        packages,
                        path,
                        name,
                        StructuredText.text(node, "version"),
                        node.path("dev").asBoolean(false),
                        context);
            }
            return packages;
        }
        walkV1(root.get("dependencies"), path, packages, 0, context);
        return packages;
    }

    private void walkV1(JsonNode dependencies, String path, List<Package> packages, int depth, CatalogContext context) {
        if (dependencies == null || !dependencies.isObject()) {
            return;
        }
        if (depth > MAX_DEPTH) {
            context.problem(path, "dependencies nest deeper than " + MAX_DEPTH + " levels; the rest is not read");
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = dependencies.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            JsonNode node = e.getValue();
            String version = StructuredText.text(node, "version");
            if (!version.startsWith("file:") && !version.startsWith("link:")) {
                add(packages, path, e.getKey(), version, node.path("dev").asBoolean(false), context);
            }
            walkV1(node.get("dependencies"), path, packages, depth + 1, context);
        }
    }

    private void add(
            List<Package> packages, String path, String name, String version, boolean dev, CatalogContext context) {
        if (version.isEmpty()) {
            context.problem(path, "entry " + name + " has no version; skipped");
            return;
        }
        if (!Purls.hasName(name)) {
            context.problem(path, "entry '" + name + "' has no package name; skipped");
            return;
        }
        packages.add(pkg(
                Ecosystem.NPM,
                name,
                version,
                Purls.scoped(Ecosystem.NPM, name, version),
                path,
                dev ? Map.of("dev", "true") : Map.of()));
    }
}
