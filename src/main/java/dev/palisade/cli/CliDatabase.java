package dev.palisade.cli;

import dev.palisade.report.ScanReport;
import dev.palisade.scan.VulnerabilityDatabase;
import dev.palisade.vulndb.VulnerabilityStore;
import dev.palisade.vulndb.sqlite.DatabaseStatus;
import dev.palisade.vulndb.sqlite.SqliteVulnerabilityStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The database of one command-line run: opened (and updated when stale) on first use, closed at the end. */
final class CliDatabase implements VulnerabilityDatabase, AutoCloseable {
    private final VulnerabilityDatabases databases;
    private final boolean quiet;
    private @Nullable SqliteVulnerabilityStore store;

    CliDatabase(VulnerabilityDatabases databases, boolean quiet) {
        this.databases = databases;
        this.quiet = quiet;
    }

    /** The database could not be opened or built: said apart from failures to read the artifact. */
    static final class DatabaseException extends IOException {
        DatabaseException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public synchronized VulnerabilityStore store() throws IOException {
        if (store == null) {
            try {
                store = databases.openForScan(quiet);
            } catch (IOException e) {
                throw new DatabaseException(String.valueOf(e.getMessage()), e);
            }
        }
        return store;
    }

    @Override
    public ScanReport.DatabaseInfo describe() throws IOException {
        DatabaseStatus status = ((SqliteVulnerabilityStore) store()).status();
        List<String> sources = new ArrayList<>();
        status.sources()
                .forEach(src ->
                        sources.add(src.name() + " (" + src.records() + " records, fetched " + src.fetchedAt() + ")"));
        return new ScanReport.DatabaseInfo(status.meta().getOrDefault("built_at", ""), sources);
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            try {
                store.close();
            } catch (IOException e) {
                // read-only: nothing was written that closing could lose
            }
        }
    }
}
