package dev.palisade.catalog.python;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.Purls;
import dev.palisade.catalog.TextDecoding;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Installed Python distributions in {@code site-packages} and {@code dist-packages}: the core
 * metadata headers ({@code Name}, {@code Version}) of {@code *.dist-info/METADATA},
 * {@code *.egg-info/PKG-INFO} and single-file {@code *.egg-info}.
 */
public final class PythonInstalledCataloger extends FileCataloger {
    @Override
    public String name() {
        return "python-installed";
    }

    @Override
    public boolean wants(FileEntry file) {
        String path = file.path();
        if (!path.contains("site-packages/") && !path.contains("dist-packages/")) {
            return false;
        }
        return path.endsWith(".dist-info/METADATA")
                || path.endsWith(".egg-info/PKG-INFO")
                || (path.endsWith(".egg-info") && file.isRegularFile());
    }

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) {
        String name = "";
        String version = "";
        String text = TextDecoding.utf8(bytes);
        if (!text.contains("\n\n")) {
            text = TextDecoding.completeLines(text, path, context); // no description: the file ends in the headers
        }
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                break; // the headers end at the first empty line; the description follows
            }
            if (line.startsWith("Name:") && name.isEmpty()) {
                name = line.substring(5).strip();
            } else if (line.startsWith("Version:") && version.isEmpty()) {
                version = line.substring(8).strip();
            }
        }
        if (name.isEmpty() || version.isEmpty()) {
            context.problem(path, "core metadata has no Name or no Version header; not a distribution");
            return List.of();
        }
        return List.of(pkg(
                Ecosystem.PYPI,
                name,
                version,
                Purls.of(Ecosystem.PYPI, null, normalize(name), version),
                path,
                Map.of()));
    }

    /** PEP 503 normalised name, as the purl spec asks for PyPI. */
    public static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }
}
