package dev.palisade.catalog.apk;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.MalformedLines;
import dev.palisade.catalog.TextDecoding;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Alpine packages from {@code lib/apk/db/installed}: blank-line separated records of {@code K:value}
 * lines ({@code P} name, {@code V} version, {@code A} architecture, {@code o} origin, the source package).
 */
public final class ApkInstalledCataloger extends FileCataloger {
    public static final String PATH = "lib/apk/db/installed";

    @Override
    public String name() {
        return "apk-installed";
    }

    @Override
    public boolean wants(FileEntry file) {
        return file.path().equals(PATH);
    }

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) {
        List<Package> packages = new ArrayList<>();
        Map<String, String> record = new HashMap<>();
        int lineNumber = 0;
        int recordStart = 1;
        MalformedLines malformed = new MalformedLines(path, context);
        for (String line :
                (TextDecoding.completeLines(TextDecoding.utf8(bytes), path, context) + "\n\n").split("\n", -1)) {
            lineNumber++;
            if (line.isBlank()) {
                if (!record.isEmpty()) {
                    add(record, recordStart, path, packages, context);
                    record = new HashMap<>();
                }
                recordStart = lineNumber + 1;
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != ':') {
                malformed.add(lineNumber, "malformed: line " + lineNumber + " is not a 'K:value' line");
                continue;
            }
            record.putIfAbsent(line.substring(0, 1), line.substring(2));
        }
        malformed.finish();
        return packages;
    }

    private void add(
            Map<String, String> record, int line, String path, List<Package> packages, CatalogContext context) {
        String name = record.getOrDefault("P", "");
        String version = record.getOrDefault("V", "");
        if (name.isEmpty() || version.isEmpty()) {
            context.problem(path, "record at line " + line + " has no P (name) or no V (version); skipped");
            return;
        }
        String origin = record.getOrDefault("o", name);
        Map<String, String> metadata = new HashMap<>();
        if (record.containsKey("A")) {
            metadata.put("arch", record.get("A"));
        }
        String license = record.getOrDefault("L", "").strip();
        packages.add(new Package(
                Ecosystem.ALPINE,
                name,
                version,
                "",
                List.of(Location.of(path)),
                origin,
                version,
                name(),
                metadata,
                license.isEmpty() ? List.of() : List.of(license)));
    }
}
