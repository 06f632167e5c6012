package dev.palisade.catalog.golang;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.Purls;
import dev.palisade.catalog.TextDecoding;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code go.mod}: the modules of {@code require} directives (single-line and blocks), with
 * {@code replace} directives applied; indirect requirements are marked.
 */
public final class GoModCataloger extends FileCataloger {
    @Override
    public String name() {
        return "go-mod";
    }

    @Override
    public boolean wants(FileEntry file) {
        return isNamed(file, "go.mod") && !file.path().contains("/vendor/");
    }

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) {
        Map<String, String[]> required = new LinkedHashMap<>();
        Map<String, String[]> replaced = new LinkedHashMap<>();
        String block = "";
        for (String raw : TextDecoding.utf8(bytes).split("\n")) {
            boolean indirect = raw.contains("// indirect");
            int comment = raw.indexOf("//");
            String line = (comment >= 0 ? raw.substring(0, comment) : raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals(")")) {
                block = "";
                continue;
            }
            if (line.endsWith("(")) {
                block = line.substring(0, line.length() - 1).strip();
                continue;
            }
            String directive = block;
            String rest = line;
            if (block.isEmpty()) {
                int space = line.indexOf(' ');
                if (space < 0) {
                    continue;
                }
                directive = line.substring(0, space);
                rest = line.substring(space + 1).strip();
            }
            String[] f = rest.split("\\s+");
            if (directive.equals("require") && f.length >= 2) {
                required.put(f[0], new String[] {f[0], f[1], indirect ? "true" : "false"});
            } else if (directive.equals("replace")) {
                int arrow = rest.indexOf("=>");
                if (arrow > 0) {
                    String[] from = rest.substring(0, arrow).strip().split("\\s+");
                    String[] to = rest.substring(arrow + 2).strip().split("\\s+");
                    if (to.length >= 2) {
                        replaced.put(from[0], new String[] {to[0], to[1]});
                    }
                }
            }
        }
        List<Package> packages = new ArrayList<>();
        for (String[] r : required.values()) {
            String[] to = replaced.getOrDefault(r[0], new String[] {r[0], r[1]});
            if (!Purls.hasName(to[0])) {
                context.problem(path, "module '" + to[0] + "' has no module path; skipped");
                continue;
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            if (r[2].equals("true")) {
                metadata.put("indirect", "true");
            }
            if (!to[0].equals(r[0]) || !to[1].equals(r[1])) {
                metadata.put("replaces", r[0] + "@" + r[1]);
            }
            packages.add(pkg(Ecosystem.GO, to[0], to[1], Purls.scoped(Ecosystem.GO, to[0], to[1]), path, metadata));
        }
        return packages;
    }
}
