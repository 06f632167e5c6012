package dev.palisade.catalog.dotnet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.Purls;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.StreamedDocument;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * .NET: {@code *.deps.json} written beside a built application (the {@code libraries} of type
 * {@code package}), and NuGet's {@code packages.lock.json} (the resolved version of each dependency
 * of each target framework).
 */
public final class DotnetCataloger extends FileCataloger {
    private final boolean lockFiles;

    /** @param lockFiles whether to read {@code packages.lock.json} too, not only what a built app ships */
    public DotnetCataloger(boolean lockFiles) {
        this.lockFiles = lockFiles;
    }

    @Override
    public String name() {
        return lockFiles ? "nuget-lock" : "dotnet-deps";
    }

    @Override
    public boolean wants(FileEntry file) {
        return lockFiles ? isNamed(file, "packages.lock.json") : file.name().endsWith(".deps.json");
    }

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) throws IOException {
        // one entry at a time: the lock file of a large solution is tens of megabytes
        StreamedDocument document = StructuredText.jsonStream(bytes);
        Set<String> found = new LinkedHashSet<>();
        if (path.endsWith(".deps.json")) {
            found.addAll(document.members(List.of("libraries"), (key, parser) -> {
                int slash = key.indexOf('/');
                return StructuredText.text(StructuredText.treeOf(parser), "type")
                                        .equals("package")
                                && slash > 0
                        ? key.substring(0, slash) + "\u0000" + key.substring(slash + 1)
                        : null;
            }));
        } else {
            for (List<String> framework : document.elements(
                    List.of("dependencies"),
                    (name, frameworkParser) -> StreamedDocument.members(frameworkParser, (key, parser) -> {
                        JsonNode dependency = StructuredText.treeOf(parser);
                        String version = StructuredText.text(dependency, "resolved");
                        return !version.isEmpty()
                                        && !StructuredText.text(dependency, "type")
                                                .equals("Project")
                                ? key + "\u0000" + version
                                : null;
                    }))) {
                found.addAll(framework);
            }
        }
        List<Package> packages = new ArrayList<>();
        for (String key : found) {
            String[] parts = key.split("\u0000", -1);
            if (!Purls.hasName(parts[0]) || parts[1].isEmpty()) {
                context.problem(path, "package '" + parts[0] + "' has no valid name or no version; skipped");
                continue;
            }
            packages.add(pkg(
                    Ecosystem.NUGET,
                    parts[0],
                    parts[1],
                    Purls.of(Ecosystem.NUGET, null, parts[0], parts[1]),
                    path,
                    Map.of()));
        }
        return packages;
    }
}
