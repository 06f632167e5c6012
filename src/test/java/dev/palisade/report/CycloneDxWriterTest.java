package dev.palisade.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.Package;
import dev.palisade.match.CvssScore;
import dev.palisade.match.Finding;
import dev.palisade.match.Severity;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cyclonedx.model.vulnerability.Vulnerability;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CycloneDxWriterTest {

    @ParameterizedTest
    @CsvSource({
        "CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H, CVSSV4",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, CVSSV31",
        "AV:N/AC:L/Au:N/C:P/I:P/A:P, CVSSV2",
    })
    void ratesAFindingWithTheMethodOfItsCvssVersion(String vector, Vulnerability.Rating.Method method) {
        CvssScore cvss = CvssScore.of(vector).orElseThrow();
        Package p = new Package(
                Ecosystem.CARGO,
                "rssn",
                "0.2.0",
                "pkg:cargo/rssn@0.2.0",
                List.of(Location.of("Cargo.lock")),
                null,
                null,
                "test",
                Map.of());
        Finding finding = new Finding(
                p,
                "RUSTSEC-2026-0038",
                List.of("RUSTSEC-2026-0038"),
                List.of("RUSTSEC-2026-0038"),
                List.of(),
                "title",
                Severity.ofScore(cvss.baseScore()),
                "CVSS " + cvss.version() + " base score of RUSTSEC-2026-0038",
                cvss,
                null,
                List.of(),
                null,
                List.of(),
                null,
                Finding.Status.AFFECTED,
                "");
        Inventory inventory = new Inventory(
                new ArtifactDescription("test", ArtifactKind.ROOTFS, DeploymentModel.VM, List.of(), null),
                null,
                List.of(p),
                List.of());
        ScanReport report = ScanReport.of(
                inventory,
                dev.palisade.policy.ResultPolicy.reportAll().apply(List.of(finding), null),
                List.of(),
                null,
                List.of(),
                List.of(),
                Instant.EPOCH,
                "test");

        Vulnerability.Rating rating = new CycloneDxWriter()
                .toBom(report)
                .getVulnerabilities()
                .get(0)
                .getRatings()
                .get(0);

        assertThat(rating.getMethod()).isEqualTo(method);
        assertThat(rating.getScore()).isEqualTo(cvss.baseScore());
        assertThat(rating.getVector()).isEqualTo(vector);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "MIT | id | MIT",
                "GPL-2+ | id | GPL-2.0-or-later",
                "Apache-2.0+ | expression | Apache-2.0+",
                "MIT;Apache-2.0 OR MIT | expression | MIT AND (Apache-2.0 OR MIT)",
                "Apache License, Version 2.0 | name | Apache License, Version 2.0",
                "Apache License, Version 2.0;MIT | name,id | Apache License, Version 2.0;MIT",
            })
    void writesDeclaredLicencesAsIdsExpressionsOrNames(String declared, String forms, String expected) {
        Package p = new Package(
                        Ecosystem.NPM,
                        "a",
                        "1.0.0",
                        "pkg:npm/a@1.0.0",
                        List.of(Location.of("node_modules/a/package.json")),
                        null,
                        null,
                        "test",
                        Map.of())
                .withLicenses(List.of(declared.split(";")));
        Inventory inventory = new Inventory(
                new ArtifactDescription("test", ArtifactKind.ROOTFS, DeploymentModel.VM, List.of(), null),
                null,
                List.of(p),
                List.of());
        org.cyclonedx.model.LicenseChoice choice = new CycloneDxWriter()
                .toBom(ScanReport.inventoryOnly(inventory, Instant.EPOCH, "test"))
                .getComponents()
                .get(0)
                .getLicenses();

        if (forms.equals("expression")) {
            assertThat(choice.getExpression().getValue()).isEqualTo(expected);
            assertThat(choice.getLicenses()).isNullOrEmpty();
        } else {
            List<String> written = new java.util.ArrayList<>();
            List<String> kinds = new java.util.ArrayList<>();
            for (org.cyclonedx.model.License l : choice.getLicenses()) {
                written.add(l.getId() != null ? l.getId() : l.getName());
                kinds.add(l.getId() != null ? "id" : "name");
            }
            assertThat(String.join(";", written)).isEqualTo(expected);
            assertThat(String.join(",", kinds)).isEqualTo(forms);
            assertThat(choice.getExpression()).isNull();
        }
    }
}
