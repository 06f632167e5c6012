package dev.palisade.catalog.php;

import com.fasterxml.jackson.core.JsonParser;
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
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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
        // one package at a time: the lock file of a large project is tens of megabytes
        StreamedDocument document = StructuredText.jsonStream(bytes);
        List<Package> packages = new ArrayList<>();
        if (document.kind(List.of()) == JsonToken.START_ARRAY) {
            packages.addAll(document.elements(List.of(), (key, parser) -> add(parser, false, path))); // Composer 1
        } else {
            packages.addAll(document.elements(List.of("packages"), (key, parser) -> add(parser, false, path)));
            packages.addAll(document.elements(List.of("packages-dev"), (key, parser) -> add(parser, true, path)));
        }
        return packages;
    }

    private @Nullable Package add(JsonParser parser, boolean dev, String path) throws IOException {
        JsonNode node = StructuredText.treeOf(parser);
        String name = StructuredText.text(node, "name");
        String version = StructuredText.text(node, "version");
        if (!Purls.hasName(name) || version.isEmpty()) {
            return null;
        }
        String clean = version.startsWith("v") && version.length() > 1 && Character.isDigit(version.charAt(1))
                ? version.substring(1)
                : version;
        return pkg(
                Ecosystem.COMPOSER,
                name,
                clean,
                Purls.scoped(Ecosystem.COMPOSER, name, clean),
                path,
                dev ? Map.of("dev", "true") : Map.of());
    }
}
