package dev.palisade.vulndb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.testing.Scans;
import dev.palisade.vulndb.sqlite.DatabaseDiff;
import dev.palisade.vulndb.sqlite.DatabaseUpdater;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which packages, ecosystems and KEV entries an update changed, from small mirrors written here. */
class DatabaseChangesTest {
    private static final String KEV_FILE = "known_exploited_vulnerabilities.json";

    @TempDir
    Path tmp;

    private long mtime = System.currentTimeMillis();

    /** An OSV record affecting each package below {@code fixed}; packages are {@code ecosystem/name}. */
    static String record(String id, String fixed, String... packages) {
        List<String> affected = new ArrayList<>();
        for (String p : packages) {
            int slash = p.indexOf('/');
            affected.add("{\"package\":{\"ecosystem\":\"" + p.substring(0, slash) + "\",\"name\":\""
                    + p.substring(slash + 1) + "\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":"
                    + "[{\"introduced\":\"0\"},{\"fixed\":\"" + fixed + "\"}]}]}");
        }
        return "{\"id\":\"" + id + "\",\"aliases\":[\"CVE-" + id.hashCode()
                + "\"],\"modified\":\"2026-01-01T00:00:00Z\"," + "\"affected\":[" + String.join(",", affected) + "]}";
    }

    Path mirror() {
        return tmp.resolve("mirror");
    }

    /** Writes a source with a new modification time, so that the directory mirror offers it as changed. */
    void write(String source, String... records) throws Exception {
        Path zip = GeneratedMirror.writeSource(mirror(), source, List.of(records));
        mtime += 10_000;
        Files.setLastModifiedTime(zip, FileTime.fromMillis(mtime));
    }

