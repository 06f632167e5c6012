package dev.palisade.catalog.python;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.Purls;
import dev.palisade.catalog.TextDecoding;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Installed Python distributions in {@code site-packages} and {@code dist-packages}: the core
 * metadata headers ({@code Name}, {@code Version}) of {@code *.dist-info/METADATA},
 * {@code *.egg-info/PKG-INFO} and single-file {@code *.egg-info}.
 */
public final class PythonInstalledCataloger extends FileCataloger {
    private static final int MAX_LICENSE_NAME = 100;

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
        String expression = "";
        String license = "";
        boolean licenseContinues = false;
        List<String> classifiers = new ArrayList<>();
        String previous = "";
        String text = TextDecoding.utf8(bytes);
        if (!text.contains("\n\n")) {
            text = TextDecoding.completeLines(text, path, context); // no description: the file ends in the headers
        }
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                break; // the headers end at the first empty line; the description follows
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && previous.equals("License")) {
                licenseContinues = true; // a licence text, not a name
                continue;
            }
            previous = line.contains(":") ? line.substring(0, line.indexOf(':')) : "";
            if (line.startsWith("License-Expression:") && expression.isEmpty()) {
                expression = line.substring(19).strip();
            } else if (line.startsWith("License:") && license.isEmpty()) {
                license = line.substring(8).strip();
            } else if (line.startsWith("Classifier: License ::") && classifiers.size() < 16) {
                String[] parts = line.substring(11).split("::");
                String last = parts[parts.length - 1].strip();
                if (!last.isEmpty() && !last.equals("OSI Approved")) {
                    classifiers.add(last);
                }
            } else if (line.startsWith("Name:") && name.isEmpty()) {
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
                        Map.of())
                .withLicenses(licenses(expression, license, licenseContinues, classifiers)));
    }

    /**
     * PEP 639's {@code License-Expression} when present; else a short one-line {@code License} (not a
     * whole licence text, not {@code UNKNOWN}); else the {@code License ::} trove classifiers.
     */
    private static List<String> licenses(
            String expression, String license, boolean licenseContinues, List<String> classifiers) {
        if (!expression.isEmpty()) {
            return List.of(expression);
        }
        if (!license.isEmpty()
                && !licenseContinues
                && license.length() <= MAX_LICENSE_NAME
                && !license.equalsIgnoreCase("UNKNOWN")) {
            return List.of(license);
        }
        return classifiers;
    }

    /** PEP 503 normalised name, as the purl spec asks for PyPI. */
    public static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }
}
