package dev.palisade.catalog.rust;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.Purls;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code Cargo.lock}: every {@code [[package]]}; crates without a {@code source} are the workspace's own and marked so. */
public final class CargoLockCataloger extends FileCataloger {
    @Override
    public String name() {
        return "cargo-lock";
    }

    @Override
    public boolean wants(FileEntry file) {
        return isNamed(file, "Cargo.lock");
    }

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) throws IOException {
        List<Package> packages = new ArrayList<>();
        for (JsonNode node : StructuredText.toml(bytes).path("package")) {
            String name = StructuredText.text(node, "name");
            String version = StructuredText.text(node, "version");
            if (name.isEmpty() || version.isEmpty()) {
                context.problem(path, "a [[package]] has no name or no version; skipped");
                continue;
            }
            String source = StructuredText.text(node, "source");
            packages.add(pkg(
                    Ecosystem.CARGO,
                    name,
                    version,
                    Purls.of(Ecosystem.CARGO, null, name, version),
                    path,
                    source.isEmpty() ? Map.of("workspaceMember", "true") : Map.of("source", source)));
        }
        return packages;
    }
}
