package dev.palisade.testing;

import dev.palisade.vulndb.DirectoryMirror;
import dev.palisade.vulndb.sqlite.DatabaseUpdater;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * A real vulnerability database built once per test JVM, in a temporary cache directory, from the
 * pinned advisory data in src/test/resources/vulndata: real records selected from ../shared/vulndata,
 * in the same OSV layout the online export has. The shared data keeps being refreshed; tests assert
 * on this copy, which changes only when it is regenerated on purpose (see its PROVENANCE.md).
 */
public final class TestDatabase {
    private static final Path PINNED =
            Paths.get("src/test/resources/vulndata").toAbsolutePath().normalize();
    private static Path cache;

    private TestDatabase() {}

    public static synchronized Path cacheDirectory() throws IOException {
        if (cache == null) {
            Path directory = Files.createTempDirectory("palisade-test-db-");
            DirectoryMirror osv = new DirectoryMirror(mirror());
            DirectoryMirror kev = new DirectoryMirror(PINNED.resolve("kev"));
            new DatabaseUpdater(directory, Scans.FIXED, m -> {})
                    .update(osv, kev, "known_exploited_vulnerabilities.json", osv.ecosystems(), false);
            cache = directory;
        }
        return cache;
    }

    /** The pinned OSV mirror ({@code <Ecosystem>/all.zip}); its KEV catalog is in {@code ../kev}. */
    public static Path mirror() {
        return PINNED.resolve("osv");
    }

    public static Path databaseFile() throws IOException {
        return cacheDirectory().resolve(DatabaseUpdater.DATABASE_FILE);
    }

    public static List<String> offlineArgs() throws IOException {
        return List.of("--cache-dir", cacheDirectory().toString(), "--skip-db-update");
    }
}
