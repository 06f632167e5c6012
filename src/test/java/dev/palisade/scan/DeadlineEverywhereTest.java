package dev.palisade.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.CatalogRunner;
import dev.palisade.catalog.java.JavaArchiveCataloger;
import dev.palisade.catalog.java.KnownMavenGroups;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.ConfigScanner;
import dev.palisade.checks.SecretCollector;
import dev.palisade.checks.SecretScanner;
import dev.palisade.checks.TrustedSources;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.Package;
import dev.palisade.match.Matcher;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.Deadline;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.Problem;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.TimeLimitException;
import dev.palisade.testing.TestDatabase;
import dev.palisade.testing.Trees;
import dev.palisade.vulndb.sqlite.SqliteVulnerabilityStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each stage after the layers stops at {@code --timeout} on its own: the secret scanner, nested archives, the
 * configuration checks and matching. Each case runs the stage once without a deadline (it finds something) and once
 * past its deadline (it stops, and says what it left).
 */
class DeadlineEverywhereTest {
    static final CheckCatalog CATALOG = CheckCatalog.load();

    @TempDir
    Path tmp;

    static Deadline passed() throws InterruptedException {
        Deadline deadline = Deadline.after(Duration.ofNanos(1));
        Thread.sleep(2);
        assertThat(deadline.expired()).isTrue();
        return deadline;
    }

    static FileEntry file(String path, int size) {
        return new FileEntry(path, FileKind.FILE, size, 0644, 0, 0, null, 0);
    }

    /** A file only the secret scanner wants never reaches a cataloger's check of the deadline: its own check stops it. */
    @Test
    void shouldStopTheSecretScanAtTheDeadline() throws Exception {
        byte[] env = "DB_PASSWORD=Sup3rS3cretValue!\nGITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ0123456789\n"
                .getBytes(StandardCharsets.UTF_8);
        FileEntry entry = file("app/.env", env.length);

        SecretCollector found = collector();
        secretVisitor(found, Deadline.none()).file(entry, new ByteArrayInputStream(env));
        assertThat(found.layer(0))
                .as("without a deadline the secrets are found")
                .containsKey("app/.env");

        SecretCollector late = collector();
        assertThatThrownBy(() -> secretVisitor(late, passed()).file(entry, new ByteArrayInputStream(env)))
                .isInstanceOf(TimeLimitException.class)
                .hasMessageContaining("--timeout")
                .hasMessageContaining("app/.env");
        assertThat(late.layer(0)).isEmpty();
    }

    static SecretCollector collector() throws Exception {
        return new SecretCollector(SecretScanner.load(CATALOG, null, SecretScanner.DEFAULT_MAX_BYTES));
    }

    static SecretTreeVisitor secretVisitor(SecretCollector secrets, Deadline deadline) {
        return new SecretTreeVisitor(
                new CatalogRunner(List.of(), ScanLimits.defaults(), message -> {}), secrets, deadline);
    }

