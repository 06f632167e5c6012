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
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code go.mod}: the modules of {@code require} directives (single-line and blocks), with
 * {@code replace} directives applied; indirect requirements are marked.
 */
public final class GoModCataloger extends FileCataloger {
    /** The directives the go command knows; it refuses a go.mod with any other. */
    private static final Set<String> DIRECTIVES = Set.of(
            "module", "go", "toolchain", "godebug", "require", "replace", "exclude", "retract", "tool", "ignore");

    /** A semantic version as go.mod records it, pseudo-versions and {@code +incompatible} included. */
    private static final Pattern MODULE_VERSION =
            Pattern.compile("v\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?");

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
        int blockLine = 0;
        int lineNumber = 0;
        String text = TextDecoding.utf8(bytes);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte order mark some editors write
        }
        String[] lines = text.split("\n", -1);
        for (String raw : lines) {
            lineNumber++;
            if (lineNumber == lines.length
                    && !block.isEmpty()
                    && !raw.isBlank()
                    && !raw.strip().equals(")")) {
                break; // the partial last line of a block left open, reported below
            }
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
                blockLine = lineNumber;
                if (!DIRECTIVES.contains(block)) {
                    return unreadable(path, lineNumber, context);
                }
                continue;
            }
            String directive = block;
            String rest = line;
            if (block.isEmpty()) {
                String[] words = line.split("\\s", 2);
                directive = words[0];
                if (!DIRECTIVES.contains(directive)) {
                    return unreadable(path, lineNumber, context);
                }
                if (words.length < 2) {
                    continue;
                }
                rest = words[1].strip();
            }
            String[] f = rest.split("\\s+");
            if (directive.equals("require") && f.length >= 2) {
                if (!MODULE_VERSION.matcher(f[1]).matches()) {
                    context.problem(
                            path,
                            "line " + lineNumber + ": the version of " + f[0] + " is not a module version"
                                    + " (vMAJOR.MINOR.PATCH); skipped");
                    continue;
                }
                required.put(f[0], new String[] {f[0], f[1], indirect ? "true" : "false"});
            } else if (directive.equals("replace")) {
                int arrow = rest.indexOf("=>");
                if (arrow > 0) {
                    String[] from = rest.substring(0, arrow).strip().split("\\s+");
                    String[] to = rest.substring(arrow + 2).strip().split("\\s+");
                    if (to.length >= 2 && MODULE_VERSION.matcher(to[1]).matches()) {
                        replaced.put(from[0], new String[] {to[0], to[1]});
                    }
                }
            }
        }
        if (!block.isEmpty()) {
            context.problem(
                    path,
                    "the " + block + " block opened at line " + blockLine + " is not closed: the file seems cut"
                            + " short" + (text.endsWith("\n") ? "" : "; its last, partial line was not read"));
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

    private static List<Package> unreadable(String path, int lineNumber, CatalogContext context) {
        context.problem(
                path,
                "line " + lineNumber + " starts with an unknown directive: not a go.mod the go command"
                        + " accepts; nothing read from it");
        return List.of();
    }
}
