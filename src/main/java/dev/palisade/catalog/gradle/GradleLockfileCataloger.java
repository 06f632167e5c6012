package dev.palisade.catalog.gradle;

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
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gradle's dependency lock files: one {@code group:name:version=configuration,...} line per module, comments,
 * and one {@code empty=configuration,...} line naming the locked configurations that resolve to nothing.
 * {@code buildscript-gradle.lockfile} locks the build script's own classpath.
 */
public final class GradleLockfileCataloger extends FileCataloger {
    private static final Pattern LINE = Pattern.compile("([^:=\\s]+):([^:=\\s]+):([^:=\\s]+)=([^=\\s]*)");
    private static final Pattern EMPTY = Pattern.compile("empty=([^=\\s]*)");

    @Override
    public String name() {
        return "gradle-lockfile";
    }

    @Override
    public boolean wants(FileEntry file) {
        return isNamed(file, "gradle.lockfile") || isNamed(file, "buildscript-gradle.lockfile");
    }

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) {
        boolean buildscript = path.endsWith("buildscript-gradle.lockfile");
        List<Package> packages = new ArrayList<>();
        String[] lines = TextDecoding.completeLines(TextDecoding.utf8(bytes), path, context)
                .split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || EMPTY.matcher(line).matches()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                context.problem(
                        path,
                        "line " + (i + 1) + " is not group:name:version=configurations: not a lock file as Gradle "
                                + "writes it; nothing read from it");
                return List.of();
            }
            if (!Purls.isMavenCoordinate(m.group(1), m.group(2))) {
                context.problem(
                        path,
                        "line " + (i + 1) + ": " + m.group(1) + ":" + m.group(2)
                                + " makes no Package URL (an empty segment between slashes); left out");
                continue;
            }
            Map<String, String> metadata = new TreeMap<>();
            metadata.put("groupId", m.group(1));
            metadata.put("artifactId", m.group(2));
            metadata.put("scope", m.group(4));
            if (buildscript) {
                metadata.put("buildscript", "true");
            }
            packages.add(pkg(
                    Ecosystem.MAVEN,
                    m.group(1) + ":" + m.group(2),
                    m.group(3),
                    Purls.of(Ecosystem.MAVEN, m.group(1), m.group(2), m.group(3)),
                    path,
                    metadata));
        }
        return packages;
    }
}
