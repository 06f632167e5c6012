package dev.palisade.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.Package;
import dev.palisade.match.Finding;
import dev.palisade.match.Severity;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an ignore file says about each exception: reason, owner, approver and expiry, for the register. */
class SuppressionsTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-03-01");

    private static Finding finding(String id) {
        return new Finding(
                new Package(
                        Ecosystem.MAVEN,
                        "org.yaml:snakeyaml",
                        "1.30",
                        "pkg:maven/org.yaml/snakeyaml@1.30",
                        List.of(Location.of("app.jar")),
                        null,
                        null,
                        "test",
                        Map.of()),
                id,
                List.of(id),
                List.of(id),
                List.of(),
                "title",
                Severity.HIGH,
                "test",
                null,
                null,
                List.of(),
                null,
                List.of(),
                null,
                Finding.Status.AFFECTED,
                "");
    }

    @Test
    void shouldKeepTheOwnerApproverAndExpiryOfTrivysYamlForm() throws Exception {
        String yaml =
                """
                vulnerabilities:
                  - id: CVE-2022-38749
                    statement: we parse no untrusted YAML
                    expired_at: 2026-06-30T00:00:00Z
                    owner: team-payments
                    approved_by: jane.doe
                  - id: CVE-2022-25857
                    statement: fixed in the next release
                    approvedBy: sam.lee
                  - id: CVE-2022-38751
                """;
        Suppressions suppressions =
                Suppressions.none().withAnyIgnoreFile("trivyignore.yaml", yaml.getBytes(StandardCharsets.UTF_8), TODAY);

        Suppressions.Outcome outcome = suppressions.apply(
                List.of(finding("CVE-2022-38749"), finding("CVE-2022-25857"), finding("CVE-2022-38751")));

        assertThat(outcome.kept()).isEmpty();
        assertThat(outcome.suppressed())
                .extracting(
                        s -> s.finding().id(),
                        Suppressions.Suppressed::reason,
                        Suppressions.Suppressed::owner,
                        Suppressions.Suppressed::approvedBy,
                        Suppressions.Suppressed::expires)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "CVE-2022-38749",
                                "we parse no untrusted YAML",
                                "team-payments",
                                "jane.doe",
                                LocalDate.parse("2026-06-30")),
                        org.assertj.core.groups.Tuple.tuple(
                                "CVE-2022-25857", "fixed in the next release", null, "sam.lee", null),
                        org.assertj.core.groups.Tuple.tuple(
                                "CVE-2022-38751", "listed in trivyignore.yaml", null, null, null));
    }

    @Test
    void shouldKeepThePlainFormsExpiryAndRecordNoOwner() {
        Suppressions suppressions = Suppressions.none()
                .withPlainIgnoreFile(
                        ".trivyignore", "CVE-2022-38749 exp:2026-04-01\n".getBytes(StandardCharsets.UTF_8), TODAY);

        Suppressions.Suppressed suppressed = suppressions
                .apply(List.of(finding("CVE-2022-38749")))
                .suppressed()
                .get(0);

        assertThat(suppressed.expires()).isEqualTo(LocalDate.parse("2026-04-01"));
        assertThat(suppressed.owner()).isNull();
        assertThat(suppressed.approvedBy()).isNull();
    }
}
