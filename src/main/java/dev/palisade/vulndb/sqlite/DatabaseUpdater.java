package dev.palisade.vulndb.sqlite;

import dev.palisade.source.LimitedInputStream;
import dev.palisade.vulndb.Advisory;
import dev.palisade.vulndb.Mirror;
import dev.palisade.vulndb.PackageNames;
import dev.palisade.vulndb.VulnerabilityStore.KevEntry;
import dev.palisade.vulndb.kev.KevCatalog;
import dev.palisade.vulndb.osv.OsvParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * Builds the vulnerability database from the OSV export and the KEV catalog. Only files that changed
 * since the last build are fetched (conditional requests); the new database is built beside the
 * current one and moved over it atomically, so a crash, a kill or a full disk leaves the previous
 * database in place. Malformed records are counted and reported, never fatal.
 */
public final class DatabaseUpdater {
    public static final String DATABASE_FILE = "vulndb.sqlite";
    static final String CHECKED_FILE = "vulndb.checked";
    static final String KEV_SOURCE = "KEV";
    private static final long MAX_RECORD_BYTES = 16L * 1024 * 1024;
    private static final int MAX_EXAMPLES = 5;

    private final Path cacheDirectory;
    private final Clock clock;
    private final Consumer<String> progress;

    /** The result of one update: per source, whether it changed, and how many records were (not) read. */
    public record Result(boolean rebuilt, List<SourceResult> sources) {
        public Result {
            sources = List.copyOf(sources);
        }
    }

    /** @param malformedExamples the first reasons why records were refused */
    public record SourceResult(String name, String outcome, long records, long malformed, List<String> malformedExamples) {
        public SourceResult {
            malformedExamples = List.copyOf(malformedExamples);
        }
    }

    public DatabaseUpdater(Path cacheDirectory, Clock clock, Consumer<String> progress) {
        this.cacheDirectory = cacheDirectory;
        this.clock = clock;
        this.progress = progress;
    }

    public Path databaseFile() {
        return cacheDirectory.resolve(DATABASE_FILE);
    }

