package dev.palisade.testing;

import dev.palisade.vulndb.DirectoryMirror;
import dev.palisade.vulndb.sqlite.DatabaseUpdater;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real vulnerability database built once per test JVM from ../shared/vulndata (the same OSV layout
 * the online export has), in a temporary cache directory.
 */
public final class TestDatabase {
    private static Path cache;

    private TestDatabase() {}

    public static synchronized Path cacheDirectory() throws IOException {
        if (cache == null) {
            Path directory = Files.createTempDirectory("palisade-test-db-");
            DirectoryMirror osv = new DirectoryMirror(mirror());
            DirectoryMirror kev = new DirectoryMirror(Scans.shared().resolve("vulndata/kev"));
            new DatabaseUpdater(directory, Scans.FIXED, m -> {})
                    .update(osv, kev, "known_exploited_vulnerabilities.json", osv.ecosystems(), false);
            cache = directory;
        }
        return cache;
    }

    public static Path mirror() {
        return Scans.shared().resolve("vulndata/osv").toAbsolutePath().normalize();
    }

    public static Path databaseFile() throws IOException {
        return cacheDirectory().resolve(DatabaseUpdater.DATABASE_FILE);
    }

    public static List<String> offlineArgs() throws IOException {
        return List.of("--cache-dir", cacheDirectory().toString(), "--skip-db-update");
    }
}
