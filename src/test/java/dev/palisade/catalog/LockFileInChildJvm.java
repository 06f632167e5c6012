package dev.palisade.catalog;

import dev.palisade.catalog.dotnet.DotnetCataloger;
import dev.palisade.catalog.npm.PackageLockCataloger;
import dev.palisade.catalog.npm.PnpmLockCataloger;
import dev.palisade.catalog.php.ComposerLockCataloger;
import dev.palisade.catalog.python.PythonLockCataloger;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.Problem;
import dev.palisade.source.ScanLimits;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Catalogs one lock file in a JVM of its own, so that a test can give it a small heap: prints each package as
 * {@code name@version} (then {@code dev} when marked so), and each problem after {@code problem }.
 *
 * <p>Arguments: the file, and the path it has in the scanned tree (its name chooses the cataloger).
 */
public final class LockFileInChildJvm {
    private LockFileInChildJvm() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String path = args[1];
        Map<String, Cataloger> byName = Map.of(
                "package-lock.json", new PackageLockCataloger(),
                "composer.lock", new ComposerLockCataloger(),
                "pnpm-lock.yaml", new PnpmLockCataloger(),
                "Pipfile.lock", new PythonLockCataloger(),
                "packages.lock.json", new DotnetCataloger(true));
        Cataloger cataloger = byName.get(path.substring(path.lastIndexOf('/') + 1));
        long size = Files.size(file);
        List<Problem> problems = new ArrayList<>();
        List<Package> packages;
        try (InputStream in = Files.newInputStream(file)) {
            packages = cataloger.catalog(
                    new FileEntry(path, FileKind.FILE, size, 0644, 0, 0, null, 0),
                    in,
                    new CatalogContext(ScanLimits.defaults(), problems::add, null));
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        for (Package p : packages) {
            out.println(
                    p.name() + "@" + p.version() + ("true".equals(p.metadata().get("dev")) ? " dev" : ""));
        }
        for (Problem p : problems) {
            out.println("problem " + p.reason());
        }
        out.flush();
    }
}
