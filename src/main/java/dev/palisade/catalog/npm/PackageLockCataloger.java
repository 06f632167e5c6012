package dev.palisade.catalog.npm;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.Purls;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.StreamedDocument;
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
        // a lock file of a large project is tens of megabytes: read one entry at a time, never the whole tree
        StreamedDocument document = StructuredText.jsonStream(bytes);
        List<Found> found;
        if (document.kind(List.of("packages")) == JsonToken.START_OBJECT) {
            found = document.members(List.of("packages"), (key, parser) -> {
                if (key.isEmpty() || !key.contains("node_modules/")) {
                    parser.skipChildren();
                    return null;
                }
                JsonNode node = StructuredText.treeOf(parser);
                if (node.path("link").asBoolean(false)) {
                    return null;
                }
                String name = StructuredText.text(node, "name");
                if (name.isEmpty()) {
                    name = key.substring(key.lastIndexOf("node_modules/") + "node_modules/".length());
                }
                Found entry = new Found();
                entry.add(
                        path,
                        name,
                        StructuredText.text(node, "version"),
                        node.path("dev").asBoolean(false));
                return entry;
            });
        } else {
            found = document.members(List.of("dependencies"), (key, parser) -> {
                Found entry = new Found();
                entry.walkV1(key, StructuredText.treeOf(parser), path, 0);
                return entry;
            });
        }
        List<Package> packages = new ArrayList<>();
        for (Found entry : found) {
            packages.addAll(entry.packages);
            entry.problems.forEach(problem -> context.problem(path, problem));
        }
        return packages;
    }

    /** What one entry of the lock file gave, kept until the whole file is read: an entry may be listed twice. */
    private final class Found {
        List<Package> packages = List.of();
        List<String> problems = List.of();

        void walkV1(String name, JsonNode node, String path, int depth) {
            String version = StructuredText.text(node, "version");
            if (!version.startsWith("file:") && !version.startsWith("link:")) {
                add(path, name, version, node.path("dev").asBoolean(false));
            }
            JsonNode dependencies = node.get("dependencies");
            if (dependencies == null || !dependencies.isObject()) {
                return;
            }
            if (depth + 1 > MAX_DEPTH) {
                problem("dependencies nest deeper than " + MAX_DEPTH + " levels; the rest is not read");
                return;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = dependencies.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                walkV1(e.getKey(), e.getValue(), path, depth + 1);
            }
        }

        void problem(String reason) {
            if (problems.isEmpty()) {
                problems = new ArrayList<>(1);
            }
            problems.add(reason);
        }

        void add(String path, String name, String version, boolean dev) {
            if (version.isEmpty()) {
                problem("entry " + name + " has no version; skipped");
                return;
            }
            if (!Purls.hasName(name)) {
                problem("entry '" + name + "' has no package name; skipped");
                return;
            }
            if (packages.isEmpty()) {
                packages = new ArrayList<>(1); // most entries are one package: no room for more until needed
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
}
