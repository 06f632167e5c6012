package dev.palisade.vulndb.sqlite;

/** The database file's layout. Advisories are kept whole (deflated OSV JSON) so reports can show every detail. */
final class Schema {
    static final int VERSION = 1;

    static final String[] CREATE = {
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE sources(name TEXT PRIMARY KEY, location TEXT NOT NULL, etag TEXT, last_modified TEXT,"
                + " fetched_at TEXT NOT NULL, records INTEGER NOT NULL, malformed INTEGER NOT NULL)",
        "CREATE TABLE advisories(id TEXT PRIMARY KEY, source TEXT NOT NULL, modified TEXT NOT NULL, body BLOB NOT NULL)",
        "CREATE TABLE affected(ecosystem TEXT NOT NULL, name TEXT NOT NULL, advisory_id TEXT NOT NULL, source TEXT NOT NULL,"
                + " UNIQUE(ecosystem, name, advisory_id))",
        "CREATE TABLE kev(cve TEXT PRIMARY KEY, date_added TEXT, due_date TEXT, ransomware TEXT, name TEXT)",
    };

    static final String[] INDEXES = {
        "CREATE INDEX affected_by_package ON affected(ecosystem, name)",
        "CREATE INDEX advisories_by_source ON advisories(source)",
    };

    private Schema() {}
}
