package dev.palisade.vulndb.sqlite;

import dev.palisade.vulndb.DatabaseChanges;
import dev.palisade.vulndb.PackageKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Compares two database files in SQL, the older one attached to the newer: advisories by id, source and
 * (deflated) body, affected rows as (ecosystem, name, advisory id) tuples, KEV rows whole. Only the changed
 * keys reach the Java heap, and at most {@link #DEFAULT_MAX_PACKAGES} of them: past that, everything changed.
 * Both files are opened read-only, so comparing creates no file beside them.
 */
public final class DatabaseDiff {
    /** Past this many changed packages, listing them costs more than it saves: everything changed. */
    public static final int DEFAULT_MAX_PACKAGES = 100_000;

    /**
     * A package's lookup answers differently when its (ecosystem, name, advisory id) rows differ, which covers
     * advisories added, removed or moved, or when one of the advisories it keeps has another source or body. A
     * body is compared deflated: equal text deflates alike with one zlib, and a different zlib only makes more
     * packages look changed, never fewer.
     */
    private static final String CHANGED_PACKAGES = "WITH changed(id) AS (SELECT n.id FROM main.advisories n"
            + " JOIN old.advisories o ON o.id = n.id WHERE o.source IS NOT n.source OR o.body IS NOT n.body)"
            + " SELECT ecosystem, name FROM main.affected WHERE advisory_id IN (SELECT id FROM changed)"
            + " UNION " + rowsOnlyIn("main", "old")
            + " UNION " + rowsOnlyIn("old", "main");

    /**
     * The packages of affected rows {@code schema} has and {@code other} lacks, each probed in the other's unique
     * index: twice as fast as EXCEPT, which copies one side into a temporary b-tree first.
     */
    private static String rowsOnlyIn(String schema, String other) {
        return "SELECT f.ecosystem, f.name FROM " + schema + ".affected f WHERE NOT EXISTS (SELECT 1 FROM " + other
                + ".affected o WHERE o.ecosystem = f.ecosystem AND o.name = f.name AND o.advisory_id = f.advisory_id)";
    }

    private static final String KEV_COLUMNS = "cve, date_added, due_date, ransomware, name";
    private static final String CHANGED_KEV = "SELECT cve FROM (SELECT " + KEV_COLUMNS + " FROM main.kev"
            + " EXCEPT SELECT " + KEV_COLUMNS + " FROM old.kev)"
            + " UNION SELECT cve FROM (SELECT " + KEV_COLUMNS + " FROM old.kev"
            + " EXCEPT SELECT " + KEV_COLUMNS + " FROM main.kev)";

    private DatabaseDiff() {}

    /**
     * What matching would see differently in {@code after} than in {@code before}. Everything, when there is
     * no {@code before}, or it is unreadable or of another schema.
     *
     * @throws IOException when {@code after} cannot be read
     */
    public static DatabaseChanges between(Path before, Path after) throws IOException {
        return between(before, after, DEFAULT_MAX_PACKAGES);
    }

    static DatabaseChanges between(Path before, Path after, int maxPackages) throws IOException {
        if (!Files.isRegularFile(before)) {
            return DatabaseChanges.everything("no previous database");
        }
        if (!Files.isRegularFile(after)) {
            throw new IOException("no vulnerability database at " + after);
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + after, readOnly())) {
            String version = schemaVersion(db, "main");
            if (!String.valueOf(Schema.VERSION).equals(version)) {
                throw new IOException(after + " was written by another version of Palisade");
            }
            String previousVersion;
            try {
                try (Statement s = db.createStatement()) {
                    s.execute("ATTACH DATABASE '" + before.toString().replace("'", "''") + "' AS old");
                }
                previousVersion = schemaVersion(db, "old");
            } catch (SQLException e) {
                return DatabaseChanges.everything("the previous database is unreadable: " + e.getMessage());
            }
            if (!String.valueOf(Schema.VERSION).equals(previousVersion)) {
                return DatabaseChanges.everything("the previous database has another schema (version " + previousVersion
                        + ", now " + Schema.VERSION + ")");
            }
            Set<PackageKey> packages = new TreeSet<>();
            try (Statement s = db.createStatement();
                    ResultSet r = s.executeQuery(CHANGED_PACKAGES)) {
                while (r.next()) {
                    if (packages.size() == maxPackages) {
                        return DatabaseChanges.everything("more than " + maxPackages + " packages changed");
                    }
                    packages.add(new PackageKey(r.getString(1), r.getString(2)));
                }
            }
            Set<String> ecosystems = SqliteVulnerabilityStore.ecosystems(db, "main");
            Set<String> previousEcosystems = SqliteVulnerabilityStore.ecosystems(db, "old");
            Set<String> ecosystemChanges = new TreeSet<>(ecosystems);
            ecosystemChanges.addAll(previousEcosystems);
            ecosystemChanges.removeIf(e -> ecosystems.contains(e) && previousEcosystems.contains(e));
            Set<String> kev = new TreeSet<>();
            try (Statement s = db.createStatement();
                    ResultSet r = s.executeQuery(CHANGED_KEV)) {
                while (r.next()) {
                    kev.add(r.getString(1));
                }
            }
            return DatabaseChanges.of(packages, ecosystemChanges, kev);
        } catch (SQLException e) {
            throw new IOException("cannot compare the vulnerability databases: " + e.getMessage(), e);
        }
    }

    private static Properties readOnly() {
        Properties properties = new Properties();
        properties.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        return properties;
    }

    private static @Nullable String schemaVersion(Connection db, String schema) throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("SELECT value FROM " + schema + ".meta WHERE key = 'schema_version'")) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
