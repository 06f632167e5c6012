package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.testing.Cli;
import dev.palisade.testing.Scans;
import dev.palisade.vulndb.Advisory;
import dev.palisade.vulndb.GeneratedMirror;
import dev.palisade.vulndb.sqlite.DatabaseUpdater;
import dev.palisade.vulndb.sqlite.SqliteVulnerabilityStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An update never loses a source silently, and a database from another mirror is not used silently. */
class DatabaseSourcesTest {
    @TempDir
    Path tmp;

    Path cache;
    Path mirrorA;

    @BeforeEach
    void buildFromMirrorA() throws Exception {
        cache = tmp.resolve("cache");
        mirrorA = tmp.resolve("a/osv");
        GeneratedMirror.writeSource(
                mirrorA, "Maven", List.of(GeneratedMirror.advisory("GHSA-maven-a", "Maven", "g:a")));
        GeneratedMirror.writeSource(mirrorA, "npm", List.of(GeneratedMirror.advisory("GHSA-npm-a", "npm", "left-pad")));
        GeneratedMirror.writeKevBeside(mirrorA, "CVE-2021-44228");
        assertThat(update(mirrorA).exit()).isZero();
    }

    Cli.Result update(Path mirror, String... extra) {
        List<String> args = new java.util.ArrayList<>(
                List.of("db", "update", "--cache-dir", cache.toString(), "--db-mirror", mirror.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    List<String> ids(String ecosystem, String name) throws Exception {
        try (SqliteVulnerabilityStore store =
                SqliteVulnerabilityStore.open(cache.resolve(DatabaseUpdater.DATABASE_FILE))) {
            return store.advisories(ecosystem, name).stream().map(Advisory::id).toList();
        }
    }

    boolean kevListed(String cve) throws Exception {
        try (SqliteVulnerabilityStore store =
                SqliteVulnerabilityStore.open(cache.resolve(DatabaseUpdater.DATABASE_FILE))) {
            return store.kev(cve).isPresent();
        }
    }

    /** The file's identity (device and inode): a rebuilt database is a new file moved over the old one. */
    static Object fileKey(Path file) throws Exception {
        return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class)
                .fileKey();
    }

    static List<String> warnings(Cli.Result result) {
        return result.err()
                .lines()
                .filter(l -> l.startsWith("palisade: warning: "))
                .toList();
    }

    @Test
    void shouldKeepAnEcosystemAndKevTheMirrorNoLongerHasAndWarn() throws Exception {
        Path mirrorB = tmp.resolve("b/osv");
        GeneratedMirror.writeSource(mirrorB, "npm", List.of(GeneratedMirror.advisory("GHSA-npm-b", "npm", "left-pad")));

        Cli.Result result = update(mirrorB);

        assertThat(result.exit()).isZero();
        assertThat(ids("Maven", "g:a")).containsExactly("GHSA-maven-a");
        assertThat(ids("npm", "left-pad")).containsExactly("GHSA-npm-b");
        assertThat(kevListed("CVE-2021-44228")).isTrue();
        assertThat(warnings(result))
                .anySatisfy(w -> assertThat(w).startsWith("palisade: warning: Maven: "))
                .anySatisfy(w -> assertThat(w).startsWith("palisade: warning: KEV: "));
    }

    @Test
    void shouldNotRebuildForSourcesItKeeps() throws Exception {
        Path mirrorB = tmp.resolve("b/osv");
        GeneratedMirror.writeSource(mirrorB, "npm", List.of(GeneratedMirror.advisory("GHSA-npm-b", "npm", "left-pad")));
        String vanishedKev =
                tmp.resolve("b/kev/known_exploited_vulnerabilities.json").toString();
        assertThat(update(mirrorB, "--kev-source", vanishedKev).exit()).isZero();
        Object before = fileKey(cache.resolve(DatabaseUpdater.DATABASE_FILE));

        Cli.Result again = update(mirrorB, "--kev-source", vanishedKev);

        assertThat(again.exit()).isZero();
        assertThat(fileKey(cache.resolve(DatabaseUpdater.DATABASE_FILE)))
                .as("not rebuilt and moved over")
                .isEqualTo(before);
        assertThat(again.out().lines().map(l -> l.split("\\s+")[0])).containsExactly("npm", "KEV", "Maven");
        assertThat(ids("Maven", "g:a")).containsExactly("GHSA-maven-a");
    }

    @Test
    void shouldDropSourcesOnlyWhenAskedTo() throws Exception {
        Path mirrorB = tmp.resolve("b/osv");
        GeneratedMirror.writeSource(mirrorB, "npm", List.of(GeneratedMirror.advisory("GHSA-npm-b", "npm", "left-pad")));

        Cli.Result result = update(mirrorB, "--allow-source-removal");

        assertThat(result.exit()).isZero();
        assertThat(ids("Maven", "g:a")).isEmpty();
        assertThat(kevListed("CVE-2021-44228")).isFalse();
        assertThat(ids("npm", "left-pad")).containsExactly("GHSA-npm-b");
    }

    @Test
    void shouldRefuseAnEmptyMirrorAndKeepTheDatabase() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty/osv"));
        byte[] before = Files.readAllBytes(cache.resolve(DatabaseUpdater.DATABASE_FILE));

        Cli.Result result = update(empty);

        assertThat(result.exit()).isEqualTo(PalisadeCommand.EXIT_UNREADABLE);
        assertThat(Files.readAllBytes(cache.resolve(DatabaseUpdater.DATABASE_FILE)))
                .isEqualTo(before);
        assertThat(ids("Maven", "g:a")).containsExactly("GHSA-maven-a");
    }

    @Test
    void shouldRefuseToBuildAFirstDatabaseFromAnEmptyMirror() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty/osv"));
        cache = tmp.resolve("fresh-cache");

        Cli.Result result = update(empty);

        assertThat(result.exit()).isEqualTo(PalisadeCommand.EXIT_UNREADABLE);
        assertThat(cache.resolve(DatabaseUpdater.DATABASE_FILE)).doesNotExist();
    }

