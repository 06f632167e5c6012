package dev.palisade.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Package;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.testing.TestDatabase;
import dev.palisade.vulndb.Advisory;
import dev.palisade.vulndb.VulnerabilityStore;
import dev.palisade.vulndb.sqlite.SqliteVulnerabilityStore;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Severity of findings whose advisories carry CVSS v4.0 vectors (OSV severity type {@code CVSS_V4}). */
class CvssV4SeverityTest {
    static SqliteVulnerabilityStore store;

    @BeforeAll
    static void open() throws Exception {
        store = SqliteVulnerabilityStore.open(TestDatabase.databaseFile());
    }

    @AfterAll
    static void close() throws Exception {
        store.close();
    }

    static Finding finding(VulnerabilityStore from, Package p, String id) throws Exception {
        ArtifactDescription artifact =
                new ArtifactDescription("test", ArtifactKind.ROOTFS, DeploymentModel.VM, List.of(), null);
        return MatcherTest.only(
                new Matcher(from)
                        .match(new Inventory(artifact, null, List.of(p), List.of()))
                        .findings(),
                id);
    }

    @Test
    void anAdvisoryWithOnlyAV4VectorIsRatedByIt() throws Exception {
        // RUSTSEC-2026-0038 has CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H and no label.
        Finding f = finding(store, MatcherTest.pkg(Ecosystem.CARGO, "rssn", "0.2.0"), "RUSTSEC-2026-0038");

        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.cvss())
                .isEqualTo(
                        new CvssScore("CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 9.4, "4.0"));
        assertThat(f.severitySource()).isEqualTo("CVSS 4.0 base score of RUSTSEC-2026-0038");
    }

    @Test
    void theExploitMaturityOfAV4VectorCountsInItsScore() throws Exception {
        // RUSTSEC-2026-0066: CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N/E:U
        Finding f = finding(store, MatcherTest.pkg(Ecosystem.CARGO, "astral-tokio-tar", "0.5.0"), "RUSTSEC-2026-0066");

        assertThat(f.cvss().baseScore()).isEqualTo(1.7);
        assertThat(f.severity()).isEqualTo(Severity.LOW);
    }

    @Test
    void aV4ScoreAboveTheV3ScoreWins() throws Exception {
        // GHSA-2rmj-mq67-h97g: CVSS:3.1/.../A:L is 5.3, CVSS:4.0/.../VA:L is 6.9.
        Finding f = finding(
                store,
                MatcherTest.pkg(Ecosystem.MAVEN, "org.springframework:spring-web", "5.3.37"),
                "GHSA-2rmj-mq67-h97g");

        assertThat(f.cvss().version()).isEqualTo("4.0");
        assertThat(f.cvss().baseScore()).isEqualTo(6.9);
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void aV3ScoreAboveTheV4ScoreWins() throws Exception {
        VulnerabilityStore advisories = storeOf(advisory(
                "RUSTSEC-0000-0001",
                null,
                new Advisory.Score("CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N"),
                new Advisory.Score("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")));

        Finding f = finding(advisories, MatcherTest.pkg(Ecosystem.CARGO, "demo", "1.0.0"), "RUSTSEC-0000-0001");

        assertThat(f.cvss().version()).isEqualTo("3.1");
        assertThat(f.cvss().baseScore()).isEqualTo(9.8);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void anInvalidV4VectorFallsBackToTheAdvisoryLabel() throws Exception {
        VulnerabilityStore advisories = storeOf(advisory(
                "RUSTSEC-0000-0002",
                "HIGH",
                new Advisory.Score("CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SI:H")));

        Finding f = finding(advisories, MatcherTest.pkg(Ecosystem.CARGO, "demo", "1.0.0"), "RUSTSEC-0000-0002");

        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.cvss()).isNull();
        assertThat(f.severitySource()).isEqualTo("severity stated by RUSTSEC-0000-0002");
    }

    private static Advisory advisory(String id, @Nullable String label, Advisory.Score... scores) {
        Advisory.Range range =
                new Advisory.Range("SEMVER", List.of(new Advisory.Event(Advisory.EventKind.INTRODUCED, "0")));
        return new Advisory(
                id,
                List.of(),
                List.of(),
                "summary",
                "details",
                null,
                "2026-01-01T00:00:00Z",
                null,
                List.of(scores),
                label,
                List.of(new Advisory.Affected("crates.io", "demo", List.of(range), List.of(), null)),
                List.of(),
                "test");
    }

    private static VulnerabilityStore storeOf(Advisory advisory) {
        return new VulnerabilityStore() {
            @Override
            public List<Advisory> advisories(String ecosystem, String name) {
                return List.of(advisory);
            }

            @Override
            public Optional<KevEntry> kev(String cve) {
                return Optional.empty();
            }

            @Override
            public java.util.Set<String> ecosystems() {
                return java.util.Set.of("crates.io");
            }
        };
    }
}
