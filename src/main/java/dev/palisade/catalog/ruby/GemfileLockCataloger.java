package dev.palisade.catalog.ruby;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.Purls;
import dev.palisade.catalog.TextDecoding;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code Gemfile.lock}: the gems listed under {@code specs:} of the GEM, GIT and PATH sections, at
 * four spaces of indentation ({@code rack (2.2.8)}, platform suffixes such as {@code -x86_64-linux} removed).
 */
public final class GemfileLockCataloger extends FileCataloger {
    private static final Pattern SPEC = Pattern.compile("^    ([^\\s(]+) \\(([^)]+)\\)$");
    /** GEM, GIT, PATH, PLUGIN SOURCE, PLATFORMS, DEPENDENCIES, RUBY VERSION, BUNDLED WITH, CHECKSUMS... */
    private static final Pattern SECTION = Pattern.compile("^[A-Z][A-Z ]*$");

    private static final Pattern PLATFORM =
            Pattern.compile("-(?:x86_64|x86|aarch64|arm64|universal|java|arm|mswin|mingw|darwin|x64).*$");

    @Override
    public String name() {
        return "gemfile-lock";
    }

    @Override
    public boolean wants(FileEntry file) {
        return isNamed(file, "Gemfile.lock") || isNamed(file, "gems.locked");
    }

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) {
        List<Package> packages = new ArrayList<>();
        boolean inSpecs = false;
        int lineNumber = 0;
        for (String line : TextDecoding.completeLines(TextDecoding.utf8(bytes), path, context)
                .split("\n")) {
            lineNumber++;
            line = line.stripTrailing();
            if (line.isEmpty()) {
                inSpecs = false;
                continue;
            }
            if (!line.startsWith(" ")) {
                if (!SECTION.matcher(line).matches()) {
                    context.problem(
                            path,
                            "line " + lineNumber + " is neither a section name nor an indented entry: not a"
                                    + " Gemfile.lock as Bundler writes it; nothing read from it");
                    return List.of();
                }
                inSpecs = false;
                continue;
            }
            if (line.equals("  specs:")) {
                inSpecs = true;
                continue;
            }
            Matcher m = SPEC.matcher(line);
            if (inSpecs && m.matches()) {
                String version = PLATFORM.matcher(m.group(2)).replaceFirst("");
                packages.add(pkg(
                        Ecosystem.GEM,
                        m.group(1),
                        version,
                        Purls.of(Ecosystem.GEM, null, m.group(1), version),
                        path,
                        Map.of()));
            }
        }
        return packages;
    }
}
