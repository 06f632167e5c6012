package dev.palisade.server;

import dev.palisade.report.ScanReport;
import dev.palisade.scan.VulnerabilityDatabase;
import dev.palisade.vulndb.VulnerabilityStore;
import dev.palisade.vulndb.sqlite.DatabaseStatus;
import dev.palisade.vulndb.sqlite.SqliteVulnerabilityStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * The vulnerability database a running server matches with: the SQLite file the updater builds, kept
 * open, and reopened after each update. Matching holds the read lock; reopening takes the write lock,
 * so a store is never closed under a running match.
 */
public final class ServerDatabase implements VulnerabilityDatabase, AutoCloseable {
    private final Path file;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private @Nullable SqliteVulnerabilityStore store;
    private @Nullable VulnerabilityStore kevCached;

    /** @param file the database file ({@code vulndb.sqlite} in the cache directory) */
    public ServerDatabase(Path file) {
        this.file = file;
    }

    /** Runs {@code work} with the current database; a reopen waits until it has finished. */
    public <T> T reading(Work<T> work) throws Exception {
        lock.readLock().lock();
        try {
            return work.run();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Something that matches with the database. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    /** Opens the file again after the updater replaced it; the old store is closed once no match uses it. */
    public void reopen() throws IOException {
        SqliteVulnerabilityStore fresh = SqliteVulnerabilityStore.open(file);
        SqliteVulnerabilityStore old;
        lock.writeLock().lock();
        try {
            synchronized (this) {
                old = store;
                store = fresh;
                kevCached = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
        if (old != null) {
            old.close();
        }
    }

    /**
     * The store, with KEV lookups remembered until the next reopen: a re-match of thousands of inventories
     * asks for the same few hundred CVEs again and again (advisories are cached by the store itself).
     */
    @Override
    public synchronized VulnerabilityStore store() throws IOException {
        if (kevCached == null) {
            SqliteVulnerabilityStore sqlite = opened();
            java.util.Map<String, java.util.Optional<VulnerabilityStore.KevEntry>> kev =
                    new java.util.concurrent.ConcurrentHashMap<>();
            kevCached = new VulnerabilityStore() {
                @Override
                public java.util.List<dev.palisade.vulndb.Advisory> advisories(String ecosystem, String name)
                        throws IOException {
                    return sqlite.advisories(ecosystem, name);
                }

                @Override
                public java.util.Optional<KevEntry> kev(String cve) throws IOException {
                    java.util.Optional<KevEntry> known = kev.get(cve);
                    if (known == null) {
                        known = sqlite.kev(cve);
                        if (kev.size() < 100_000) {
                            kev.put(cve, known);
                        }
                    }
                    return known;
                }

                @Override
                public java.util.Set<String> ecosystems() throws IOException {
                    return sqlite.ecosystems();
                }
            };
        }
        return kevCached;
    }

    private synchronized SqliteVulnerabilityStore opened() throws IOException {
        if (store == null) {
            store = SqliteVulnerabilityStore.open(file);
        }
        return store;
    }

    @Override
    public ScanReport.DatabaseInfo describe() throws IOException {
        DatabaseStatus status = opened().status();
        List<String> sources = new ArrayList<>();
        status.sources()
                .forEach(src ->
                        sources.add(src.name() + " (" + src.records() + " records, fetched " + src.fetchedAt() + ")"));
        return new ScanReport.DatabaseInfo(status.meta().getOrDefault("built_at", ""), sources);
    }

    @Override
    public synchronized void close() throws IOException {
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
