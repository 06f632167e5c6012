package dev.palisade.catalog.npm;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.Purls;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code pnpm-lock.yaml}: the keys of {@code packages} are {@code /name/version} (lockfile 5),
 * {@code /name@version} (6) or {@code name@version} (9), possibly followed by a peer-dependency
 * suffix in parentheses or after an underscore.
 */
public final class PnpmLockCataloger extends FileCataloger {
    @Override
    public String name() {
        return "pnpm-lock";
    }

    @Override
    public boolean wants(FileEntry file) {
        return isNamed(file, "pnpm-lock.yaml") && !file.path().contains("node_modules/");
    }

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) throws IOException {
        // only the keys of the packages are read, never the whole tree: the lock of a large workspace is tens of
        // megabytes
        List<String> keys = StructuredText.yamlStream(bytes).members(List.of("packages"), (key, parser) -> {
            parser.skipChildren();
            return key;
        });
        Set<String> seen = new LinkedHashSet<>();
        for (String key : keys) {
            String[] nameVersion = split(key);
            if (nameVersion == null) {
                context.problem(path, "package key '" + key + "' names no version; skipped");
                continue;
            }
            seen.add(nameVersion[0] + "\u0000" + nameVersion[1]);
        }
        List<Package> packages = new ArrayList<>();
        for (String key : seen) {
            String[] parts = key.split("\u0000");
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

    static String @Nullable [] split(String key) {
        String k = key.startsWith("/") ? key.substring(1) : key;
        int paren = k.indexOf('(');
        if (paren > 0) {
            k = k.substring(0, paren);
        }
        int at = k.indexOf('@', k.startsWith("@") ? 1 : 0);
        String name;
        String version;
        if (at > 0) {
            name = k.substring(0, at);
            version = k.substring(at + 1);
        } else {
            int slash = k.lastIndexOf('/');
            if (slash <= 0) {
                return null;
            }
            name = k.substring(0, slash);
            version = k.substring(slash + 1);
        }
        int underscore = version.indexOf('_');
        if (underscore > 0) {
            version = version.substring(0, underscore);
        }
        if (name.isEmpty() || version.isEmpty() || !Character.isDigit(version.charAt(0))) {
            return null;
        }
        return new String[] {name, version};
    }
}
