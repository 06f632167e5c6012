package dev.palisade.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.os.OsReleaseParser;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.testing.Scans;
import dev.palisade.vulndb.DirectoryMirror;
import dev.palisade.vulndb.sqlite.DatabaseUpdater;
import dev.palisade.vulndb.sqlite.SqliteVulnerabilityStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OS packages of Ubuntu, Red Hat, AlmaLinux, Rocky Linux, SUSE, openSUSE, Wolfi and Photon OS matched
 * against their OSV ecosystems, through a database that {@code db update} builds from a mirror holding
 * those ecosystems' folders (advisories: src/test/resources/dev/palisade/match/distros, see PROVENANCE.md;
 * os-release files: .../match/os-release, as shipped in each distribution's official image).
 */
class DistroMatchingTest {
    private static final Path RESOURCES =
            Paths.get("src/test/resources/dev/palisade/match").toAbsolutePath();

    @TempDir
    static Path tmp;

    static SqliteVulnerabilityStore store;

    @BeforeAll
    static void buildDatabase() throws Exception {
        Path mirror = Files.createDirectories(tmp.resolve("mirror"));
        try (Stream<Path> folders = Files.list(RESOURCES.resolve("distros"))) {
            for (Path folder : folders.toList()) {
                Path ecosystem = Files.createDirectories(
                        mirror.resolve(folder.getFileName().toString()));
                try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(ecosystem.resolve("all.zip")));
                        Stream<Path> records = Files.list(folder)) {
                    for (Path record : records.sorted().toList()) {
                        zip.putNextEntry(new ZipEntry(record.getFileName().toString()));
                        try (InputStream in = Files.newInputStream(record)) {
                            in.transferTo(zip);
                        }
                        zip.closeEntry();
                    }
                }
            }
        }
        DirectoryMirror osv = new DirectoryMirror(mirror);
        assertThat(osv.ecosystems())
                .containsExactlyInAnyOrder(
                        "AlmaLinux", "Photon OS", "Red Hat", "Rocky Linux", "SUSE", "Ubuntu", "Wolfi", "openSUSE");
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        new DatabaseUpdater(cache, Scans.FIXED, m -> {}).update(osv, null, null, osv.ecosystems(), false);
        store = SqliteVulnerabilityStore.open(cache.resolve(DatabaseUpdater.DATABASE_FILE));
    }

    @AfterAll
    static void close() throws Exception {
        store.close();
    }

    static OsRelease osRelease(String file) throws IOException {
        String text = Files.readString(RESOURCES.resolve("os-release").resolve(file), StandardCharsets.UTF_8);
        return OsReleaseParser.parse(text, Location.of("etc/os-release")).orElseThrow();
    }

    static Package deb(String name, String version, String source) {
        return new Package(
                Ecosystem.DEBIAN,
                name,
                version,
                "",
                List.of(Location.of("var/lib/dpkg/status")),
                source,
                version,
                "dpkg-status",
                Map.of());
    }

    static Package rpm(
            String name, @Nullable String epoch, String version, String sourceRpm, Map<String, String> more) {
        Map<String, String> metadata = new HashMap<>(more);
        if (epoch != null) {
            metadata.put("epoch", epoch);
        }
        return new Package(
                Ecosystem.RPM,
                name,
                version,
                "",
                List.of(Location.of("var/lib/rpm/rpmdb.sqlite")),
                sourceRpm,
                version,
                "rpm-db",
                metadata);
    }

    static Package apk(String name, String version) {
        return new Package(
                Ecosystem.ALPINE,
                name,
                version,
                "",
                List.of(Location.of("lib/apk/db/installed")),
                name,
                version,
                "apk-installed",
                Map.of());
    }

    static Matcher.Result match(OsRelease os, Package... packages) throws IOException {
        ArtifactDescription artifact =
                new ArtifactDescription("host", ArtifactKind.ROOTFS, DeploymentModel.VM, List.of(), null);
        return new Matcher(store).match(new Inventory(artifact, os, List.of(packages), List.of()));
    }

    static List<String> advisories(Matcher.Result result) {
        return result.findings().stream()
                .flatMap(f -> f.advisories().stream())
                .sorted()
                .toList();
    }

    static Finding only(Matcher.Result result) {
        assertThat(result.findings()).hasSize(1);
        return result.findings().get(0);
    }

    @Test
    void shouldMatchUbuntuPackagesByTheirSourceInTheLtsEcosystem() throws Exception {
        OsRelease jammy = osRelease("ubuntu-22.04");

        Finding finding = only(match(jammy, deb("openssh-server", "1:8.9p1-3ubuntu0.7", "openssh")));
        assertThat(finding.advisories()).containsExactly("USN-6859-1");
        assertThat(finding.nearestFix()).isEqualTo("1:8.9p1-3ubuntu0.10");
        assertThat(finding.status()).isEqualTo(Finding.Status.AFFECTED);

        assertThat(match(jammy, deb("openssh-server", "1:8.9p1-3ubuntu0.10", "openssh"))
                        .findings())
                .as("the fixed version")
                .isEmpty();
        assertThat(advisories(match(jammy, deb("php8.1-cli", "8.1.2-1ubuntu2.21", "php8.1"))))
                .containsExactly("UBUNTU-CVE-2025-6491");
        assertThat(match(jammy, deb("php8.1-cli", "8.1.2-1ubuntu2.22", "php8.1"))
                        .findings())
                .isEmpty();
    }

    @Test
    void shouldMatchAnEsmOnlyReleaseAgainstItsUbuntuProEcosystem() throws Exception {
        // 18.04's standard support ended: its advisories are filed under Ubuntu:Pro:18.04:LTS only
        Matcher.Result result =
                match(osRelease("ubuntu-18.04"), deb("php7.2-cli", "7.2.24-0ubuntu0.18.04.17+esm8", "php7.2"));

        assertThat(advisories(result)).containsExactly("UBUNTU-CVE-2025-6491");
    }

    @Test
    void shouldJudgeAPackageByItsUbuntuProFixBeforeTheReleaseEntry() throws Exception {
        OsRelease focal = new OsRelease(
                "ubuntu", "20.04", "focal", "Ubuntu 20.04.6 LTS", "debian", Location.of("etc/os-release"));

        assertThat(match(focal, deb("palisade-demo", "1.0-1ubuntu0.1+esm1", "palisade-demo"))
                        .findings())
                .as("patched through ESM, although the release entry lists the version as affected")
                .isEmpty();
        Finding unpatched = only(match(focal, deb("palisade-demo", "1.0-1ubuntu0.1", "palisade-demo")));
        assertThat(unpatched.nearestFix()).isEqualTo("1.0-1ubuntu0.1+esm1");
    }

    @Test
    void shouldMatchRedHatBinaryRpmsInTheReleaseRepositoryStreamsWithEpochZero() throws Exception {
        OsRelease rhel9 = osRelease("rhel-9.4");
        Map<String, String> redHat = Map.of("vendor", "Red Hat, Inc.", "arch", "x86_64");

        Finding finding = only(match(rhel9, rpm("sudo", null, "1.9.5p2-9.el9", "sudo", redHat)));
        assertThat(finding.advisories()).containsExactly("RHSA-2025:9978");
        assertThat(finding.related()).as("Red Hat names the CVE upstream").contains("CVE-2025-32462");
        assertThat(finding.nearestFix()).isEqualTo("0:1.9.5p2-10.el9_6.1");

        assertThat(match(rhel9, rpm("sudo", null, "1.9.5p2-10.el9_6.1", "sudo", redHat))
                        .findings())
                .isEmpty();
        assertThat(match(osRelease("rhel-8.9"), rpm("sudo", null, "1.9.5p2-9.el9", "sudo", redHat))
                        .findings())
                .as("RHEL 9 advisory, RHEL 8 host")
                .isEmpty();
    }

    @Test
    void shouldNotMatchAThirdPartyVendorsRpmAgainstTheDistributionAdvisories() throws Exception {
        Matcher.Result result = match(
                osRelease("rhel-9.4"), rpm("sudo", null, "1.9.5p2-9.el9", "sudo", Map.of("vendor", "Fedora Project")));

        assertThat(result.findings()).isEmpty();
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.reason())
                .contains("Fedora Project"));
    }

    @Test
    void shouldMatchAModularRpmOnlyAgainstItsOwnModuleStream() throws Exception {
        OsRelease rhel8 = osRelease("rhel-8.9");
        Package stream20 = rpm(
                "nodejs",
                "1",
                "20.10.0-1.module+el8.9.0+20758+ed1d5bd1",
                "nodejs",
                Map.of("vendor", "Red Hat, Inc.", "modularityLabel", "nodejs:20:8090020231019152822:a75119d5"));
        Package stream18 = rpm(
                "nodejs",
                "1",
                "18.19.0-1.module+el8.9.0+20758+ed1d5bd1",
                "nodejs",
                Map.of("vendor", "Red Hat, Inc.", "modularityLabel", "nodejs:18:8090020231019152822:a75119d5"));
        Package notModular = rpm("nodejs", "1", "20.10.0-1.el8", "nodejs", Map.of("vendor", "Red Hat, Inc."));

        assertThat(advisories(match(rhel8, stream20))).containsExactly("PALISADE-TEST-RHSA-MODULE");
        assertThat(match(rhel8, stream18).findings()).as("another stream").isEmpty();
        assertThat(match(rhel8, notModular).findings()).as("not from a module").isEmpty();
    }

    @Test
    void shouldCompareAlmaLinuxVersionsWithTheirEpochs() throws Exception {
        OsRelease alma = osRelease("almalinux-9.3");
        Map<String, String> vendor = Map.of("vendor", "AlmaLinux");

        Finding finding = only(match(alma, rpm("openssl-libs", "1", "3.0.1-43.el9_0", "openssl", vendor)));
        assertThat(finding.advisories()).containsExactly("ALSA-2023:0946");
        assertThat(finding.nearestFix()).isEqualTo("1:3.0.1-47.el9_1");

        assertThat(match(alma, rpm("openssl-libs", "1", "3.0.7-24.el9", "openssl", vendor))
                        .findings())
                .isEmpty();
        // rpm's rule: a missing epoch is 0, and 0:3.0.7 sorts before the fix's 1:3.0.1
        assertThat(match(alma, rpm("openssl-libs", null, "3.0.7-24.el9", "openssl", vendor))
                        .findings())
                .hasSize(1);
        assertThat(match(alma, rpm("openssl-libs", "2", "3.0.0-1.el9", "openssl", vendor))
                        .findings())
                .as("a higher epoch wins over any version")
                .isEmpty();
    }

    @Test
    void shouldMatchRockyLinuxByReleaseMajor() throws Exception {
        OsRelease rocky = osRelease("rocky-9.3");
        Map<String, String> vendor = Map.of("vendor", "Rocky Enterprise Software Foundation");

        assertThat(advisories(match(rocky, rpm("openssl", "1", "3.0.1-46.el9_0", "openssl", vendor))))
                .containsExactly("RLSA-2023:0946");
        assertThat(match(rocky, rpm("openssl", "1", "3.0.7-24.el9", "openssl", vendor))
                        .findings())
                .isEmpty();
    }

    @Test
    void shouldMatchSuseBySourceRpmInTheServicePacksModules() throws Exception {
        Map<String, String> suse = Map.of("vendor", "SUSE LLC <https://www.suse.com/>");

        assertThat(advisories(match(
                        osRelease("sles-15.5"), rpm("libopenssl3", null, "3.0.8-150500.5.8.1", "openssl-3", suse))))
                .containsExactly("SUSE-SU-2024:2635-1");
        assertThat(match(osRelease("sles-15.5"), rpm("libopenssl3", null, "3.0.8-150500.5.39.1", "openssl-3", suse))
                        .findings())
                .isEmpty();
        assertThat(advisories(
                        match(osRelease("opensuse-leap-15.5"), rpm("curl", null, "8.0.1-150400.5.41.1", "curl", suse))))
                .containsExactly("openSUSE-SU-2024:14106-1");
    }

    @Test
    void shouldMatchWolfiApksAndPhotonRpms() throws Exception {
        assertThat(advisories(match(osRelease("wolfi"), apk("openssh", "9.7_p1-r3"))))
                .containsExactly("CGA-2x6f-5xvx-g3pq");
        assertThat(match(osRelease("wolfi"), apk("openssh", "9.8_p1-r0")).findings())
                .isEmpty();
        assertThat(advisories(match(
                        osRelease("photon-5.0"),
                        rpm("openssh", null, "9.3p2-5.ph5", "openssh", Map.of("vendor", "VMware, Inc.")))))
                .containsExactly("PHSA-2024-5.0-0326");
    }

    @Test
    void shouldReportAmazonLinuxAsNotCheckedRatherThanClean() throws Exception {
        Matcher.Result result =
                match(osRelease("amzn-2023"), rpm("openssh", null, "8.7p1-8.amzn2023.0.4", "openssh", Map.of()));

        assertThat(result.findings()).isEmpty();
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.reason())
                .contains("Amazon Linux 2023")
                .contains("ALAS")
                .contains("not published in OSV"));
    }

    @Test
    void shouldMatchTheInstalledKernelPackageAndNoteLivePatches() throws Exception {
        Map<String, String> redHat = Map.of("vendor", "Red Hat, Inc.");
        Package kernel = rpm("kernel-core", null, "5.14.0-427.13.1.el9_4", "kernel", redHat);
        Package kpatch = rpm("kpatch-patch-5_14_0-427_13_1", null, "1-3.el9_4", "kpatch-patch-5_14_0-427_13_1", redHat);

        Matcher.Result withoutPatch = match(osRelease("rhel-9.4"), kernel);
        Matcher.Result withPatch = match(osRelease("rhel-9.4"), kernel, kpatch);

        assertThat(withoutPatch.problems()).isEmpty();
        assertThat(withPatch.problems()).singleElement().satisfies(p -> assertThat(p.reason())
                .contains("live kernel patches installed (kpatch-patch-5_14_0-427_13_1 1-3.el9_4)"));
    }
}