    @Test
    void shouldRefuseAnEcosystemExportWithoutUsableRecords() throws Exception {
        Path mirrorB = tmp.resolve("b/osv");
        GeneratedMirror.writeSource(mirrorB, "Maven", List.of("{\"modified\":\"2026-01-01T00:00:00Z\"}"));
        GeneratedMirror.writeSource(mirrorB, "npm", List.of(GeneratedMirror.advisory("GHSA-npm-b", "npm", "left-pad")));
        GeneratedMirror.writeKevBeside(mirrorB, "CVE-2021-44228");

        Cli.Result result = update(mirrorB);

        assertThat(result.exit()).isEqualTo(PalisadeCommand.EXIT_UNREADABLE);
        assertThat(ids("Maven", "g:a")).containsExactly("GHSA-maven-a");
        assertThat(ids("npm", "left-pad")).containsExactly("GHSA-npm-a");
    }

    // --- a young database from another mirror

    ByteArrayOutputStream err = new ByteArrayOutputStream();

    VulnerabilityDatabases databases(Path mirror, boolean skipUpdate) {
        DatabaseOptions options = new DatabaseOptions();
        options.cacheDir = cache;
        options.dbMirror = mirror.toString();
        options.maxAge = "24h";
        options.skipUpdate = skipUpdate;
        Environment environment = new Environment(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]),
                Map.of(),
                Scans.FIXED,
                false);
        return new VulnerabilityDatabases(options, environment, m -> {});
    }

    Path mirrorB() throws Exception {
        Path mirrorB = tmp.resolve("b/osv");
        GeneratedMirror.writeSource(
                mirrorB, "Maven", List.of(GeneratedMirror.advisory("GHSA-maven-b", "Maven", "g:a")));
        GeneratedMirror.writeSource(mirrorB, "npm", List.of(GeneratedMirror.advisory("GHSA-npm-b", "npm", "left-pad")));
        GeneratedMirror.writeKevBeside(mirrorB, "CVE-2021-44228");
        return mirrorB;
    }

    @Test
    void shouldUpdateAYoungDatabaseBuiltFromAnotherMirror() throws Exception {
        Path mirrorB = mirrorB();

        try (SqliteVulnerabilityStore store = databases(mirrorB, false).openForScan(true)) {
            assertThat(store.advisories("Maven", "g:a"))
                    .extracting(Advisory::id)
                    .containsExactly("GHSA-maven-b");
        }
        try (SqliteVulnerabilityStore store = databases(mirrorA, false).openForScan(true)) {
            assertThat(store.advisories("Maven", "g:a"))
                    .extracting(Advisory::id)
                    .containsExactly("GHSA-maven-a");
        }
    }

    @Test
    void shouldRecordTheNewMirrorEvenWhenItsFilesAreTheSame() throws Exception {
        Path mirrorB = tmp.resolve("b/osv");
        for (String source : List.of("Maven", "npm")) {
            Files.createDirectories(mirrorB.resolve(source));
            Files.copy(
                    mirrorA.resolve(source).resolve("all.zip"),
                    mirrorB.resolve(source).resolve("all.zip"),
                    java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path kevB = GeneratedMirror.writeKevBeside(mirrorB, "CVE-2021-44228");
        Files.setLastModifiedTime(
                kevB, Files.getLastModifiedTime(GeneratedMirror.writeKevBeside(mirrorA, "CVE-2021-44228")));
        assertThat(update(mirrorA).exit()).isZero();

        databases(mirrorB, false).openForScan(true).close();

        try (SqliteVulnerabilityStore store =
                SqliteVulnerabilityStore.open(cache.resolve(DatabaseUpdater.DATABASE_FILE))) {
            assertThat(store.status().sources())
                    .extracting(s -> Path.of(s.location()))
                    .containsExactly(kevB, mirrorB.toAbsolutePath(), mirrorB.toAbsolutePath());
        }
        err.reset();
        databases(mirrorB, true).openForScan(true).close();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .as("no other mirror any more")
                .isEmpty();
    }

    @Test
    void shouldWarnWhenUpdatesAreOffAndTheDatabaseIsFromAnotherMirror() throws Exception {
        Path mirrorB = mirrorB();

        try (SqliteVulnerabilityStore store = databases(mirrorB, true).openForScan(true)) {
            assertThat(store.advisories("Maven", "g:a"))
                    .extracting(Advisory::id)
                    .containsExactly("GHSA-maven-a");
        }
        List<String> warnings = err.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.startsWith("palisade: warning: "))
                .toList();
        assertThat(warnings)
                .singleElement()
                .satisfies(w -> assertThat(w).contains(mirrorA.toString()).contains(mirrorB.toString()));
    }
}
