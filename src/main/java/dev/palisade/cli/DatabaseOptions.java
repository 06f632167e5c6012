package dev.palisade.cli;

import dev.palisade.vulndb.HttpMirror;
import dev.palisade.vulndb.Mirror;
import dev.palisade.vulndb.kev.KevCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Where the vulnerability database lives and where it is updated from. */
final class DatabaseOptions {
    static final String DEFAULT_OSV = "https://osv-vulnerabilities.storage.googleapis.com/";

    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description =
                    "Where the vulnerability database is kept (default: $PALISADE_CACHE_DIR, else $XDG_CACHE_HOME/palisade, else ~/.cache/palisade).")
    @Nullable
    Path cacheDir;

    @Option(
            names = "--db-mirror",
            paramLabel = "URL|DIR",
            description =
                    "OSV export to update from: an http(s) URL or a directory laid out like it (default: $PALISADE_DB_MIRROR, else the online OSV export).")
    String dbMirror;

    @Option(
            names = "--kev-source",
            paramLabel = "URL|FILE",
            description =
                    "CISA KEV catalog (default: $PALISADE_KEV_SOURCE, else kev/known_exploited_vulnerabilities.json beside a mirror directory, else CISA's feed).")
    String kevSource;

    @Option(
            names = "--db-max-age",
            paramLabel = "DURATION",
            defaultValue = "24h",
            description =
                    "Update the database before a scan when it is older than this (default: ${DEFAULT-VALUE}), or when "
                            + "it was built from another mirror or KEV catalog than the one --db-mirror/--kev-source names.")
    String maxAge;

    @Option(names = "--skip-db-update", description = "Use the database as it is.")
    boolean skipUpdate;

    @Option(names = "--offline", description = "Never use the network (implies --skip-db-update).")
    boolean offline;

    Path cacheDirectory(Map<String, String> env) {
        if (cacheDir != null) {
            return cacheDir;
        }
        if (env.get("PALISADE_CACHE_DIR") != null) {
            return Paths.get(env.get("PALISADE_CACHE_DIR"));
        }
        if (env.get("XDG_CACHE_HOME") != null) {
            return Paths.get(env.get("XDG_CACHE_HOME"), "palisade");
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "palisade");
    }

    String mirrorLocation(Map<String, String> env) {
        if (dbMirror != null) {
            return dbMirror;
        }
        return env.getOrDefault("PALISADE_DB_MIRROR", DEFAULT_OSV);
    }

    /** Whether the user chose the mirror ({@code --db-mirror} or {@code $PALISADE_DB_MIRROR}). */
    boolean mirrorConfigured(Map<String, String> env) {
        return dbMirror != null || env.get("PALISADE_DB_MIRROR") != null;
    }

    /** Whether the user chose the KEV catalog ({@code --kev-source} or {@code $PALISADE_KEV_SOURCE}). */
    boolean kevConfigured(Map<String, String> env) {
        return kevSource != null || env.get("PALISADE_KEV_SOURCE") != null;
    }

    Mirror mirror(Map<String, String> env) {
        return Mirror.of(mirrorLocation(env), HttpMirror.Settings.defaults());
    }

    /** The KEV catalog's location, split into a mirror and a file name. */
    Optional<String[]> kevLocation(Map<String, String> env) {
        String location = kevSource != null ? kevSource : env.get("PALISADE_KEV_SOURCE");
        if (location == null) {
            Optional<Path> mirrorDir = Mirror.asDirectory(mirrorLocation(env));
            if (mirrorDir.isPresent()) {
                Path beside = mirrorDir
                        .get()
                        .toAbsolutePath()
                        .normalize()
                        .resolveSibling("kev")
                        .resolve("known_exploited_vulnerabilities.json");
                if (!Files.isRegularFile(beside)) {
                    return Optional.empty();
                }
                location = beside.toString();
            } else {
                location = KevCatalog.DEFAULT_URL;
            }
        }
        int slash = location.lastIndexOf('/');
        if (slash < 0) {
            return Optional.of(new String[] {".", location});
        }
        return Optional.of(new String[] {location.substring(0, slash + 1), location.substring(slash + 1)});
    }

    Duration maxAge() {
        return ScanCommand.parseDuration(maxAge);
    }

    boolean updatesAllowed() {
        return !skipUpdate && !offline;
    }
}