    /**
     * A nested archive is inflated through the deadline, and the deadline ends the archive's nested reading (not only
     * the one member): what the archive showed is kept, and a problem says what was left.
     */
    @Test
    void shouldStopInflatingANestedArchiveAtTheDeadline() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            byte[] zeros = new byte[1024 * 1024];
            for (String name : List.of("BOOT-INF/lib/big-1.0.jar", "BOOT-INF/lib/big-2.0.jar")) {
                zip.putArchiveEntry(new ZipArchiveEntry(name));
                for (int i = 0; i < 16; i++) {
                    zip.write(zeros);
                }
                zip.closeArchiveEntry();
            }
        }
        byte[] outer = bytes.toByteArray();
        FileEntry entry = file("app/app-1.0.jar", outer.length);
        JavaArchiveCataloger cataloger = new JavaArchiveCataloger(KnownMavenGroups.load());
        ScanLimits roomy = ScanLimits.defaults().withMaxFileBytes(64L << 20);

        List<Problem> problems = new ArrayList<>();
        assertThat(cataloger.catalog(
                        entry, new ByteArrayInputStream(outer), new CatalogContext(roomy, problems::add, null)))
                .as("without a deadline the outer jar is identified")
                .isNotEmpty();
        assertThat(problems)
                .as("both nested members read (and found to be no zip)")
                .hasSize(2);

        ScanLimits late = roomy.withTimeout(Duration.ofNanos(1)).started();
        Thread.sleep(2);
        problems.clear();
        assertThat(cataloger.catalog(
                        entry, new ByteArrayInputStream(outer), new CatalogContext(late, problems::add, null)))
                .as("what the archive showed before is kept")
                .extracting(Package::purl)
                .containsExactly("pkg:maven/app/app@1.0");
        assertThat(problems)
                .singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("app/app-1.0.jar"))
                .satisfies(p -> assertThat(p.reason())
                        .startsWith("its nested archives were not all read: the scan took longer than its timeout")
                        .contains("BOOT-INF/lib/big-1.0.jar"));
    }

    /** A Spring Boot jar's nested jars are stored, not deflated: the deadline is checked before each one. */
    @Test
    void shouldStopAtTheDeadlineAmongStoredNestedJars() throws Exception {
        byte[] inner = storedZip("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (int i = 0; i < 2_000; i++) {
                ZipArchiveEntry entry = new ZipArchiveEntry("BOOT-INF/lib/lib" + i + "-1.0.jar");
                stored(entry, inner);
                zip.putArchiveEntry(entry);
                zip.write(inner);
                zip.closeArchiveEntry();
            }
        }
        byte[] outer = bytes.toByteArray();
        FileEntry entry = file("app/app-1.0.jar", outer.length);
        JavaArchiveCataloger cataloger = new JavaArchiveCataloger(KnownMavenGroups.load());
        List<Problem> problems = new ArrayList<>();

        assertThat(cataloger.catalog(
                        entry,
                        new ByteArrayInputStream(outer),
                        new CatalogContext(ScanLimits.defaults(), problems::add, null)))
                .as("without a deadline every nested jar is read")
                .hasSize(2_001);

        ScanLimits late = ScanLimits.defaults().withTimeout(Duration.ofNanos(1)).started();
        Thread.sleep(2);
        problems.clear();
        assertThat(cataloger.catalog(
                        entry, new ByteArrayInputStream(outer), new CatalogContext(late, problems::add, null)))
                .extracting(Package::purl)
                .containsExactly("pkg:maven/app/app@1.0");
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.reason())
                .startsWith("its nested archives were not all read: the scan took longer than its timeout"));
    }

    /** A zip of one stored (not deflated) member. */
    static byte[] storedZip(String name, String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            ZipArchiveEntry entry = new ZipArchiveEntry(name);
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            stored(entry, data);
            zip.putArchiveEntry(entry);
            zip.write(data);
            zip.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    static void stored(ZipArchiveEntry entry, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        entry.setMethod(ZipArchiveEntry.STORED);
        entry.setSize(data.length);
        entry.setCrc(crc.getValue());
    }

    /** Configuration files not reached by the deadline are counted, not taken as clean. */
    @Test
    void shouldCountTheConfigurationFilesLeftAtTheDeadline() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("Dockerfile"), "FROM debian:latest\nUSER root\nRUN curl http://x | sh\n");
        Files.writeString(
                project.resolve("pod.yaml"),
                "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                        + "  - name: c\n    image: nginx\n    securityContext: {privileged: true}\n");

        ConfigScanner.Result inTime = configScanner(Deadline.none()).scan(Trees.of(project));
        assertThat(inTime.misconfigurations()).isNotEmpty();

        ConfigScanner.Result late = configScanner(passed()).scan(Trees.of(project));
        assertThat(late.misconfigurations()).isEmpty();
        assertThat(late.problems())
                .extracting(Problem::reason)
                .containsExactly("2 configuration files not checked: the scan reached its timeout (--timeout)");
    }

    static ConfigScanner configScanner(Deadline deadline) {
        return new ConfigScanner(
                CATALOG, 1 << 20, LocalDate.parse("2026-12-01"), TrustedSources.NONE, 10_000, deadline);
    }

    /** Packages not matched by the deadline are counted, not taken as free of vulnerabilities. */
    @Test
    void shouldCountThePackagesLeftUnmatchedAtTheDeadline() throws Exception {
        Package log4j = new Package(
                Ecosystem.MAVEN,
                "org.apache.logging.log4j:log4j-core",
                "2.14.1",
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                List.of(Location.of("app/lib/log4j-core-2.14.1.jar")),
                null,
                null,
                "test",
                Map.of());
        Inventory inventory = new Inventory(
                new ArtifactDescription("app", ArtifactKind.DIRECTORY, DeploymentModel.UNSPECIFIED, List.of(), null),
                null,
                List.of(log4j, log4j),
                List.of());

        try (SqliteVulnerabilityStore store = SqliteVulnerabilityStore.open(TestDatabase.databaseFile())) {
            Matcher.Result inTime = new Matcher(store).match(inventory, Deadline.none());
            assertThat(inTime.findings()).isNotEmpty();

            Matcher.Result late = new Matcher(store).match(inventory, passed());
            assertThat(late.findings()).isEmpty();
            assertThat(late.problems())
                    .extracting(Problem::reason)
                    .singleElement()
                    .asString()
                    .startsWith("2 packages not matched: the scan reached its timeout");
        }
    }
}
