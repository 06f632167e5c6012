package dev.palisade.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.catalog.Purls;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.testing.TestDatabase;
import dev.palisade.vulndb.sqlite.SqliteVulnerabilityStore;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Matching against the pinned real advisory data (TestDatabase), imported into a real SQLite database. */
class MatcherTest {
    static SqliteVulnerabilityStore store;

    @BeforeAll
    static void open() throws Exception {
        store = SqliteVulnerabilityStore.open(TestDatabase.databaseFile());
    }

    @AfterAll
    static void close() throws Exception {
        store.close();
    }

    static Package pkg(Ecosystem ecosystem, String name, String version) {
        return new Package(
                ecosystem,
                name,
                version,
                "pkg:" + ecosystem.purlType() + "/" + name + "@" + version,
                List.of(Location.of("somewhere")),
                null,
                null,
                "test",
                Map.of());
    }

    static Package deb(String name, String version, String source, String sourceVersion) {
        return new Package(
                Ecosystem.DEBIAN,
                name,
                version,
                Purls.of(Ecosystem.DEBIAN, "debian", name, version),
                List.of(Location.of("var/lib/dpkg/status")),
                source,
                sourceVersion,
                "dpkg-status",
                Map.of());
    }

    static List<Finding> match(@Nullable OsRelease os, Package... packages) throws Exception {
        ArtifactDescription artifact =
                new ArtifactDescription("test", ArtifactKind.ROOTFS, DeploymentModel.VM, List.of(), null);
        return new Matcher(store)
                .match(new Inventory(artifact, os, List.of(packages), List.of()))
                .findings();
    }

    static Finding only(List<Finding> findings, String id) {
        return findings.stream()
                .filter(f -> f.ids().contains(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        id + " not among " + findings.stream().map(Finding::id).toList()));
    }

