package dev.palisade.catalog.npm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.MalformedLines;
import dev.palisade.catalog.Purls;
import dev.palisade.catalog.TextDecoding;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code yarn.lock} of Yarn 1 (its own indented format) and Yarn 2+ (YAML, with {@code __metadata}).
 * Each entry's descriptors ({@code "lodash@^4.17.0", lodash@~4.17.20:}) name the package; its
 * {@code version} field is what was installed.
 */
public final class YarnLockCataloger extends FileCataloger {
    @Override
    public String name() {
        return "yarn-lock";
    }

    @Override
    public boolean wants(FileEntry file) {
        return isNamed(file, "yarn.lock") && !file.path().contains("node_modules/");
    }

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) throws IOException {
        String text = TextDecoding.utf8(bytes);
        Set<String> seen = new LinkedHashSet<>();
        if (text.contains("__metadata:")) {
            JsonNode root = StructuredText.yaml(bytes);
            Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                if (e.getKey().equals("__metadata")
                        || StructuredText.text(e.getValue(), "resolution").contains("@workspace:")) {
                    continue;
                }
                String name = nameOf(e.getKey().split(",", -1)[0].trim()); // "," names no entry
                String version = StructuredText.text(e.getValue(), "version");
                if (!name.isEmpty() && !version.isEmpty() && !version.equals("0.0.0-use.local")) {
                    seen.add(name + "\u0000" + version);
                }
            }
        } else {
            String name = null;
            int lineNumber = 0;
            MalformedLines malformed = new MalformedLines(path, context);
            for (String line : TextDecoding.completeLines(text, path, context).split("\n")) {
                lineNumber++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (!Character.isWhitespace(line.charAt(0))) {
                    if (!line.stripTrailing().endsWith(":")) {
                        malformed.add(
                                lineNumber, "line " + lineNumber + " is neither an entry header nor a field; skipped");
                        name = null;
                        continue;
                    }
                    String header = line.stripTrailing();
                    name = nameOf(header.substring(0, header.length() - 1)
                            .split(",", -1)[0]
                            .trim()); // ",:" has no entry
                } else if (name != null && line.trim().startsWith("version ")) {
                    String version =
                            unquote(line.trim().substring("version ".length()).trim());
                    if (!name.isEmpty() && !version.isEmpty()) {
                        seen.add(name + "\u0000" + version);
                    }
                }
            }
            malformed.finish();
        }
        List<Package> packages = new ArrayList<>();
        for (String key : seen) {
            int cut = key.indexOf('\u0000'); // split() would drop a version made of NULs and leave no parts[1]
            String[] parts = {key.substring(0, cut), key.substring(cut + 1)};
            if (!Purls.hasName(parts[0])) {
                context.problem(path, "package '" + parts[0] + "' has no package name; skipped");
                continue;
            }
            packages.add(pkg(
                    Ecosystem.NPM,
                    parts[0],
                    parts[1],
                    Purls.scoped(Ecosystem.NPM, parts[0], parts[1]),
                    path,
                    Map.of()));
        }
        return packages;
    }

    /** {@code "@babel/core@npm:^7.0.0"} gives {@code @babel/core}. */
    static String nameOf(String descriptor) {
        String d = unquote(descriptor);
        int at = d.indexOf('@', d.startsWith("@") ? 1 : 0);
        return at < 0 ? d : d.substring(0, at);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
