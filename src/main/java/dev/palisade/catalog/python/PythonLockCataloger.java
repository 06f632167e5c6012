package dev.palisade.catalog.python;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.Purls;
import dev.palisade.catalog.TextDecoding;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.StreamedDocument;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python lock files: pinned lines of {@code requirements*.txt} ({@code name==version}, extras and
 * markers ignored), {@code poetry.lock} and {@code Pipfile.lock}.
 */
public final class PythonLockCataloger extends FileCataloger {
    private static final Pattern PINNED = Pattern.compile(
            "^([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(?:\\[[^\\]]*\\])?\\s*===?\\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)\\s*(?:;.*)?$");

    private static final Pattern HASH = Pattern.compile("--hash[=\\s]\\s*(sha256|sha384|sha512):(\\S*)");
    private static final Map<String, Integer> HASH_HEX_DIGITS = Map.of("sha256", 64, "sha384", 96, "sha512", 128);

    @Override
    public String name() {
        return "python-lock";
    }

    @Override
    public boolean wants(FileEntry file) {
        String name = file.name();
        return name.equals("poetry.lock")
                || name.equals("Pipfile.lock")
                || (name.startsWith("requirements") && name.endsWith(".txt"));
    }

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) throws IOException {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.equals("poetry.lock")) {
            return poetry(path, bytes);
        }
        if (name.equals("Pipfile.lock")) {
            return pipfile(path, bytes, context);
        }
        return requirements(path, bytes, context);
    }

    private List<Package> requirements(String path, byte[] bytes, CatalogContext context) {
        if (!TextDecoding.isValidUtf8(bytes) || hasControlBytes(bytes)) {
            context.problem(
                    path,
                    "is not text (invalid UTF-8 or control bytes): not a requirements file; nothing read from it");
            return List.of();
        }
        List<Package> packages = new ArrayList<>();
        int lineNumber = 0;
        for (String raw : TextDecoding.utf8(bytes).split("\n")) {
            lineNumber++;
            checkHashes(raw, lineNumber, path, context);
            String line = raw;
            int comment = line.indexOf(" #");
            if (comment >= 0) {
                line = line.substring(0, comment);
            }
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("-")) {
                continue;
            }
            int hashes = line.indexOf(" --hash");
            if (hashes > 0) {
                line = line.substring(0, hashes).strip();
            }
            if (line.endsWith("\\")) {
                line = line.substring(0, line.length() - 1).strip();
            }
            Matcher m = PINNED.matcher(line);
            if (m.matches()) {
                packages.add(python(m.group(1), m.group(2), path, Map.of()));
            }
        }
        return packages;
    }

    /** A {@code --hash} of the wrong length means a damaged or cut file; pip would refuse to install from it. */
    private static void checkHashes(String line, int lineNumber, String path, CatalogContext context) {
        Matcher m = HASH.matcher(line);
        while (m.find()) {
            int expected = HASH_HEX_DIGITS.getOrDefault(m.group(1), -1);
            if (m.group(2).length() != expected || !m.group(2).matches("[0-9a-fA-F]*")) {
                context.problem(
                        path,
                        "line " + lineNumber + ": a " + m.group(1) + " hash of "
                                + m.group(2).length() + " characters where " + expected
                                + " hex digits belong: the file seems cut short or damaged");
            }
        }
    }

    private static boolean hasControlBytes(byte[] bytes) {
        for (byte b : bytes) {
            if ((b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') || b == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private List<Package> poetry(String path, byte[] bytes) throws IOException {
        List<Package> packages = new ArrayList<>();
        for (JsonNode node : StructuredText.toml(bytes).path("package")) {
            String name = StructuredText.text(node, "name");
            String version = StructuredText.text(node, "version");
            if (!name.isEmpty() && !version.isEmpty()) {
                String category = StructuredText.text(node, "category");
                packages.add(python(name, version, path, category.equals("dev") ? Map.of("dev", "true") : Map.of()));
            }
        }
        return packages;
    }

    private List<Package> pipfile(String path, byte[] bytes, CatalogContext context) throws IOException {
        StreamedDocument document = StructuredText.jsonStream(bytes);
        List<Package> packages = new ArrayList<>();
        for (String section : List.of("default", "develop")) {
            packages.addAll(document.members(List.of(section), (key, parser) -> {
                String version = StructuredText.text(StructuredText.treeOf(parser), "version");
                if (version.startsWith("==")
                        && PythonInstalledCataloger.normalize(key).isEmpty()) {
                    context.problem(path, "package '" + key + "' has no package name; skipped");
                    return null;
                }
                return version.startsWith("==")
                        ? python(
                                key,
                                version.substring(2),
                                path,
                                section.equals("develop") ? Map.of("dev", "true") : Map.of())
                        : null;
            }));
        }
        return packages;
    }

    private Package python(String name, String version, String path, Map<String, String> metadata) {
        return pkg(
                Ecosystem.PYPI,
                name,
                version,
                Purls.of(Ecosystem.PYPI, null, PythonInstalledCataloger.normalize(name), version),
                path,
                metadata);
    }
}