    @Nested
    class Maven {
        @Test
        void shouldReportLog4ShellAsCriticalKnownExploitedWithItsFix() throws Exception {
            Finding log4shell = only(
                    match(null, pkg(Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core", "2.14.1")),
                    "CVE-2021-44228");

            assertThat(log4shell.id()).isEqualTo("CVE-2021-44228");
            assertThat(log4shell.ids()).contains("GHSA-jfh8-c2jp-5v3q");
            assertThat(log4shell.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(log4shell.cvss().baseScore()).isEqualTo(10.0);
            assertThat(log4shell.kev()).isNotNull();
            assertThat(log4shell.nearestFix()).isEqualTo("2.15.0");
            assertThat(log4shell.status()).isEqualTo(Finding.Status.AFFECTED);
        }

        @Test
        void shouldNotReportAVersionAtOrPastTheFix() throws Exception {
            assertThat(match(null, pkg(Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core", "2.15.0")))
                    .noneMatch(f -> f.ids().contains("CVE-2021-44228"));
            assertThat(match(null, pkg(Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core", "2.12.2")))
                    .noneMatch(f -> f.ids().contains("CVE-2021-44228"));
            assertThat(match(null, pkg(Ecosystem.MAVEN, "com.fasterxml.jackson.core:jackson-databind", "2.9.10.2")))
                    .noneMatch(f -> f.ids().contains("GHSA-gww7-p5w4-wrfv"));
            assertThat(only(
                                    match(
                                            null,
                                            pkg(
                                                    Ecosystem.MAVEN,
                                                    "com.fasterxml.jackson.core:jackson-databind",
                                                    "2.9.10.1")),
                                    "GHSA-gww7-p5w4-wrfv")
                            .nearestFix())
                    .isEqualTo("2.9.10.2");
        }
    }

    @Nested
    class Debian {
        private final OsRelease bullseye =
                new OsRelease("debian", "11", "bullseye", null, null, Location.of("etc/os-release"));
        private final OsRelease buster =
                new OsRelease("debian", "10", "buster", null, null, Location.of("etc/os-release"));

        @Test
        void shouldMatchBinaryPackagesThroughTheirSourcePackageAndRelease() throws Exception {
            Finding dsa = only(
                    match(bullseye, deb("libssl1.1", "1.1.1n-0+deb11u3", "openssl", "1.1.1n-0+deb11u3")), "DSA-5343-1");

            assertThat(dsa.nearestFix()).isEqualTo("1.1.1n-0+deb11u4");
            assertThat(dsa.related()).contains("CVE-2023-0286");
            assertThat(dsa.severity()).isEqualTo(Severity.UNKNOWN);
        }

        @Test
        void shouldNotReportAFixedDebianVersionOrAnotherRelease() throws Exception {
            assertThat(match(bullseye, deb("libssl1.1", "1.1.1n-0+deb11u4", "openssl", "1.1.1n-0+deb11u4")))
                    .noneMatch(f -> f.ids().contains("DSA-5343-1"));
            assertThat(match(buster, deb("libssl1.1", "1.1.1n-0+deb11u3", "openssl", "1.1.1n-0+deb11u3")))
                    .noneMatch(f -> f.ids().contains("DSA-5343-1"));
        }

        @Test
        void shouldFlagADebianAdvisoryFixingAKnownExploitedCve() throws Exception {
            Finding dsa =
                    only(match(buster, deb("liblog4j2-java", "2.11.1-2", "apache-log4j2", "2.11.1-2")), "DSA-5020-1");

            assertThat(dsa.nearestFix()).isEqualTo("2.15.0-1~deb10u1");
            assertThat(dsa.kev()).isNotNull();
            assertThat(dsa.kev().cve()).isEqualTo("CVE-2021-44228");
        }

        @Test
        void shouldSayWhyOsPackagesWithoutOsReleaseAreNotMatched() throws Exception {
            ArtifactDescription artifact =
                    new ArtifactDescription("x", ArtifactKind.ROOTFS, DeploymentModel.VM, List.of(), null);
            Matcher.Result result = new Matcher(store)
                    .match(new Inventory(
                            artifact,
                            null,
                            List.of(deb("libssl1.1", "1.1.1n-0+deb11u3", "openssl", "1.1.1n-0+deb11u3")),
                            List.of()));

            assertThat(result.findings()).isEmpty();
            assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.reason())
                    .contains("no os-release"));
        }
    }

    @Nested
    class OtherEcosystems {
        @Test
        void shouldMatchNpmIncludingPrereleaseRanges() throws Exception {
            assertThat(only(match(null, pkg(Ecosystem.NPM, "express", "4.18.2")), "GHSA-rv95-896h-c2vc")
                            .nearestFix())
                    .isEqualTo("4.19.2");
            assertThat(match(null, pkg(Ecosystem.NPM, "express", "5.0.0-beta.1")))
                    .anyMatch(f -> f.ids().contains("GHSA-rv95-896h-c2vc"));
            assertThat(match(null, pkg(Ecosystem.NPM, "express", "4.19.2")))
                    .noneMatch(f -> f.ids().contains("GHSA-rv95-896h-c2vc"));
        }

        @Test
        void shouldMatchGoModulesAndTheStandardLibrary() throws Exception {
            assertThat(only(match(null, pkg(Ecosystem.GO, "golang.org/x/net", "v0.7.0")), "GO-2023-2102")
                            .nearestFix())
                    .isEqualTo("0.17.0");
            assertThat(only(match(null, pkg(Ecosystem.GO, "stdlib", "v1.21.2")), "GO-2023-2102")
                            .nearestFix())
                    .isEqualTo("1.21.3");
            assertThat(match(null, pkg(Ecosystem.GO, "stdlib", "v1.20.10")))
                    .noneMatch(f -> f.ids().contains("GO-2023-2102"));
        }

        @Test
        void shouldMatchAGoBinarysToolchainVersionAgainstTheStandardLibrary() throws Exception {
            // GoBinaryCataloger records the toolchain go1.24rc1 as stdlib v1.24rc1, and go1.21.2 as v1.21.2
            assertThat(only(match(null, pkg(Ecosystem.GO, "stdlib", "v1.24rc1")), "GO-2025-3421")
                            .nearestFix())
                    .isEqualTo("1.24.0-rc.2");
            assertThat(match(null, pkg(Ecosystem.GO, "stdlib", "v1.24rc2")))
                    .noneMatch(f -> f.ids().contains("GO-2025-3421"));
            assertThat(only(match(null, pkg(Ecosystem.GO, "stdlib", "go1.21.2")), "GO-2023-2102")
                            .status())
                    .isEqualTo(Finding.Status.AFFECTED);
            assertThat(match(null, pkg(Ecosystem.GO, "stdlib", "v1.24rc1")))
                    .noneMatch(f -> f.status() == Finding.Status.NOT_COMPARED);
        }

        @Test
        void shouldMatchTheGoCommandAgainstToolchainAdvisories() throws Exception {
            Package goCommand = new Package(
                    Ecosystem.GO,
                    "stdlib",
                    "v1.20.4",
                    "pkg:golang/stdlib@v1.20.4",
                    List.of(Location.of("usr/local/go/bin/go")),
                    null,
                    null,
                    "go-binary",
                    Map.of("mainModulePath", "cmd/go"));
            Package otherBinary = new Package(
                    Ecosystem.GO,
                    "stdlib",
                    "v1.20.4",
                    "pkg:golang/stdlib@v1.20.4",
                    List.of(Location.of("usr/bin/app")),
                    null,
                    null,
                    "go-binary",
                    Map.of("mainModulePath", "example.com/app"));

            assertThat(only(match(null, goCommand), "GO-2023-1839").nearestFix())
                    .isEqualTo("1.20.5");
            assertThat(match(null, goCommand)).anyMatch(f -> f.ids().contains("GO-2023-2102"));
            assertThat(match(null, otherBinary)).noneMatch(f -> f.ids().contains("GO-2023-1839"));
        }

        @Test
        void shouldCompareAToolchainVersionWithAHugeNumberInsteadOfFailing() throws Exception {
            List<Finding> findings = match(
                    null,
                    pkg(Ecosystem.GO, "stdlib", "go1.21.99999999999999999999"),
                    pkg(Ecosystem.GO, "stdlib", "v1.21.2"));

            assertThat(findings)
                    .filteredOn(f -> f.pkg().version().startsWith("go1.21.9"))
                    .noneMatch(f -> f.ids().contains("GO-2023-2102"))
                    .noneMatch(f -> f.status() == Finding.Status.NOT_COMPARED);
            assertThat(findings)
                    .filteredOn(f -> f.pkg().version().equals("v1.21.2"))
                    .anyMatch(f -> f.ids().contains("GO-2023-2102"));
        }

        @Test
        void shouldMatchPypiSkippingGitRanges() throws Exception {
            Finding requests = only(match(null, pkg(Ecosystem.PYPI, "Requests", "2.30.0")), "PYSEC-2023-74");
            assertThat(requests.id()).isEqualTo("CVE-2023-32681");
            assertThat(requests.nearestFix()).isEqualTo("2.31.0");
            assertThat(match(null, pkg(Ecosystem.PYPI, "requests", "2.31.0")))
                    .noneMatch(f -> f.ids().contains("PYSEC-2023-74"));
        }

        @Test
        void shouldMatchCratesRubyGemsAndPackagist() throws Exception {
            assertThat(only(match(null, pkg(Ecosystem.CARGO, "h2", "0.3.21")), "RUSTSEC-2024-0003")
                            .nearestFix())
                    .isEqualTo("0.3.24");
            assertThat(only(match(null, pkg(Ecosystem.GEM, "nokogiri", "1.10.3")), "RUBYSEC-nokogiri-CVE-2019-5477")
                            .nearestFix())
                    .isEqualTo("1.10.4");
            assertThat(match(null, pkg(Ecosystem.COMPOSER, "guzzlehttp/guzzle", "7.4.2")))
                    .anyMatch(f -> f.advisories().contains("FOPHP-guzzlehttp_guzzle_CVE-2022-29248"));
        }

        @Test
        void shouldReportAPackageWithoutAVersionAsNotComparedRatherThanSkipIt() throws Exception {
            List<Finding> findings = match(
                    null,
                    pkg(Ecosystem.NPM, "express", ""),
                    pkg(Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core", " "));

            assertThat(findings)
                    .anyMatch(f -> f.pkg().name().equals("express"))
                    .anyMatch(f -> f.pkg().name().equals("org.apache.logging.log4j:log4j-core")
                            && f.ids().contains("CVE-2021-44228"));
            assertThat(findings).allSatisfy(f -> {
                assertThat(f.status()).isEqualTo(Finding.Status.NOT_COMPARED);
                assertThat(f.note()).contains("empty");
            });
        }

        @Test
        void shouldReportAVersionItCannotCompareAsNotCompared() throws Exception {
            List<Finding> findings = match(null, pkg(Ecosystem.PYPI, "requests", "not a version!"));

            assertThat(findings).isNotEmpty().allSatisfy(f -> {
                assertThat(f.status()).isEqualTo(Finding.Status.NOT_COMPARED);
                assertThat(f.note()).contains("not a valid pep440 version");
            });
        }
    }

    @Test
    void shouldSortKnownExploitedThenSeverityThenFixable() throws Exception {
        List<Finding> findings = match(
                null,
                pkg(Ecosystem.MAVEN, "org.yaml:snakeyaml", "1.29"),
                pkg(Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core", "2.14.1"));

        assertThat(findings.get(0).kev()).isNotNull();
        for (int i = 1; i < findings.size(); i++) {
            assertThat(Matcher.FIX_FIRST.compare(findings.get(i - 1), findings.get(i)))
                    .isNegative();
        }
    }
}