    void writeKev(String... cves) throws Exception {
        Path file = GeneratedMirror.writeKevBeside(mirror(), cves);
        mtime += 10_000;
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtime));
    }

    DatabaseUpdater.Result update() throws Exception {
        return update(false);
    }

    DatabaseUpdater.Result update(boolean force) throws Exception {
        DirectoryMirror osv = new DirectoryMirror(mirror());
        Path kevDirectory = mirror().resolveSibling("kev");
        DirectoryMirror kev = Files.isDirectory(kevDirectory) ? new DirectoryMirror(kevDirectory) : null;
        return new DatabaseUpdater(tmp.resolve("cache"), Scans.FIXED, m -> {})
                .update(
                        osv,
                        kev,
                        kev == null ? null : KEV_FILE,
                        osv.ecosystems(),
                        new DatabaseUpdater.Request(force, false));
    }

    Path database() {
        return tmp.resolve("cache").resolve(DatabaseUpdater.DATABASE_FILE);
    }

    static PackageKey key(String ecosystem, String name) {
        return new PackageKey(ecosystem, name);
    }

    /** Maven and PyPI data where advisory A names two packages and shares one with B. */
    void writeBaseline() throws Exception {
        write(
                "Maven",
                record("GHSA-aaaa", "2.0", "Maven/org.example:shared", "Maven/org.example:only-a"),
                record("GHSA-bbbb", "3.0", "Maven/org.example:shared"),
                record("GHSA-cccc", "1.5", "Maven/org.example:other"));
        write("PyPI", record("PYSEC-1", "1.0", "PyPI/Some_Pkg"), record("PYSEC-2", "1.0", "PyPI/untouched"));
    }

    @Test
    void shouldSayEverythingChangedOnTheFirstUpdate() throws Exception {
        writeBaseline();

        DatabaseUpdater.Result first = update();

        assertThat(first.rebuilt()).isTrue();
        assertThat(first.changes().everything()).isTrue();
        assertThat(first.changes().reason()).isEqualTo("no previous database");
        assertThat(first.changes().affects(List.of(), List.of())).isTrue();
    }

    @Test
    void shouldFindNoChangeWhenTheSameDataIsImportedAgain() throws Exception {
        writeBaseline();
        update();

        DatabaseUpdater.Result reimported = update(true);
        write(
                "Maven",
                record("GHSA-aaaa", "2.0", "Maven/org.example:shared", "Maven/org.example:only-a"),
                record("GHSA-bbbb", "3.0", "Maven/org.example:shared"),
                record("GHSA-cccc", "1.5", "Maven/org.example:other"));
        DatabaseUpdater.Result rewritten = update();
        DatabaseUpdater.Result upToDate = update();

        assertThat(reimported.rebuilt()).isTrue();
        assertThat(reimported.changes().isEmpty())
                .as(reimported.changes().toString())
                .isTrue();
        assertThat(rewritten.sources())
                .extracting(DatabaseUpdater.SourceResult::outcome)
                .containsExactly(DatabaseUpdater.Outcome.IMPORTED, DatabaseUpdater.Outcome.UNCHANGED);
        assertThat(rewritten.changes().isEmpty())
                .as(rewritten.changes().toString())
                .isTrue();
        assertThat(upToDate.rebuilt()).isFalse();
        assertThat(upToDate.changes().isEmpty()).isTrue();
    }

    @Test
    void shouldListBothPackagesOfAnAdvisoryWhoseFixedVersionChanged() throws Exception {
        writeBaseline();
        update();

        write(
                "Maven",
                record("GHSA-aaaa", "2.0.1", "Maven/org.example:shared", "Maven/org.example:only-a"),
                record("GHSA-bbbb", "3.0", "Maven/org.example:shared"),
                record("GHSA-cccc", "1.5", "Maven/org.example:other"));
        DatabaseChanges changes = update().changes();

        assertThat(changes.everything()).isFalse();
        assertThat(changes.packages())
                .containsExactly(key("Maven", "org.example:only-a"), key("Maven", "org.example:shared"));
        assertThat(changes.ecosystems()).isEmpty();
        assertThat(changes.kevCves()).isEmpty();
        assertThat(changes.affects(List.of(key("Maven", "org.example:shared")), List.of()))
                .isTrue();
        assertThat(changes.affects(List.of(key("Maven", "org.example:other"), key("PyPI", "untouched")), List.of()))
                .isFalse();
    }

    @Test
    void shouldListAPackageSpelledAsTheMatcherLooksItUp() throws Exception {
        writeBaseline();
        update();

        write("PyPI", record("PYSEC-1", "1.1", "PyPI/Some_Pkg"), record("PYSEC-2", "1.0", "PyPI/untouched"));
        DatabaseChanges changes = update().changes();

        assertThat(changes.packages()).containsExactly(key("PyPI", "some-pkg"));
        assertThat(changes.affects(List.of(key("PyPI", "Some.Pkg")), List.of())).isTrue();
        assertThat(changes.affects(List.of(key("PyPI", "untouched")), List.of()))
                .isFalse();
    }

    @Test
    void shouldListThePackageOfAnAddedAdvisory() throws Exception {
        writeBaseline();
        update();

        write("npm", record("GHSA-nnnn", "4.17.21", "npm/lodash"));
        DatabaseChanges changes = update().changes();

        assertThat(changes.packages()).containsExactly(key("npm", "lodash"));
        assertThat(changes.ecosystems()).as("npm had no data before").containsExactly("npm");
        assertThat(changes.affects(List.of(key("npm", "left-pad")), List.of()))
                .as("what was 'no data for npm' is now 'no findings'")
                .isTrue();
    }

    @Test
    void shouldListThePackagesOfARemovedAdvisory() throws Exception {
        writeBaseline();
        update();

        write(
                "Maven",
                record("GHSA-bbbb", "3.0", "Maven/org.example:shared"),
                record("GHSA-cccc", "1.5", "Maven/org.example:other"));
        DatabaseChanges changes = update().changes();

        assertThat(changes.packages())
                .containsExactly(key("Maven", "org.example:only-a"), key("Maven", "org.example:shared"));
        assertThat(changes.ecosystems()).isEmpty();
    }

    @Test
    void shouldListBothPackagesOfAnAdvisoryMovedFromOneToTheOther() throws Exception {
        writeBaseline();
        update();

        write(
                "Maven",
                record("GHSA-aaaa", "2.0", "Maven/org.example:shared", "Maven/org.example:only-a"),
                record("GHSA-bbbb", "3.0", "Maven/org.example:shared"),
                record("GHSA-cccc", "1.5", "Maven/org.example:moved"));
        DatabaseChanges changes = update().changes();

        assertThat(changes.packages())
                .containsExactly(key("Maven", "org.example:moved"), key("Maven", "org.example:other"));
    }

    @Test
    void shouldListThePackageOfAnAdvisoryNowReadFromAnotherSource() throws Exception {
        writeBaseline();
        update();

        write(
                "Maven",
                record("GHSA-aaaa", "2.0", "Maven/org.example:shared", "Maven/org.example:only-a"),
                record("GHSA-bbbb", "3.0", "Maven/org.example:shared"));
        write("GitHub", record("GHSA-cccc", "1.5", "Maven/org.example:other"));
        DatabaseChanges changes = update().changes();

        assertThat(changes.packages())
                .as("the same record, parsed as coming from another source")
                .containsExactly(key("Maven", "org.example:other"));
    }

    @Test
    void shouldListAnAdvisoryOfANewDistributionReleaseAndTheRelease() throws Exception {
        write("Debian", record("DSA-1-1", "1.0-1", "Debian:11/openssl", "Debian:12/openssl"));
        update();

        write(
                "Debian",
                record("DSA-1-1", "1.0-1", "Debian:11/openssl", "Debian:12/openssl"),
                record("DSA-2-1", "2.0-1", "Debian:13/openssl"));
        DatabaseChanges changes = update().changes();

        assertThat(changes.packages()).containsExactly(key("Debian:13", "openssl"));
        assertThat(changes.ecosystems()).containsExactly("Debian:13");
        assertThat(changes.affects(List.of(key("Debian:12", "openssl")), List.of()))
                .isFalse();
    }

    @Test
    void shouldListKevEntriesAddedChangedAndRemovedApartFromPackages() throws Exception {
        writeBaseline();
        writeKev("CVE-2021-44228", "CVE-2022-22965");
        update();

        writeKev("CVE-2021-44228", "CVE-2022-22965", "CVE-2023-0001");
        DatabaseChanges added = update().changes();
        Path catalog = mirror().resolveSibling("kev").resolve(KEV_FILE);
        Files.writeString(
                catalog, Files.readString(catalog).replaceFirst("2025-02-01", "2025-03-01"), StandardCharsets.UTF_8);
        Files.setLastModifiedTime(catalog, FileTime.fromMillis(mtime += 10_000));
        DatabaseChanges changed = update().changes();
        writeKev("CVE-2022-22965", "CVE-2023-0001");
        DatabaseChanges removed = update().changes();

        assertThat(added.kevCves()).containsExactly("CVE-2023-0001");
        assertThat(added.packages()).isEmpty();
        assertThat(added.affects(List.of(key("Maven", "org.example:shared")), List.of("GHSA-x", "CVE-2023-0001")))
                .isTrue();
        assertThat(added.affects(List.of(key("Maven", "org.example:shared")), List.of("GHSA-x", "CVE-2021-44228")))
                .isFalse();
        assertThat(changed.kevCves()).as("the due date of the first entry").containsExactly("CVE-2021-44228");
        assertThat(removed.kevCves()).containsExactly("CVE-2021-44228");
    }

    @Test
    void shouldReportNothingForAFailedUpdateAndCompareTheNextWithTheIntactDatabase() throws Exception {
        writeBaseline();
        update();
        byte[] before = Files.readAllBytes(database());
        Path zip = mirror().resolve("Maven/all.zip");
        byte[] good = Files.readAllBytes(zip);

        Files.write(zip, Arrays.copyOf(good, good.length / 2));
        Files.setLastModifiedTime(zip, FileTime.fromMillis(mtime += 10_000));
        assertThatThrownBy(this::update).hasMessageContaining("not a valid zip");
        byte[] afterFailure = Files.readAllBytes(database());
        write(
                "Maven",
                record("GHSA-aaaa", "2.0", "Maven/org.example:shared", "Maven/org.example:only-a"),
                record("GHSA-bbbb", "3.0", "Maven/org.example:shared"),
                record("GHSA-cccc", "1.6", "Maven/org.example:other"));
        DatabaseChanges next = update().changes();

        assertThat(afterFailure).isEqualTo(before);
        assertThat(next.packages()).containsExactly(key("Maven", "org.example:other"));
        try (var left = Files.list(tmp.resolve("cache"))) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(DatabaseUpdater.DATABASE_FILE, "vulndb.checked", "vulndb.lock");
        }
    }

    @Test
    void shouldSayEverythingChangedWhenThePreviousDatabaseHasAnotherSchemaOrIsUnreadable() throws Exception {
        writeBaseline();
        update();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database());
                Statement s = db.createStatement()) {
            s.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'");
        }
        Path copy = tmp.resolve("copy.sqlite");
        Path garbage = Files.writeString(tmp.resolve("garbage.sqlite"), "not a database".repeat(100));

        DatabaseChanges changes = update(true).changes();
        Files.copy(database(), copy);

        assertThat(changes.everything()).isTrue();
        assertThat(changes.reason()).contains("another schema");
        assertThat(DatabaseDiff.between(garbage, copy).everything()).isTrue();
        assertThat(DatabaseDiff.between(copy, copy).isEmpty()).isTrue();
        assertThatThrownBy(() -> DatabaseDiff.between(copy, garbage)).isInstanceOf(java.io.IOException.class);
    }
}
