package dev.palisade.catalog.dpkg;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.Cataloger;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.MalformedLines;
import dev.palisade.catalog.TextDecoding;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.LimitedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian and Ubuntu packages from {@code var/lib/dpkg/status} and, as distroless images keep them,
 * the files of {@code var/lib/dpkg/status.d/}. A package counts when its files are on disk: every
 * status but {@code not-installed} and {@code config-files}. The purl is completed with the
 * distribution once os-release is known.
 */
public final class DpkgStatusCataloger implements Cataloger {
    public static final String STATUS = "var/lib/dpkg/status";
    private static final String STATUS_D = "var/lib/dpkg/status.d/";
    private static final Set<String> ABSENT = Set.of("not-installed", "config-files");
    private static final Pattern SOURCE = Pattern.compile("^(\\S+)(?:\\s+\\((\\S+)\\))?$");

    @Override
    public String name() {
        return "dpkg-status";
    }

    @Override
    public boolean wants(FileEntry file) {
        String path = file.path();
        if (path.equals(STATUS)) {
            return true;
        }
        return path.startsWith(STATUS_D) && path.indexOf('/', STATUS_D.length()) < 0 && !path.endsWith(".md5sums");
    }

    @Override
    public List<Package> catalog(FileEntry file, InputStream content, CatalogContext context) throws IOException {
        byte[] bytes = LimitedInputStream.readAll(content, context.limits().maxFileBytes(), file.path());
        if (!TextDecoding.isValidUtf8(bytes)) {
            context.problem(file.path(), "holds invalid UTF-8; invalid bytes were replaced");
        }
        if (FileCataloger.isBlank(bytes)) {
            context.problem(file.path(), "is empty; no packages read from it");
            return List.of();
        }
        DpkgStatusParser.Result parsed =
                DpkgStatusParser.parse(TextDecoding.completeLines(TextDecoding.utf8(bytes), file.path(), context));
        MalformedLines malformed = new MalformedLines(file.path(), context);
        for (DpkgStatusParser.MalformedLine m : parsed.malformedLines()) {
            malformed.add(m.line(), "malformed: " + m);
        }
        malformed.finish();
        boolean statusDirectory = !file.path().equals(STATUS);
        List<Package> packages = new ArrayList<>();
        for (DpkgStatusParser.Stanza stanza : parsed.stanzas()) {
            String name = stanza.get("Package");
            String version = stanza.get("Version");
            if (name.isEmpty() || version.isEmpty()) {
                context.problem(
                        file.path(), "stanza at line " + stanza.line() + " has no Package or no Version; skipped");
                continue;
            }
            if (!statusDirectory && !isPresent(stanza.get("Status"))) {
                continue;
            }
            String sourceName = name;
            String sourceVersion = version;
            String source = stanza.get("Source");
            if (!source.isEmpty()) {
                Matcher m = SOURCE.matcher(source);
                if (m.matches()) {
                    sourceName = m.group(1);
                    if (m.group(2) != null) {
                        sourceVersion = m.group(2);
                    }
                } else {
                    context.problem(file.path(), "package " + name + ": unreadable Source field '" + source + "'");
                }
            }
            Map<String, String> metadata = new TreeMap<>();
            String arch = stanza.get("Architecture");
            if (!arch.isEmpty()) {
                metadata.put("arch", arch);
            }
            packages.add(new Package(
                    Ecosystem.DEBIAN,
                    name,
                    version,
                    "",
                    List.of(Location.of(file.path())),
                    sourceName,
                    sourceVersion,
                    name(),
                    metadata));
        }
        return packages;
    }

    /** The third word of {@code Status: want flag status}. */
    static boolean isPresent(String status) {
        String[] words = status.trim().split("\\s+");
        if (words.length != 3) {
            return false;
        }
        return !ABSENT.contains(words[2]);
    }
}
