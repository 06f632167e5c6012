package dev.palisade.catalog.dpkg;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.TextDecoding;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The licences a Debian package declares in its machine-readable copyright file
 * ({@code usr/share/doc/PKG/copyright} in the DEP-5 copyright-format 1.0): the short name on each
 * {@code License:} line. A copyright file in free text states no licence a reader can rely on, so it
 * gives none. What it finds is not a package of its own: it is a licence statement about the dpkg package
 * named PKG, which {@code CatalogRunner.finish} puts on that package, then drops.
 */
public final class DpkgCopyrightCataloger extends FileCataloger {
    public static final String NAME = "dpkg-copyright";
    private static final String DOC = "usr/share/doc/";
    private static final String COPYRIGHT = "/copyright";
    private static final int MAX_LICENSES = 32;
    private static final int MAX_NAME = 200;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean wants(FileEntry file) {
        return file.isRegularFile() && isCopyrightFile(file.path());
    }

    /** {@code usr/share/doc/PKG/copyright}, with a non-empty PKG that holds no slash. */
    static boolean isCopyrightFile(String path) {
        return path.startsWith(DOC)
                && path.endsWith(COPYRIGHT)
                && path.length() > DOC.length() + COPYRIGHT.length()
                && path.indexOf('/', DOC.length()) == path.length() - COPYRIGHT.length();
    }

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) {
        if (!TextDecoding.isValidUtf8(bytes)) {
            // Debian policy asks for UTF-8 (lintian: national-encoding); this file is not text we can trust
            context.problem(path, "is not UTF-8 text; no licence read from it");
            return List.of();
        }
        String text = TextDecoding.completeLines(TextDecoding.utf8(bytes).replace("\r\n", "\n"), path, context);
        String firstLine = text.lines().findFirst().orElse("");
        if (!firstLine.startsWith("Format:")
                || !(firstLine.contains("copyright-format")
                        || firstLine.contains("dep5")
                        || firstLine.contains("DEP5"))) {
            return List.of();
        }
        List<String> licenses = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("License:")) {
                String name = line.substring("License:".length()).strip();
                if (!name.isEmpty()
                        && name.length() <= MAX_NAME
                        && !licenses.contains(name)
                        && licenses.size() < MAX_LICENSES) {
                    licenses.add(name);
                }
            }
        }
        if (licenses.isEmpty()) {
            return List.of();
        }
        String pkg = path.substring("usr/share/doc/".length(), path.length() - "/copyright".length());
        return List.of(new Package(
                Ecosystem.DEBIAN, pkg, "", "", List.of(Location.of(path)), null, null, NAME, Map.of(), licenses));
    }
}
