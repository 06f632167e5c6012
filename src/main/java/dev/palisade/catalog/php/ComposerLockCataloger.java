package dev.palisade.catalog.php;

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

/** {@code composer.lock}: {@code packages} and {@code packages-dev}; and Composer's installed {@code vendor/composer/installed.json}. */
public final class ComposerLockCataloger extends FileCataloger {
    @Override
    public String name() {
        return "composer-lock";
    }

    @Override
    public boolean wants(FileEntry file) {
        return isNamed(file, "composer.lock") || file.path().endsWith("vendor/composer/installed.json");
    }

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) throws IOException {
        JsonNode root = StructuredText.json(bytes);
        List<Package> packages = new ArrayList<>();
        if (root.isArray()) {
            add(root, false, path, packages); // installed.json of Composer 1
        } else {
            add(root.path("packages"), false, path, packages);
            add(root.path("packages-dev"), true, path, packages);
        }
        return packages;
    }

    private void add(JsonNode list, boolean dev, String path, List<Package> packages) {
        for (JsonNode node : list) {
            String name = StructuredText.text(node, "name");
            String version = StructuredText.text(node, "version");
            if (!Purls.hasName(name) || version.isEmpty()) {
                continue;
            }
            String clean = version.startsWith("v") && version.length() > 1 && Character.isDigit(version.charAt(1))
                    ? version.substring(1)
                    : version;
            packages.add(pkg(
                    Ecosystem.COMPOSER,
                    name,
                    clean,
                    Purls.scoped(Ecosystem.COMPOSER, name, clean),
                    path,
                    dev ? Map.of("dev", "true") : Map.of()));
        }
    }
}
