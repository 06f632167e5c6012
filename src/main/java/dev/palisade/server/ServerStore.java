package dev.palisade.server;

import dev.palisade.checks.Misconfiguration;
import dev.palisade.match.Finding;
import dev.palisade.report.ScanReport;
import dev.palisade.vulndb.PackageKey;
import dev.palisade.vulndb.VulnerabilityStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The server's storage of applications, targets, stored inventories (CycloneDX) and their findings
 * with the history of each, on SQLite or PostgreSQL ({@link Storage}). Every write that belongs together
 * runs in one transaction.
 */
public final class ServerStore {
    private final DataSource dataSource;
    private final Storage.Dialect dialect;

    public ServerStore(DataSource dataSource, Storage.Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** A value the server keeps about itself, e.g. the version that last matched. */
    public Optional<String> meta(String key) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("SELECT value FROM server_meta WHERE key = ?")) {
            q.setString(1, key);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    public void setMeta(String key, String value) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement d = c.prepareStatement("DELETE FROM server_meta WHERE key = ?")) {
                    d.setString(1, key);
                    d.executeUpdate();
                }
                try (PreparedStatement i = c.prepareStatement("INSERT INTO server_meta (key, value) VALUES (?, ?)")) {
                    i.setString(1, key);
                    i.setString(2, value);
                    i.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Whether the database answers. */
    public boolean healthy() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            return s.execute("SELECT 1");
        } catch (SQLException e) {
            return false;
        }
    }

    /** Where a stored inventory comes from. */
    public record TargetRef(String application, String name, String model, String kind, String reference) {}

    /**
     * An inventory to store, with when and by whom it was submitted and the database it was matched with;
     * {@code misconfigurations} is null when no check ran (an uploaded SBOM).
     */
    public record NewScan(
            TargetRef target,
            String cycloneDx,
            String packageDigest,
            int packageCount,
            Instant submittedAt,
            String submittedBy,
            ScanReport.DatabaseInfo database,
            Set<PackageKey> packageKeys,
            @Nullable List<Misconfiguration> misconfigurations) {
        public NewScan {
            packageKeys = Set.copyOf(packageKeys);
            misconfigurations = misconfigurations == null ? null : List.copyOf(misconfigurations);
        }
    }

    /** A stored inventory, for matching again. */
    public record StoredInventory(long scanId, String target, String cycloneDx) {}

    /** A finding that appeared, went away or came back with one match. */
    public record ChangedFinding(
            String vulnerabilityId,
            String purl,
            String packageName,
            String packageVersion,
            String severity,
            @Nullable String fixedVersion,
            String title,
            @Nullable String kevDueDate,
            Instant firstSeen) {
        static ChangedFinding of(Finding f, String purl, Instant firstSeen) {
            return new ChangedFinding(
                    f.id(),
                    purl,
                    f.pkg().name(),
                    f.pkg().version(),
                    f.severity().name(),
                    f.nearestFix(),
                    f.title() == null ? "" : f.title(),
                    ServerStore.kevDueDate(f),
                    firstSeen);
        }
    }

    /** What recording one match changed, for one target. */
    public record Changes(
            String application,
            String target,
            String model,
            List<ChangedFinding> added,
            List<ChangedFinding> resolved,
            List<ChangedFinding> reopened) {
        public Changes {
            added = List.copyOf(added);
            resolved = List.copyOf(resolved);
            reopened = List.copyOf(reopened);
        }

        boolean isEmpty() {
            return added.isEmpty() && resolved.isEmpty() && reopened.isEmpty();
        }
    }

    /** One finding as stored. */
    public record FindingRow(
            long scanId,
            String target,
            String model,
            String vulnerabilityId,
            String purl,
            String packageName,
            String packageVersion,
            String severity,
            String status,
            @Nullable String fixedVersion,
            String title,
            Instant firstSeen,
            @Nullable Instant resolvedAt) {}

    public record ApplicationSummary(String name, Instant createdAt, int targets, int openFindings) {}

    public record ScanRecord(
            long id,
            String application,
            String target,
            String model,
            String kind,
            String reference,
            int packageCount,
            Instant submittedAt,
            String submittedBy,
            Instant matchedAt,
            String databaseBuiltAt,
            String databaseSources,
            int findingCount,
            List<FindingRow> findings) {}

    /** A stored scan, and what it changed against the target's previous one. */
    public record SavedScan(long scanId, Changes changes) {}

    /** More to write in the transaction that stores a scan (a job marked done with it). */
    @FunctionalInterface
    public interface BeforeCommit {
        /** Throws to roll the whole scan back. */
        void run(Connection c, long scanId) throws SQLException;

        BeforeCommit NOTHING = (c, scanId) -> {};
    }

    /** Stores the scan (creating its application and target when new) and its findings. */
    public SavedScan saveScan(NewScan scan, List<Finding> findings) throws SQLException {
        return saveScan(scan, findings, BeforeCommit.NOTHING);
    }

    /** Stores the scan and its findings, and what {@code beforeCommit} writes, in one transaction. */
    public SavedScan saveScan(NewScan scan, List<Finding> findings, BeforeCommit beforeCommit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long application = applicationId(c, scan.target().application(), scan.submittedAt());
                // the upsert locks the target's row: two uploads for one target are stored one after the other
                long target = targetId(c, application, scan.target(), scan.submittedAt());
                Long previousScanId = null;
                try (PreparedStatement q = c.prepareStatement("SELECT latest_scan_id FROM targets WHERE id = ?")) {
                    q.setLong(1, target);
                    try (ResultSet r = q.executeQuery()) {
                        if (r.next()) {
                            long id = r.getLong(1);
                            previousScanId = r.wasNull() ? null : id;
                        }
                    }
                }
                long scanId;
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO scans (target_id, inventory_cyclonedx,"
                        + " package_digest, package_count, submitted_at, submitted_by, matched_at, database_built_at,"
                        + " database_sources, checks_ran) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                    insert.setLong(1, target);
                    insert.setString(2, scan.cycloneDx());
                    insert.setString(3, scan.packageDigest());
                    insert.setInt(4, scan.packageCount());
                    insert.setTimestamp(5, Timestamp.from(scan.submittedAt()));
                    insert.setString(6, scan.submittedBy());
                    insert.setTimestamp(7, Timestamp.from(scan.submittedAt()));
                    insert.setString(8, scan.database().builtAt());
                    insert.setString(9, String.join("\n", scan.database().sources()));
                    insert.setBoolean(10, scan.misconfigurations() != null);
                    scanId = single(insert);
                }
                try (PreparedStatement latest =
                        c.prepareStatement("UPDATE targets SET latest_scan_id = ? WHERE id = ?")) {
                    latest.setLong(1, scanId);
                    latest.setLong(2, target);
                    latest.executeUpdate();
                }
                savePackageKeys(c, scanId, scan.packageKeys());
                if (scan.misconfigurations() != null) {
                    saveMisconfigurations(c, scanId, scan.misconfigurations());
                }
                Changes changes = record(
                        c,
                        scanId,
                        targetNames(c, target),
                        findings,
                        scan.submittedAt(),
                        scan.database().builtAt(),
                        previousScanId);
                beforeCommit.run(c, scanId);
                c.commit();
                return new SavedScan(scanId, changes);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void saveMisconfigurations(Connection c, long scanId, List<Misconfiguration> misconfigurations)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO misconfigurations (scan_id, check_id, severity,"
                + " title, path, line, message) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Misconfiguration m : misconfigurations) {
                insert.setLong(1, scanId);
                insert.setString(2, m.check().id());
                insert.setString(3, m.check().severity().name());
                insert.setString(4, m.check().title());
                insert.setString(5, m.path());
                insert.setInt(6, m.line());
                insert.setString(7, m.message());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** A stored configuration check finding. */
    public record StoredMisconfiguration(
            String checkId, String severity, String title, String path, int line, String message) {}

    public List<StoredMisconfiguration> misconfigurations(long scanId) throws SQLException {
        List<StoredMisconfiguration> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("SELECT check_id, severity, title, path, line, message"
                        + " FROM misconfigurations WHERE scan_id = ? ORDER BY id")) {
            q.setLong(1, scanId);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(new StoredMisconfiguration(
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getInt(5),
                            r.getString(6)));
                }
            }
        }
        return out;
    }

    private static Set<PackageKey> packageKeys(Connection c, long scanId) throws SQLException {
        Set<PackageKey> keys = new java.util.HashSet<>();
        try (PreparedStatement q = c.prepareStatement("SELECT ecosystem, name FROM scan_packages WHERE scan_id = ?")) {
            q.setLong(1, scanId);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    keys.add(new PackageKey(r.getString(1), r.getString(2)));
                }
            }
        }
        return keys;
    }

    private static void savePackageKeys(Connection c, long scanId, Set<PackageKey> keys) throws SQLException {
        try (PreparedStatement insert =
                c.prepareStatement("INSERT INTO scan_packages (scan_id, ecosystem, name) VALUES (?, ?, ?)")) {
            int batched = 0;
            for (PackageKey key : keys) {
                insert.setLong(1, scanId);
                insert.setString(2, key.ecosystem());
                insert.setString(3, key.name());
                insert.addBatch();
                if (++batched % 500 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
    }

    /** The ids of the newest stored inventory of every target: what a new database is matched against. */
    public List<Long> latestScanIds() throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "SELECT latest_scan_id FROM targets WHERE latest_scan_id IS NOT NULL ORDER BY id");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                out.add(r.getLong(1));
            }
        }
        return out;
    }

    /**
     * The ids of the newest stored inventories whose match looked up one of {@code keys}: the only ones
     * a database change of those keys can change.
     */
    public Set<Long> latestScanIdsHolding(Set<PackageKey> keys) throws SQLException {
        Map<String, List<String>> byEcosystem = new TreeMap<>();
        for (PackageKey key : keys) {
            byEcosystem.computeIfAbsent(key.ecosystem(), e -> new ArrayList<>()).add(key.name());
        }
        Set<Long> out = new TreeSet<>();
        try (Connection c = dataSource.getConnection()) {
            for (Map.Entry<String, List<String>> e : byEcosystem.entrySet()) {
                List<String> names = e.getValue();
                for (int from = 0; from < names.size(); from += KEYS_PER_QUERY) {
                    List<String> chunk = names.subList(from, Math.min(names.size(), from + KEYS_PER_QUERY));
                    try (PreparedStatement q = c.prepareStatement("SELECT DISTINCT p.scan_id FROM scan_packages p"
                            + " JOIN targets t ON t.latest_scan_id = p.scan_id WHERE p.ecosystem = ? AND p.name IN ("
                            + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")")) {
                        q.setString(1, e.getKey());
                        for (int i = 0; i < chunk.size(); i++) {
                            q.setString(i + 2, chunk.get(i));
                        }
                        try (ResultSet r = q.executeQuery()) {
                            while (r.next()) {
                                out.add(r.getLong(1));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static final int KEYS_PER_QUERY = 500;

    /** The ids of the newest stored inventories whose match looked anything up in one of {@code ecosystems}. */
    public Set<Long> latestScanIdsInEcosystems(Set<String> ecosystems) throws SQLException {
        Set<Long> out = new TreeSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("SELECT DISTINCT p.scan_id FROM scan_packages p"
                        + " JOIN targets t ON t.latest_scan_id = p.scan_id WHERE p.ecosystem = ?")) {
            for (String ecosystem : ecosystems) {
                q.setString(1, ecosystem);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getLong(1));
                    }
                }
            }
        }
        return out;
    }

    /** The package digest of each of these scans: scans with one digest hold the same packages and match the same. */
    public Map<Long, String> packageDigests(java.util.Collection<Long> scanIds) throws SQLException {
        Map<Long, String> out = new HashMap<>();
        List<Long> ids = new ArrayList<>(scanIds);
        try (Connection c = dataSource.getConnection()) {
            for (int from = 0; from < ids.size(); from += KEYS_PER_QUERY) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + KEYS_PER_QUERY));
                try (PreparedStatement q = c.prepareStatement("SELECT id, package_digest FROM scans WHERE id IN ("
                        + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        q.setLong(i + 1, chunk.get(i));
                    }
                    try (ResultSet r = q.executeQuery()) {
                        while (r.next()) {
                            out.put(r.getLong(1), r.getString(2));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The newest scan of one target, for a portfolio assessment. */
    public record LatestScan(String application, String target, String model, long scanId) {}

    /** The newest scan of every target, by application, model and target. */
    public List<LatestScan> latestScans() throws SQLException {
        List<LatestScan> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("SELECT a.name, t.name, t.deployment_model, t.latest_scan_id"
                        + " FROM targets t JOIN applications a ON a.id = t.application_id"
                        + " WHERE t.latest_scan_id IS NOT NULL ORDER BY a.name, t.deployment_model, t.name");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                out.add(new LatestScan(r.getString(1), r.getString(2), r.getString(3), r.getLong(4)));
            }
        }
        return out;
    }

    /** An open finding as an assessment counts it. */
    public record OpenFinding(String severity, @Nullable String kevDueDate, Instant firstSeen) {}

    /**
     * What an assessment reads of one stored scan: its inventory, its open findings, and the ids of the
     * checks that failed on it (null when no check ran on it); empty when the scan is gone.
     */
    public record ScanForAssessment(
            StoredInventory inventory, List<OpenFinding> openFindings, @Nullable List<String> failedChecks) {}

    public Optional<ScanForAssessment> scanForAssessment(long scanId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            StoredInventory inventory;
            boolean checksRan;
            try (PreparedStatement q = c.prepareStatement("SELECT s.id, t.name, s.inventory_cyclonedx, s.checks_ran"
                    + " FROM scans s JOIN targets t ON t.id = s.target_id WHERE s.id = ?")) {
                q.setLong(1, scanId);
                try (ResultSet r = q.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    inventory = new StoredInventory(r.getLong(1), r.getString(2), r.getString(3));
                    checksRan = r.getBoolean(4);
                }
            }
            List<OpenFinding> findings = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT severity, kev_due_date, first_seen FROM findings"
                    + " WHERE scan_id = ? AND status = 'open' ORDER BY id")) {
                q.setLong(1, scanId);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        findings.add(new OpenFinding(
                                r.getString(1),
                                r.getString(2),
                                r.getTimestamp(3).toInstant()));
                    }
                }
            }
            List<String> checks = null;
            if (checksRan) {
                checks = new ArrayList<>();
                try (PreparedStatement q =
                        c.prepareStatement("SELECT check_id FROM misconfigurations WHERE scan_id = ? ORDER BY id")) {
                    q.setLong(1, scanId);
                    try (ResultSet r = q.executeQuery()) {
                        while (r.next()) {
                            checks.add(r.getString(1));
                        }
                    }
                }
            }
            return Optional.of(new ScanForAssessment(inventory, findings, checks));
        }
    }

    /** One stored inventory, read when it is matched (not all at once: there may be thousands). */
    public Optional<StoredInventory> inventory(long scanId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "SELECT s.id, t.name, s.inventory_cyclonedx FROM scans s JOIN targets t ON t.id = s.target_id WHERE s.id = ?")) {
            q.setLong(1, scanId);
            try (ResultSet r = q.executeQuery()) {
                return r.next()
                        ? Optional.of(new StoredInventory(r.getLong(1), r.getString(2), r.getString(3)))
                        : Optional.empty();
            }
        }
    }

    /**
     * Records a new match of a stored inventory: findings not seen before are added with {@code now} as
     * when they were first seen, findings no longer matched are resolved, and each change is an event.
     */
    public Changes rematched(
            long scanId,
            List<Finding> findings,
            Set<PackageKey> packageKeys,
            Instant now,
            ScanReport.DatabaseInfo database)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long target;
                try (PreparedStatement q =
                        c.prepareStatement("SELECT target_id FROM scans WHERE id = ?" + dialect.lockRows())) {
                    q.setLong(1, scanId);
                    target = single(q);
                }
                Changes changes = record(c, scanId, targetNames(c, target), findings, now, database.builtAt(), null);
                if (!packageKeys(c, scanId).equals(packageKeys)) {
                    try (PreparedStatement d = c.prepareStatement("DELETE FROM scan_packages WHERE scan_id = ?")) {
                        d.setLong(1, scanId);
                        d.executeUpdate();
                    }
                    savePackageKeys(c, scanId, packageKeys);
                }
                try (PreparedStatement u = c.prepareStatement(
                        "UPDATE scans SET matched_at = ?, database_built_at = ?, database_sources = ? WHERE id = ?")) {
                    u.setTimestamp(1, Timestamp.from(now));
                    u.setString(2, database.builtAt());
                    u.setString(3, String.join("\n", database.sources()));
                    u.setLong(4, scanId);
                    u.executeUpdate();
                }
                c.commit();
                return changes;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** One finding per (vulnerability id, package purl): the same package found at two paths is one row. */
    private record Key(String vulnerabilityId, String purl) {}

    private record Existing(long id, String status, ChangedFinding finding) {}

    /** The names a change is reported under. */
    private record TargetNames(long id, String application, String name, String model) {}

    private static TargetNames targetNames(Connection c, long targetId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT a.name, t.name, t.deployment_model FROM targets t"
                + " JOIN applications a ON a.id = t.application_id WHERE t.id = ?")) {
            q.setLong(1, targetId);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("no target with id " + targetId);
                }
                return new TargetNames(targetId, r.getString(1), r.getString(2), r.getString(3));
            }
        }
    }

    /** The findings stored for a scan, by key; only the open ones when {@code openOnly}. */
    private static Map<Key, Existing> storedFindings(Connection c, @Nullable Long scanId, boolean openOnly)
            throws SQLException {
        Map<Key, Existing> stored = new HashMap<>();
        if (scanId == null) {
            return stored;
        }
        try (PreparedStatement q = c.prepareStatement("SELECT id, vulnerability_id, package_purl, status, package_name,"
                + " package_version, severity, fixed_version, title, kev_due_date, first_seen FROM findings WHERE scan_id = ?"
                + (openOnly ? " AND status = 'open'" : ""))) {
            q.setLong(1, scanId);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    stored.put(
                            new Key(r.getString(2), r.getString(3)),
                            new Existing(
                                    r.getLong(1),
                                    r.getString(4),
                                    new ChangedFinding(
                                            r.getString(2),
                                            r.getString(3),
                                            r.getString(5),
                                            r.getString(6),
                                            r.getString(7),
                                            r.getString(8),
                                            r.getString(9),
                                            r.getString(10),
                                            r.getTimestamp(11).toInstant())));
                }
            }
        }
        return stored;
    }

    /**
     * Records a match of scan {@code scanId}. Against its own stored findings (a re-match) a finding not
     * stored is new, a stored one not matched is resolved. For a new scan, {@code previousScanId} is the
     * target's newest scan before it: a finding it had open continues (its first-seen time carries over),
     * and one it had that the new scan lacks is resolved there, so time to fix is a fact of the history.
     */
    private static Changes record(
            Connection c,
            long scanId,
            TargetNames target,
            List<Finding> findings,
            Instant now,
            String databaseBuiltAt,
            @Nullable Long previousScanId)
            throws SQLException {
        Map<Key, Finding> matched = new LinkedHashMap<>();
        for (Finding f : findings) {
            matched.putIfAbsent(new Key(f.id(), purl(f)), f);
        }
        Map<Key, Existing> stored = storedFindings(c, scanId, false);
        Map<Key, Existing> previous = storedFindings(c, previousScanId, true);
        List<ChangedFinding> added = new ArrayList<>();
        List<ChangedFinding> resolved = new ArrayList<>();
        List<ChangedFinding> reopened = new ArrayList<>();
        try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO findings (scan_id, vulnerability_id, package_purl, package_name,"
                                + " package_version, severity, status, fixed_version, title, kev_due_date, first_seen)"
                                + " VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?,"
                                // first seen: the earliest time any inventory of the same target had it, else now
                                + " COALESCE((SELECT min(f.first_seen) FROM findings f WHERE f.scan_id IN (SELECT id FROM"
                                + " scans WHERE target_id = ?) AND f.vulnerability_id = ? AND f.package_purl = ?), ?))"
                                + " RETURNING id, first_seen");
                PreparedStatement refresh =
                        c.prepareStatement("UPDATE findings SET severity = ?, fixed_version = ?, title = ?,"
                                + " kev_due_date = ?, status = 'open', resolved_at = NULL WHERE id = ?");
                PreparedStatement resolve =
                        c.prepareStatement("UPDATE findings SET status = 'resolved', resolved_at = ? WHERE id = ?");
                PreparedStatement event = c.prepareStatement(
                        "INSERT INTO finding_events (finding_id, event, at, database_built_at) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<Key, Finding> e : matched.entrySet()) {
                Finding f = e.getValue();
                Existing existing = stored.get(e.getKey());
                if (existing == null) {
                    insert.setLong(1, scanId);
                    insert.setString(2, f.id());
                    insert.setString(3, e.getKey().purl());
                    insert.setString(4, f.pkg().name());
                    insert.setString(5, f.pkg().version());
                    insert.setString(6, f.severity().name());
                    insert.setString(7, f.nearestFix());
                    insert.setString(8, f.title() == null ? "" : f.title());
                    insert.setString(9, kevDueDate(f));
                    insert.setLong(10, target.id());
                    insert.setString(11, f.id());
                    insert.setString(12, e.getKey().purl());
                    insert.setTimestamp(13, Timestamp.from(now));
                    long id;
                    Instant firstSeen;
                    try (ResultSet r = insert.executeQuery()) {
                        if (!r.next()) {
                            throw new SQLException("the insert returned no row");
                        }
                        id = r.getLong(1);
                        firstSeen = r.getTimestamp(2).toInstant();
                    }
                    if (!previous.containsKey(e.getKey())) {
                        addEvent(event, id, "new", now, databaseBuiltAt);
                        added.add(ChangedFinding.of(f, e.getKey().purl(), firstSeen));
                    }
                } else {
                    ChangedFinding matchedNow = ChangedFinding.of(
                            f, e.getKey().purl(), existing.finding().firstSeen());
                    // a re-match that changes nothing writes nothing: most of thousands of inventories
                    if (!matchedNow.equals(existing.finding())
                            || existing.status().equals("resolved")) {
                        refresh.setString(1, f.severity().name());
                        refresh.setString(2, f.nearestFix());
                        refresh.setString(3, f.title() == null ? "" : f.title());
                        refresh.setString(4, kevDueDate(f));
                        refresh.setLong(5, existing.id());
                        refresh.executeUpdate();
                    }
                    if (existing.status().equals("resolved")) {
                        addEvent(event, existing.id(), "reopened", now, databaseBuiltAt);
                        reopened.add(ChangedFinding.of(
                                f, e.getKey().purl(), existing.finding().firstSeen()));
                    }
                }
            }
            List<Existing> gone = new ArrayList<>();
            for (Map.Entry<Key, Existing> e : stored.entrySet()) {
                if (!matched.containsKey(e.getKey()) && e.getValue().status().equals("open")) {
                    gone.add(e.getValue());
                }
            }
            for (Map.Entry<Key, Existing> e : previous.entrySet()) {
                if (!matched.containsKey(e.getKey())) {
                    gone.add(e.getValue());
                }
            }
            for (Existing finding : gone) {
                resolve.setTimestamp(1, Timestamp.from(now));
                resolve.setLong(2, finding.id());
                resolve.executeUpdate();
                addEvent(event, finding.id(), "resolved", now, databaseBuiltAt);
                resolved.add(finding.finding());
            }
        }
        return new Changes(target.application(), target.name(), target.model(), added, resolved, reopened);
    }

    private static void addEvent(
            PreparedStatement event, long findingId, String what, Instant at, String databaseBuiltAt)
            throws SQLException {
        event.setLong(1, findingId);
        event.setString(2, what);
        event.setTimestamp(3, Timestamp.from(at));
        event.setString(4, databaseBuiltAt);
        event.executeUpdate();
    }

    private static @Nullable String kevDueDate(Finding f) {
        return f.kevEntry()
                .map(VulnerabilityStore.KevEntry::dueDate)
                .filter(d -> !d.isBlank())
                .orElse(null);
    }

    /** The package's purl; a package without one is named by ecosystem, name and version. */
    static String purl(Finding f) {
        return f.pkg().purl().isEmpty()
                ? f.pkg().ecosystem() + ":" + f.pkg().name() + "@" + f.pkg().version()
                : f.pkg().purl();
    }

    public List<ApplicationSummary> applications() throws SQLException {
        List<ApplicationSummary> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "SELECT a.name, a.created_at, (SELECT count(*) FROM targets t WHERE t.application_id = a.id),"
                                + " (SELECT count(*) FROM findings f JOIN targets t ON t.latest_scan_id = f.scan_id"
                                + " WHERE f.status = 'open' AND t.application_id = a.id) FROM applications a ORDER BY a.name");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                out.add(new ApplicationSummary(
                        r.getString(1), r.getTimestamp(2).toInstant(), r.getInt(3), r.getInt(4)));
            }
        }
        return out;
    }

    /**
     * The findings of the newest inventory of each of the application's targets; empty when there is no
     * such application.
     *
     * @param includeResolved whether findings a later match no longer found are listed too
     * @param offset how many findings of the list to skip
     * @param limit the most findings to return
     */
    public Optional<List<FindingRow>> findings(String application, boolean includeResolved, long offset, int limit)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!applicationExists(c, application)) {
                return Optional.empty();
            }
            try (PreparedStatement q = c.prepareStatement(FINDING_COLUMNS
                    + " JOIN applications a ON a.id = t.application_id WHERE t.latest_scan_id = f.scan_id AND a.name = ?"
                    + (includeResolved ? "" : " AND f.status = 'open'") + FINDING_ORDER + ", f.id LIMIT ? OFFSET ?")) {
                q.setString(1, application);
                q.setInt(2, limit);
                q.setLong(3, offset);
                return Optional.of(findingRows(q));
            }
        }
    }

    /** Open findings of one severity in the newest inventory of every target. */
    public int openFindings(String severity) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("SELECT count(*) FROM findings f JOIN targets t"
                        + " ON t.latest_scan_id = f.scan_id WHERE f.status = 'open' AND f.severity = ?")) {
            q.setString(1, severity);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** One stored scan as the application's scan list shows it. */
    public record ScanSummary(
            long id, String target, String model, Instant submittedAt, String submittedBy, String databaseBuiltAt) {}

    /** The application's scans, newest first; empty when there is no such application. */
    public Optional<List<ScanSummary>> scans(String application, long offset, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!applicationExists(c, application)) {
                return Optional.empty();
            }
            List<ScanSummary> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT s.id, t.name, t.deployment_model, s.submitted_at,"
                    + " s.submitted_by, s.database_built_at FROM scans s JOIN targets t ON t.id = s.target_id"
                    + " JOIN applications a ON a.id = t.application_id WHERE a.name = ?"
                    + " ORDER BY s.submitted_at DESC, s.id DESC LIMIT ? OFFSET ?")) {
                q.setString(1, application);
                q.setInt(2, limit);
                q.setLong(3, offset);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.add(new ScanSummary(
                                r.getLong(1),
                                r.getString(2),
                                r.getString(3),
                                r.getTimestamp(4).toInstant(),
                                r.getString(5),
                                r.getString(6)));
                    }
                }
            }
            return Optional.of(out);
        }
    }

    /** An open finding with a patch deadline, not yet announced overdue. */
    public record DeadlineFinding(
            long findingId, String application, String target, String model, ChangedFinding finding) {}

    /**
     * The open findings of the newest inventories that can have a deadline (critical, high, or in KEV)
     * and were not announced overdue yet.
     */
    public List<DeadlineFinding> unannouncedDeadlines() throws SQLException {
        List<DeadlineFinding> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("SELECT f.id, a.name, t.name, t.deployment_model,"
                        + " f.vulnerability_id, f.package_purl, f.package_name, f.package_version, f.severity,"
                        + " f.fixed_version, f.title, f.kev_due_date, f.first_seen FROM findings f"
                        + " JOIN targets t ON t.latest_scan_id = f.scan_id JOIN applications a ON a.id = t.application_id"
                        + " WHERE f.status = 'open' AND (f.severity IN ('CRITICAL', 'HIGH') OR f.kev_due_date IS NOT NULL)"
                        + " AND NOT EXISTS (SELECT 1 FROM overdue_notices n WHERE n.finding_id = f.id) ORDER BY f.id");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                out.add(new DeadlineFinding(
                        r.getLong(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        new ChangedFinding(
                                r.getString(5),
                                r.getString(6),
                                r.getString(7),
                                r.getString(8),
                                r.getString(9),
                                r.getString(10),
                                r.getString(11),
                                r.getString(12),
                                r.getTimestamp(13).toInstant())));
            }
        }
        return out;
    }

    /** Notes that a finding was announced overdue, so it is announced once. */
    public void announcedOverdue(long findingId, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO overdue_notices (finding_id, sent_at) SELECT ?, ? WHERE NOT EXISTS"
                                + " (SELECT 1 FROM overdue_notices WHERE finding_id = ?)")) {
            insert.setLong(1, findingId);
            insert.setTimestamp(2, Timestamp.from(at));
            insert.setLong(3, findingId);
            insert.executeUpdate();
        }
    }

    /** One change in an application's history. */
    public record HistoryEvent(
            Instant at,
            String event,
            String target,
            String model,
            String vulnerabilityId,
            String purl,
            String severity,
            String databaseBuiltAt,
            @Nullable String kevDueDate) {}

    /** The application's finding events, newest first; empty when there is no such application. */
    public Optional<List<HistoryEvent>> history(String application, long offset, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!applicationExists(c, application)) {
                return Optional.empty();
            }
            List<HistoryEvent> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT e.at, e.event, t.name, t.deployment_model,"
                    + " f.vulnerability_id, f.package_purl, f.severity, e.database_built_at, f.kev_due_date FROM finding_events e"
                    + " JOIN findings f ON f.id = e.finding_id JOIN scans s ON s.id = f.scan_id"
                    + " JOIN targets t ON t.id = s.target_id JOIN applications a ON a.id = t.application_id"
                    + " WHERE a.name = ? ORDER BY e.at DESC, e.id DESC LIMIT ? OFFSET ?")) {
                q.setString(1, application);
                q.setInt(2, limit);
                q.setLong(3, offset);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.add(new HistoryEvent(
                                r.getTimestamp(1).toInstant(),
                                r.getString(2),
                                r.getString(3),
                                r.getString(4),
                                r.getString(5),
                                r.getString(6),
                                r.getString(7),
                                r.getString(8),
                                r.getString(9)));
                    }
                }
            }
            return Optional.of(out);
        }
    }

    private static final String FINDING_FIELDS = "SELECT f.scan_id, t.name, t.deployment_model, f.vulnerability_id,"
            + " f.package_purl, f.package_name, f.package_version, f.severity, f.status, f.fixed_version, f.title,"
            + " f.first_seen, f.resolved_at";
    private static final String FINDING_TABLES =
            " FROM findings f JOIN scans s ON s.id = f.scan_id JOIN targets t ON t.id = s.target_id";
    private static final String FINDING_COLUMNS = FINDING_FIELDS + FINDING_TABLES;
    private static final String FINDING_ORDER =
            " ORDER BY t.name, CASE f.severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1"
                    + " WHEN 'MEDIUM' THEN 2 WHEN 'LOW' THEN 3 ELSE 4 END, f.vulnerability_id, f.package_purl";

    private static List<FindingRow> findingRows(PreparedStatement q) throws SQLException {
        List<FindingRow> out = new ArrayList<>();
        try (ResultSet r = q.executeQuery()) {
            while (r.next()) {
                out.add(findingRow(r));
            }
        }
        return out;
    }

    /** The current row of a query that selects {@link #FINDING_FIELDS} first. */
    private static FindingRow findingRow(ResultSet r) throws SQLException {
        Timestamp resolvedAt = r.getTimestamp(13);
        return new FindingRow(
                r.getLong(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                r.getString(5),
                r.getString(6),
                r.getString(7),
                r.getString(8),
                r.getString(9),
                r.getString(10),
                r.getString(11),
                r.getTimestamp(12).toInstant(),
                resolvedAt == null ? null : resolvedAt.toInstant());
    }

    /**
     * A stored scan with one page of its findings ({@code limit} from {@code offset}, in the order the findings
     * list has) and how many it has in all: a scan of a large inventory can have more findings than one answer
     * should hold.
     */
    public Optional<ScanRecord> scan(long id, long offset, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            ScanRecord found;
            try (PreparedStatement q =
                    c.prepareStatement("SELECT s.id, a.name, t.name, t.deployment_model, t.kind, t.reference,"
                            + " s.package_count, s.submitted_at, s.submitted_by, s.matched_at, s.database_built_at,"
                            + " s.database_sources FROM scans s JOIN targets t ON t.id = s.target_id JOIN applications a ON a.id = t.application_id"
                            + " WHERE s.id = ?")) {
                q.setLong(1, id);
                try (ResultSet r = q.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    found = new ScanRecord(
                            r.getLong(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5),
                            r.getString(6),
                            r.getInt(7),
                            r.getTimestamp(8).toInstant(),
                            r.getString(9),
                            r.getTimestamp(10).toInstant(),
                            r.getString(11),
                            r.getString(12),
                            0,
                            List.of());
                }
            }
            // the count comes with the page, from one statement: a re-match adding findings between two reads
            // would otherwise give a count that leaves the newest rows beyond the last page
            List<FindingRow> rows = new ArrayList<>();
            int count = -1;
            // the count's own parameter, not f.scan_id: a correlated subquery would count again for every row
            try (PreparedStatement q = c.prepareStatement(FINDING_FIELDS
                    + ", (SELECT COUNT(*) FROM findings n WHERE n.scan_id = ?)" + FINDING_TABLES
                    + " WHERE f.scan_id = ?" + FINDING_ORDER + ", f.id LIMIT ? OFFSET ?")) {
                q.setLong(1, id);
                q.setLong(2, id);
                q.setInt(3, limit);
                q.setLong(4, offset);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        rows.add(findingRow(r));
                        count = r.getInt(14);
                    }
                }
            }
            if (rows.isEmpty()) { // a page past the end, or no findings: the count on its own
                try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM findings WHERE scan_id = ?")) {
                    q.setLong(1, id);
                    try (ResultSet r = q.executeQuery()) {
                        r.next();
                        count = r.getInt(1);
                    }
                }
            }
            return Optional.of(new ScanRecord(
                    found.id(),
                    found.application(),
                    found.target(),
                    found.model(),
                    found.kind(),
                    found.reference(),
                    found.packageCount(),
                    found.submittedAt(),
                    found.submittedBy(),
                    found.matchedAt(),
                    found.databaseBuiltAt(),
                    found.databaseSources(),
                    count,
                    rows));
        }
    }

    boolean applicationExists(String name) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return applicationExists(c, name);
        }
    }

    private static boolean applicationExists(Connection c, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM applications WHERE name = ?")) {
            q.setString(1, name);
            try (ResultSet r = q.executeQuery()) {
                return r.next();
            }
        }
    }

    private static long applicationId(Connection c, String name, Instant now) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO applications (name, created_at) VALUES (?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id")) {
            upsert.setString(1, name);
            upsert.setTimestamp(2, Timestamp.from(now));
            return single(upsert);
        }
    }

    /** The target, created when new; its model, kind and reference are those of the newest inventory. */
    private static long targetId(Connection c, long application, TargetRef target, Instant now) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO targets (application_id, name, deployment_model, kind, reference,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (application_id, name) DO UPDATE SET"
                        + " deployment_model = EXCLUDED.deployment_model, kind = EXCLUDED.kind, reference = EXCLUDED.reference RETURNING id")) {
            upsert.setLong(1, application);
            upsert.setString(2, target.name());
            upsert.setString(3, target.model().toLowerCase(Locale.ROOT));
            upsert.setString(4, target.kind());
            upsert.setString(5, target.reference());
            upsert.setTimestamp(6, Timestamp.from(now));
            return single(upsert);
        }
    }

    private static long single(PreparedStatement statement) throws SQLException {
        try (ResultSet r = statement.executeQuery()) {
            if (!r.next()) {
                throw new SQLException("the statement returned no row");
            }
            return r.getLong(1);
        }
    }
}