    /** When the database was last built or found up to date; empty when there is none. */
    public Optional<Instant> lastChecked() throws IOException {
        Path checked = cacheDirectory.resolve(CHECKED_FILE);
        if (!Files.isRegularFile(databaseFile()) || !Files.isRegularFile(checked)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(Files.readString(checked, StandardCharsets.UTF_8).strip()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Brings the database up to date with {@code osv} and {@code kev}.
     *
     * @param kev the KEV catalog's mirror and file name, or null to leave KEV out
     * @param force fetch and rebuild everything, ignoring validators (used by {@code db import})
     */
    public Result update(Mirror osv, @Nullable Mirror kev, @Nullable String kevFile, List<String> ecosystems, boolean force)
            throws IOException {
        Files.createDirectories(cacheDirectory);
        try (FileChannel lockChannel = FileChannel.open(cacheDirectory.resolve("vulndb.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
                FileLock lock = lockChannel.tryLock()) {
            if (lock == null) {
                throw new IOException("another Palisade process is updating the database in " + cacheDirectory);
            }
            return updateLocked(osv, kev, kevFile, ecosystems, force);
        }
    }

    private Result updateLocked(Mirror osv, @Nullable Mirror kev, @Nullable String kevFile, List<String> ecosystems,
            boolean force) throws IOException {
        removeLeftovers();
        Path current = databaseFile();
        Map<String, Mirror.Validators> previous = force ? Map.of() : previousValidators(current);
        Path downloads = Files.createTempDirectory(cacheDirectory, "downloads-");
        List<Pending> pending = new ArrayList<>();
        try {
            for (String ecosystem : ecosystems) {
                progress.accept("checking " + ecosystem);
                pending.add(new Pending(ecosystem, osv.location(),
                        osv.fetch(ecosystem + "/all.zip", previous.get(ecosystem), downloads)));
            }
            if (kev != null && kevFile != null) {
                progress.accept("checking KEV");
                pending.add(new Pending(KEV_SOURCE, kev.location(), kev.fetch(kevFile, previous.get(KEV_SOURCE), downloads)));
            }
            java.util.Set<String> stillThere = new java.util.HashSet<>();
            pending.stream().filter(p -> p.fetch instanceof Mirror.Fetch.NotModified).forEach(p -> stillThere.add(p.name));
            boolean changed = !Files.isRegularFile(current)
                    || pending.stream().anyMatch(p -> p.fetch instanceof Mirror.Fetch.Fetched)
                    || !stillThere.containsAll(previous.keySet());
            List<SourceResult> results = new ArrayList<>();
            if (!changed) {
                for (Pending p : pending) {
                    results.add(new SourceResult(p.name, "up to date", -1, -1, List.of()));
                }
                markChecked();
                return new Result(false, results);
            }
            Path next = Files.createTempFile(cacheDirectory, "vulndb-", ".sqlite.new");
            try {
                build(next, current, pending, results);
                Files.move(next, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(next);
            }
            markChecked();
            return new Result(true, results);
        } finally {
            try (var files = Files.list(downloads)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(downloads);
        }
    }

    private record Pending(String name, String location, Mirror.Fetch fetch) {}

    private void build(Path next, Path current, List<Pending> pending, List<SourceResult> results) throws IOException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + next)) {
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode = OFF");
                s.execute("PRAGMA synchronous = OFF");
                for (String ddl : Schema.CREATE) {
                    s.execute(ddl);
                }
            }
            boolean attached = pending.stream().anyMatch(p -> p.fetch instanceof Mirror.Fetch.NotModified);
            if (attached) {
                try (Statement s = db.createStatement()) {
                    s.execute("ATTACH DATABASE '" + current.toString().replace("'", "''") + "' AS previous");
                }
            }
            db.setAutoCommit(false);
            for (Pending p : pending) {
                if (p.fetch instanceof Mirror.Fetch.Fetched fetched) {
                    progress.accept("importing " + p.name);
                    SourceResult result = p.name.equals(KEV_SOURCE) ? importKev(db, fetched.file()) : importZip(db, p.name, fetched.file());
                    results.add(result);
                    recordSource(db, p, fetched.validators(), result);
                } else if (p.fetch instanceof Mirror.Fetch.NotModified) {
                    results.add(copyFromPrevious(db, p.name));
                } else if (p.fetch instanceof Mirror.Fetch.Missing missing) {
                    results.add(new SourceResult(p.name, "missing: " + missing.reason(), 0, 0, List.of()));
                }
            }
            try (Statement s = db.createStatement()) {
                for (String ddl : Schema.INDEXES) {
                    s.execute(ddl);
                }
                s.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '" + Schema.VERSION + "')");
                s.execute("INSERT INTO meta(key, value) VALUES ('built_at', '" + clock.instant() + "')");
            }
            db.commit();
            if (attached) {
                db.setAutoCommit(true);
                try (Statement s = db.createStatement()) {
                    s.execute("DETACH DATABASE previous");
                }
            }
        } catch (SQLException e) {
            throw new IOException("cannot build the vulnerability database: " + e.getMessage(), e);
        }
    }

    private SourceResult importZip(Connection db, String ecosystem, Path file) throws IOException, SQLException {
        long records = 0;
        long malformed = 0;
        List<String> examples = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile());
                PreparedStatement insertAdvisory = db.prepareStatement(
                        "INSERT OR REPLACE INTO advisories(id, source, modified, body) VALUES (?, ?, ?, ?)");
                PreparedStatement insertAffected = db.prepareStatement(
                        "INSERT OR IGNORE INTO affected(ecosystem, name, advisory_id, source) VALUES (?, ?, ?, ?)")) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory() || !entry.getName().endsWith(".json")) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = LimitedInputStream.readAll(in, MAX_RECORD_BYTES, entry.getName());
                }
                Advisory advisory;
                try {
                    advisory = OsvParser.parse(bytes, ecosystem);
                } catch (OsvParser.MalformedRecordException e) {
                    malformed++;
                    if (examples.size() < MAX_EXAMPLES) {
                        examples.add(entry.getName() + ": " + e.getMessage());
                    }
                    continue;
                }
                records++;
                insertAdvisory.setString(1, advisory.id());
                insertAdvisory.setString(2, ecosystem);
                insertAdvisory.setString(3, advisory.modified());
                insertAdvisory.setBytes(4, Compression.deflate(bytes));
                insertAdvisory.addBatch();
                for (Advisory.Affected affected : advisory.affected()) {
                    insertAffected.setString(1, affected.ecosystem());
                    insertAffected.setString(2, PackageNames.key(affected.ecosystem(), affected.name()));
                    insertAffected.setString(3, advisory.id());
                    insertAffected.setString(4, ecosystem);
                    insertAffected.addBatch();
                }
                if (records % 2000 == 0) {
                    insertAdvisory.executeBatch();
                    insertAffected.executeBatch();
                }
            }
            insertAdvisory.executeBatch();
            insertAffected.executeBatch();
        } catch (java.util.zip.ZipException e) {
            throw new IOException(ecosystem + "/all.zip is not a valid zip (a truncated or corrupt download?): " + e.getMessage(), e);
        }
        return new SourceResult(ecosystem, "imported", records, malformed, examples);
    }

    private SourceResult importKev(Connection db, Path file) throws IOException, SQLException {
        KevCatalog.Parsed catalog;
        try (InputStream in = Files.newInputStream(file)) {
            catalog = KevCatalog.parse(in);
        }
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT OR REPLACE INTO kev(cve, date_added, due_date, ransomware, name) VALUES (?, ?, ?, ?, ?)")) {
            for (KevEntry e : catalog.entries()) {
                insert.setString(1, e.cve());
                insert.setString(2, e.dateAdded());
                insert.setString(3, e.dueDate());
                insert.setString(4, e.knownRansomwareCampaignUse());
                insert.setString(5, e.name());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return new SourceResult(KEV_SOURCE, "imported (catalog " + catalog.catalogVersion() + ")", catalog.entries().size(),
                catalog.malformed(), List.of());
    }

    private SourceResult copyFromPrevious(Connection db, String name) throws SQLException {
        String[] copies = name.equals(KEV_SOURCE)
                ? new String[] {"INSERT INTO sources SELECT * FROM previous.sources WHERE name = ?",
                    "INSERT INTO kev SELECT * FROM previous.kev WHERE ? IS NOT NULL"}
                : new String[] {"INSERT INTO sources SELECT * FROM previous.sources WHERE name = ?",
                    "INSERT OR REPLACE INTO advisories SELECT * FROM previous.advisories WHERE source = ?",
                    "INSERT OR IGNORE INTO affected SELECT * FROM previous.affected WHERE source = ?"};
        for (String sql : copies) {
            try (PreparedStatement copy = db.prepareStatement(sql)) {
                copy.setString(1, name);
                copy.executeUpdate();
            }
        }
        try (PreparedStatement counts = db.prepareStatement("SELECT records, malformed FROM sources WHERE name = ?")) {
            counts.setString(1, name);
            try (ResultSet r = counts.executeQuery()) {
                return r.next() ? new SourceResult(name, "unchanged", r.getLong(1), r.getLong(2), List.of())
                        : new SourceResult(name, "unchanged", 0, 0, List.of());
            }
        }
    }

    private void recordSource(Connection db, Pending p, Mirror.Validators validators, SourceResult result) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT OR REPLACE INTO sources(name, location, etag, last_modified, fetched_at, records, malformed)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, p.name);
            insert.setString(2, p.location);
            insert.setString(3, validators.etag());
            insert.setString(4, validators.lastModified());
            insert.setString(5, clock.instant().toString());
            insert.setLong(6, result.records());
            insert.setLong(7, result.malformed());
            insert.executeUpdate();
        }
    }

    private Map<String, Mirror.Validators> previousValidators(Path current) {
        Map<String, Mirror.Validators> validators = new HashMap<>();
        if (!Files.isRegularFile(current)) {
            return validators;
        }
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("open_mode", "1");
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + current, properties);
                Statement s = db.createStatement();
                ResultSet r = s.executeQuery("SELECT name, etag, last_modified FROM sources")) {
            while (r.next()) {
                validators.put(r.getString(1), new Mirror.Validators(r.getString(2), r.getString(3)));
            }
        } catch (SQLException e) {
            progress.accept("the current database is unreadable (" + e.getMessage() + "); rebuilding it");
        }
        return validators;
    }

    /** What an update killed in the middle left behind: half-built databases and downloads. Runs under the lock. */
    private void removeLeftovers() throws IOException {
        try (var files = Files.list(cacheDirectory)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith("vulndb-") && name.endsWith(".sqlite.new")) {
                    Files.deleteIfExists(f);
                } else if (name.startsWith("downloads-") && Files.isDirectory(f)) {
                    try (var downloads = Files.list(f)) {
                        for (Path d : (Iterable<Path>) downloads::iterator) {
                            Files.deleteIfExists(d);
                        }
                    }
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private void markChecked() throws IOException {
        Path temporary = Files.createTempFile(cacheDirectory, "checked-", ".tmp");
        Files.writeString(temporary, clock.instant().toString(), StandardCharsets.UTF_8);
        Files.move(temporary, cacheDirectory.resolve(CHECKED_FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }
}
