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
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Installed npm packages: the {@code package.json} of each package directory inside
 * {@code node_modules} ({@code node_modules/NAME/package.json} or {@code node_modules/@SCOPE/NAME/package.json}).
 */
public final class NpmInstalledCataloger extends FileCataloger {
    private static final int MAX_LICENSES = 16;

    @Override
    public String name() {
        return "npm-installed";
    }

    @Override
    public boolean wants(FileEntry file) {
        String path = file.path();
        if (!path.endsWith("/package.json")) {
            return false;
        }
        String[] parts = path.split("/");
        int n = parts.length;
        if (n >= 3 && parts[n - 3].equals("node_modules") && !parts[n - 2].startsWith("@")) {
            return true;
        }
        return n >= 4 && parts[n - 4].equals("node_modules") && parts[n - 3].startsWith("@");
    }

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) throws IOException {
        JsonNode root = StructuredText.json(bytes);
        String name = StructuredText.text(root, "name");
        String version = StructuredText.text(root, "version");
        if (!Purls.hasName(name) || version.isEmpty()) {
            context.problem(path, "package.json has no name or no version; not a package");
            return List.of();
        }
        return List.of(pkg(Ecosystem.NPM, name, version, Purls.scoped(Ecosystem.NPM, name, version), path, Map.of())
                .withLicenses(licenses(root)));
    }

    /**
     * {@code license} as a string (an SPDX expression) or, in old manifests, as {@code {"type": ...}};
     * or the older {@code licenses} array of such objects or strings.
     */
    static List<String> licenses(JsonNode root) {
        List<String> declared = new ArrayList<>();
        addLicense(root.get("license"), declared);
        JsonNode list = root.get("licenses");
        if (declared.isEmpty() && list != null && list.isArray()) {
            for (JsonNode entry : list) {
                addLicense(entry, declared);
            }
        }
        return declared;
    }

    private static void addLicense(@Nullable JsonNode node, List<String> declared) {
        if (node == null) {
            return;
        }
        JsonNode value = node.isObject() ? node.get("type") : node;
        if (value != null && value.isTextual() && !value.asText().isBlank() && declared.size() < MAX_LICENSES) {
            declared.add(value.asText().strip());
        }
    }
}
