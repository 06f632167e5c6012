package dev.palisade.catalog.golang;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.Cataloger;
import dev.palisade.catalog.Purls;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Go executables (ELF): the main module, every dependency (with {@code =>} replacements applied)
 * and the standard library at the toolchain's version, from the embedded build information.
 */
public final class GoBinaryCataloger implements Cataloger {
    private static final long MIN_SIZE = 4096;

    @Override
    public String name() {
        return "go-binary";
    }

    @Override
    public boolean wants(FileEntry file) {
        return file.isExecutable()
                && file.size() >= MIN_SIZE
                && !file.name().endsWith(".so")
                && !file.name().contains(".so.");
    }

    @Override
    public boolean streams() {
        return true;
    }

    @Override
    public List<Package> catalog(FileEntry file, InputStream content, CatalogContext context) throws IOException {
        BufferedInputStream in = new BufferedInputStream(content, 64 * 1024);
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        if (!GoBuildInfo.isElf(head)) {
            return List.of();
        }
        Optional<GoBuildInfo.Raw> raw;
        try {
            raw = GoBuildInfo.read(in);
        } catch (GoBuildInfo.UnsupportedFormatException e) {
            context.problem(file.path(), String.valueOf(e.getMessage()));
            return List.of();
        }
        return raw.map(r -> packages(file.path(), r)).orElse(List.of());
    }

    List<Package> packages(String path, GoBuildInfo.Raw raw) {
        Map<String, String[]> modules = new LinkedHashMap<>();
        String mainPath = "";
        String[] last = null;
        for (String line : raw.modInfo().split("\n")) {
            String[] f = line.split("\t", -1); // never empty, even for a line of tabs
            switch (f[0]) {
                case "path" -> mainPath = f.length > 1 ? f[1] : "";
                case "mod" -> {
                    if (f.length > 2) {
                        modules.put("main:" + f[1], new String[] {f[1], f[2], "main"});
                    }
                }
                case "dep" -> {
                    if (f.length > 2) {
                        last = new String[] {f[1], f[2], "dep"};
                        modules.put(f[1], last);
                    }
                }
                case "=>" -> {
                    if (last != null && f.length > 2) {
                        modules.put(last[0], new String[] {f[1], f[2], "replaced " + last[0] + "@" + last[1]});
                    }
                }
                default -> {}
            }
        }
        List<Package> packages = new ArrayList<>();
        for (String[] m : modules.values()) {
            if (m[1].equals("(devel)") || m[1].isEmpty() || !Purls.hasName(m[0])) {
                continue;
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("goToolchain", raw.goVersion());
            if (m[2].equals("main")) {
                metadata.put("mainModule", "true");
            } else if (m[2].startsWith("replaced")) {
                metadata.put("replaces", m[2].substring("replaced ".length()));
            }
            packages.add(pkg(m[0], m[1], path, metadata));
        }
        String stdlib = raw.goVersion().startsWith("go") ? raw.goVersion().substring(2) : raw.goVersion();
        int space = stdlib.indexOf(' ');
        if (space > 0) {
            stdlib = stdlib.substring(0, space); // "go1.22.1 X:boringcrypto"
        }
        if (!stdlib.isEmpty()) {
            packages.add(pkg(
                    "stdlib", "v" + stdlib, path, Map.of("goToolchain", raw.goVersion(), "mainModulePath", mainPath)));
        }
        return packages;
    }

    private Package pkg(String module, String version, String path, Map<String, String> metadata) {
        return new Package(
                Ecosystem.GO,
                module,
                version,
                Purls.scoped(Ecosystem.GO, module, version),
                List.of(Location.of(path)),
                null,
                null,
                name(),
                metadata);
    }
}
