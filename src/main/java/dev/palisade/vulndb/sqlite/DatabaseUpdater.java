package dev.palisade.vulndb.sqlite;

import dev.palisade.source.LimitExceededException;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.vulndb.Advisory;
import dev.palisade.vulndb.DatabaseChanges;
import dev.palisade.vulndb.Mirror;
import dev.palisade.vulndb.PackageNames;
import dev.palisade.vulndb.VulnerabilityStore.KevEntry;
import dev.palisade.vulndb.kev.KevCatalog;
import dev.palisade.vulndb.osv.OsvParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * Builds the vulnerability database from the OSV export and the KEV catalog. Only files that changed
 * since the last build are fetched (conditional requests); the new database is built beside the
 * current one and moved over it atomically, so a crash, a kill or a full disk leaves the previous
 * database in place. Malformed records are counted and reported, never fatal.
 *
 * <p>An update never loses a source silently: a source the previous database had and the mirror no longer
 * offers keeps its previous data (reported as {@link Outcome#KEPT}) unless removal is allowed, and an
 * update that would leave no advisory at all, or imports an export without one usable record, fails.
 * Concurrent updates of one cache directory wait for each other on a lock file, for a bounded time.
 */
public final class DatabaseUpdater {
    public static final String DATABASE_FILE = "vulndb.sqlite";
    static final String CHECKED_FILE = "vulndb.checked";
    static final String LOCK_FILE = "vulndb.lock";
    /** The name of the KEV catalog among the sources (the others are OSV ecosystems). */
    public static final String KEV_SOURCE = "KEV";
    /** How long an update waits for another one working on the same cache directory. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofMinutes(10);

    private static final Duration LOCK_POLL = Duration.ofMillis(200);
    private static final long MAX_RECORD_BYTES = 16L * 1024 * 1024;
    private static final int MAX_EXAMPLES = 5;

    private final Path cacheDirectory;
    private final Clock clock;
    private final Consumer<String> progress;
    private final Duration lockWait;
    private final Consumer<String> notices;

    /**
     * The result of one update: per source, whether it changed, and how many records were (not) read.
     *
     * @param changes what matching sees differently in the new database than in the one it replaced (none when
     *     nothing was rebuilt; everything when there was no readable previous database)
     */
    public record Result(boolean rebuilt, List<SourceResult> sources, DatabaseChanges changes) {
        public Result {
            sources = List.copyOf(sources);
        }
    }

    /** What became of one source in an update. */
    public enum Outcome {
        IMPORTED,
        /** not fetched again: its data was copied from the previous database */
        UNCHANGED,
        /** nothing changed anywhere, the database was left as it was */
        UP_TO_DATE,
        /** the mirror no longer offers it: its previous data was kept */
        KEPT,
        /** the mirror no longer offers it and removal was allowed: its data is gone */
        REMOVED,
        /** asked for, not offered, never had (only when removal is allowed) */
        MISSING
    }

    /**
     * @param outcome what became of the source; {@code detail} says it in words
     * @param malformedExamples the first reasons why records were refused
     */
    public record SourceResult(
            String name, Outcome outcome, String detail, long records, long malformed, List<String> malformedExamples) {
        public SourceResult {
            malformedExamples = List.copyOf(malformedExamples);
        }
    }

    /** Update options: {@code force} refetches everything; {@code allowSourceRemoval} lets sources go. */
    public record Request(boolean force, boolean allowSourceRemoval) {}

    /** An update refused because the mirror lacks a source, or every source. */
    public static final class MissingSourceException extends IOException {
        private final boolean removalWouldAllow;

        public MissingSourceException(String message, boolean removalWouldAllow) {
            super(message);
            this.removalWouldAllow = removalWouldAllow;
        }

        /** Whether allowing source removal lets the update go on without the source. */
        public boolean removalWouldAllow() {
            return removalWouldAllow;
        }
    }

    public DatabaseUpdater(Path cacheDirectory, Clock clock, Consumer<String> progress) {
        this(cacheDirectory, clock, progress, DEFAULT_LOCK_WAIT, progress);
    }

    /**
     * @param lockWait how long to wait for another update of the same cache directory
     * @param notices what the user should see even when progress is not shown (waiting for the lock)
     */
    public DatabaseUpdater(
            Path cacheDirectory, Clock clock, Consumer<String> progress, Duration lockWait, Consumer<String> notices) {
        this.cacheDirectory = cacheDirectory;
        this.clock = clock;
        this.progress = progress;
        this.lockWait = lockWait;
        this.notices = notices;
    }

    /** Where the KEV catalog is said to come from, as the database records it. */
    public static String kevLocation(Mirror kev, String kevFile) {
        return kev.location().endsWith("/") ? kev.location() + kevFile : kev.location() + "/" + kevFile;
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
            return Optional.of(Instant.parse(
                    Files.readString(checked, StandardCharsets.UTF_8).strip()));
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
    public Result update(
            Mirror osv, @Nullable Mirror kev, @Nullable String kevFile, List<String> ecosystems, boolean force)
            throws IOException {
        return update(osv, kev, kevFile, ecosystems, new Request(force, false));
    }

    /** Brings the database up to date; see {@link Request} for the options. */
    public Result update(
            Mirror osv, @Nullable Mirror kev, @Nullable String kevFile, List<String> ecosystems, Request request)
            throws IOException {
        if (ecosystems.isEmpty()) {
            throw new MissingSourceException(
                    "the mirror " + osv.location() + " has no ecosystem (no <Ecosystem>/all.zip)", false);
        }
        Files.createDirectories(cacheDirectory);
        try (FileChannel lockChannel = FileChannel.open(
                        cacheDirectory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = acquire(lockChannel)) {
            return updateLocked(osv, kev, kevFile, ecosystems, request);
        }
    }

    /** Waits for the lock file, polling: a lock held by another process cannot be waited for with a timeout. */
    private FileLock acquire(FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + lockWait.toNanos();
        boolean announced = false;
        while (true) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by another thread of this process
            }
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IOException("another Palisade process is still updating the database in " + cacheDirectory
                        + " after " + describe(lockWait) + " of waiting; try again when it has finished");
            }
            if (!announced) {
                notices.accept("waiting for another Palisade process to finish updating the database in "
                        + cacheDirectory + " (at most " + describe(lockWait) + ")");
                announced = true;
            }
            try {
                Thread.sleep(LOCK_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for another update of " + cacheDirectory, e);
            }
        }
    }

    private static String describe(Duration duration) {
        return duration.toMinutes() > 0 ? duration.toMinutes() + " min" : duration.toMillis() + " ms";
    }

    private Result updateLocked(
            Mirror osv, @Nullable Mirror kev, @Nullable String kevFile, List<String> ecosystems, Request request)
            throws IOException {
        removeLeftovers();
        Path current = databaseFile();
        Map<String, PreviousSource> previousSources = previousSources(current);
        Path downloads = Files.createTempDirectory(cacheDirectory, "downloads-");
        List<Pending> pending = new ArrayList<>();
        try {
            for (String ecosystem : ecosystems) {
                progress.accept("checking " + ecosystem);
                pending.add(new Pending(
                        ecosystem,
                        osv.location(),
                        osv.fetch(ecosystem + "/all.zip", validators(previousSources, ecosystem, request), downloads)));
            }
            if (kev != null && kevFile != null) {
                progress.accept("checking KEV");
                pending.add(new Pending(
                        KEV_SOURCE,
                        kevLocation(kev, kevFile),
                        kev.fetch(kevFile, validators(previousSources, KEV_SOURCE, request), downloads)));
            }
            Set<String> offered = new TreeSet<>();
            for (Pending p : pending) {
                if (p.fetch instanceof Mirror.Fetch.Missing missing) {
                    if (!previousSources.containsKey(p.name) && !request.allowSourceRemoval()) {
                        throw new MissingSourceException(p.name + " is not in the mirror: " + missing.reason(), true);
                    }
                } else {
                    offered.add(p.name);
                }
            }
            Set<String> absent = new TreeSet<>(previousSources.keySet());
            absent.removeAll(offered);
            boolean changed = !Files.isRegularFile(current)
                    || pending.stream().anyMatch(p -> p.fetch instanceof Mirror.Fetch.Fetched)
                    || (request.allowSourceRemoval() && !absent.isEmpty())
                    || pending.stream()
                            .anyMatch(p -> p.fetch instanceof Mirror.Fetch.NotModified
                                    && (previousSources.get(p.name) == null
                                            || !previousSources
                                                    .get(p.name)
                                                    .location()
                                                    .equals(p.location)));
            List<SourceResult> results = new ArrayList<>();
            if (!changed) {
                for (Pending p : pending) {
                    if (p.fetch instanceof Mirror.Fetch.Missing missing && !absent.contains(p.name)) {
                        results.add(new SourceResult(
                                p.name, Outcome.MISSING, "missing: " + missing.reason(), 0, 0, List.of()));
                    } else if (!absent.contains(p.name)) {
                        results.add(new SourceResult(p.name, Outcome.UP_TO_DATE, "up to date", -1, -1, List.of()));
                    }
                }
                for (String name : absent) {
                    results.add(kept(java.util.Objects.requireNonNull(previousSources.get(name), name)));
                }
                markChecked();
                return new Result(false, results, DatabaseChanges.none());
            }
            Path next = Files.createTempFile(cacheDirectory, "vulndb-", ".sqlite.new");
            DatabaseChanges changes;
            try {
                build(
                        next,
                        current,
                        pending,
                        absent,
                        request.allowSourceRemoval() ? Map.of() : previousSources,
                        results);
                requireAdvisories(osv, results);
                changes = changes(current, next);
                Files.move(next, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(next);
            }
            markChecked();
            return new Result(true, results, changes);
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

    /** What the previous database says of one of its sources. */
    private record PreviousSource(
            String name,
            String location,
            Mirror.Validators validators,
            String fetchedAt,
            long records,
            long malformed) {}

    private static Mirror.@Nullable Validators validators(
            Map<String, PreviousSource> previous, String name, Request request) {
        PreviousSource source = previous.get(name);
        return request.force() || source == null ? null : source.validators();
    }

    private static SourceResult kept(PreviousSource previous) {
        return new SourceResult(
                previous.name(),
                Outcome.KEPT,
                "not in the mirror; kept the data fetched at " + previous.fetchedAt() + " from " + previous.location(),
                previous.records(),
                previous.malformed(),
                List.of());
    }

    /**
     * Compares the new database with the current one while both are still there: the current one is only read,
     * so a kill meanwhile leaves it in place and the new one a leftover the next update removes.
     */
    private DatabaseChanges changes(Path current, Path next) {
        try {
            return DatabaseDiff.between(current, next);
        } catch (IOException e) {
            return DatabaseChanges.everything(
                    Objects.requireNonNullElse(e.getMessage(), "the databases cannot be compared"));
        }
    }

    /** A database without one advisory would make every scan look clean. */
    private static void requireAdvisories(Mirror osv, List<SourceResult> results) throws IOException {
        long advisories = results.stream()
                .filter(r -> !r.name().equals(KEV_SOURCE))
                .filter(r -> r.outcome() != Outcome.REMOVED && r.outcome() != Outcome.MISSING)
                .mapToLong(SourceResult::records)
                .sum();
        if (advisories == 0) {
            throw new MissingSourceException(
                    "no advisory would be left in the database: the mirror " + osv.location() + " offers none", false);
        }
    }

    /**
     * @param absent sources of the previous database the mirror no longer offers
     * @param keep the previous database's sources whose data is kept when absent (empty when removal is allowed)
     */
    private void build(
            Path next,
            Path current,
            List<Pending> pending,
            Set<String> absent,
            Map<String, PreviousSource> keep,
            List<SourceResult> results)
            throws IOException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + next)) {
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode = OFF");
                s.execute("PRAGMA synchronous = OFF");
                for (String ddl : Schema.CREATE) {
                    s.execute(ddl);
                }
            }
            boolean attached = pending.stream().anyMatch(p -> p.fetch instanceof Mirror.Fetch.NotModified)
                    || absent.stream().anyMatch(keep::containsKey);
            if (attached) {
                try (Statement s = db.createStatement()) {
                    s.execute("ATTACH DATABASE '" + current.toString().replace("'", "''") + "' AS previous");
                }
            }
            db.setAutoCommit(false);
            for (Pending p : pending) {
                if (p.fetch instanceof Mirror.Fetch.Fetched fetched) {
                    progress.accept("importing " + p.name);
                    SourceResult result = p.name.equals(KEV_SOURCE)
                            ? importKev(db, fetched.file())
                            : importZip(db, p.name, fetched.file());
                    if (result.records() == 0) {
                        throw new IOException(
                                p.name + ": the mirror's export holds no usable record (" + result.malformed()
                                        + " malformed"
                                        + (result.malformedExamples().isEmpty()
                                                ? ""
                                                : ", e.g. " + String.join("; ", result.malformedExamples()))
                                        + ")");
                    }
                    results.add(result);
                    recordSource(db, p, fetched.validators(), result);
                } else if (p.fetch instanceof Mirror.Fetch.NotModified) {
                    results.add(copyFromPrevious(db, p.name));
                    relocate(db, p); // the same file, from the mirror now configured
                } else if (p.fetch instanceof Mirror.Fetch.Missing missing && !absent.contains(p.name)) {
                    results.add(
                            new SourceResult(p.name, Outcome.MISSING, "missing: " + missing.reason(), 0, 0, List.of()));
                }
            }
            for (String name : absent) {
                PreviousSource previous = keep.get(name);
                if (previous == null) {
                    results.add(new SourceResult(name, Outcome.REMOVED, "not in the mirror; removed", 0, 0, List.of()));
                } else {
                    copyFromPrevious(db, name);
                    results.add(kept(previous));
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
                Advisory advisory;
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = LimitedInputStream.readAll(in, MAX_RECORD_BYTES, entry.getName());
                    advisory = OsvParser.parse(bytes, ecosystem);
                } catch (OsvParser.MalformedRecordException | LimitExceededException e) {
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
            throw new IOException(
                    ecosystem + "/all.zip is not a valid zip (a truncated or corrupt download?): " + e.getMessage(), e);
        }
        return new SourceResult(ecosystem, Outcome.IMPORTED, "imported", records, malformed, examples);
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
        return new SourceResult(
                KEV_SOURCE,
                Outcome.IMPORTED,
                "imported (catalog " + catalog.catalogVersion() + ")",
                catalog.entries().size(),
                catalog.malformed(),
                List.of());
    }

    private SourceResult copyFromPrevious(Connection db, String name) throws SQLException {
        String[] copies = name.equals(KEV_SOURCE)
                ? new String[] {
                    "INSERT INTO sources SELECT * FROM previous.sources WHERE name = ?",
                    "INSERT INTO kev SELECT * FROM previous.kev WHERE ? IS NOT NULL"
                }
                : new String[] {
                    "INSERT INTO sources SELECT * FROM previous.sources WHERE name = ?",
                    "INSERT OR REPLACE INTO advisories SELECT * FROM previous.advisories WHERE source = ?",
                    "INSERT OR IGNORE INTO affected SELECT * FROM previous.affected WHERE source = ?"
                };
        for (String sql : copies) {
            try (PreparedStatement copy = db.prepareStatement(sql)) {
                copy.setString(1, name);
                copy.executeUpdate();
            }
        }
        try (PreparedStatement counts = db.prepareStatement("SELECT records, malformed FROM sources WHERE name = ?")) {
            counts.setString(1, name);
            try (ResultSet r = counts.executeQuery()) {
                return r.next()
                        ? new SourceResult(name, Outcome.UNCHANGED, "unchanged", r.getLong(1), r.getLong(2), List.of())
                        : new SourceResult(name, Outcome.UNCHANGED, "unchanged", 0, 0, List.of());
            }
        }
    }

    private static void relocate(Connection db, Pending p) throws SQLException {
        try (PreparedStatement update = db.prepareStatement("UPDATE sources SET location = ? WHERE name = ?")) {
            update.setString(1, p.location);
            update.setString(2, p.name);
            update.executeUpdate();
        }
    }

    private void recordSource(Connection db, Pending p, Mirror.Validators validators, SourceResult result)
            throws SQLException {
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

    private Map<String, PreviousSource> previousSources(Path current) {
        Map<String, PreviousSource> sources = new LinkedHashMap<>();
        if (!Files.isRegularFile(current)) {
            return sources;
        }
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("open_mode", "1");
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + current, properties);
                Statement s = db.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT name, location, etag, last_modified, fetched_at, records, malformed FROM sources ORDER BY name")) {
            while (r.next()) {
                sources.put(
                        r.getString(1),
                        new PreviousSource(
                                r.getString(1),
                                r.getString(2),
                                new Mirror.Validators(r.getString(3), r.getString(4)),
                                r.getString(5),
                                r.getLong(6),
                                r.getLong(7)));
            }
        } catch (SQLException e) {
            notices.accept("the current vulnerability database is unreadable (" + e.getMessage() + "); rebuilding it");
            return new LinkedHashMap<>();
        }
        return sources;
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
        Files.move(
                temporary,
                cacheDirectory.resolve(CHECKED_FILE),
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }
}
