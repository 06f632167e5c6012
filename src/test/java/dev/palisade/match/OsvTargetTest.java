package dev.palisade.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** What each kind of package is looked up by in OSV. */
class OsvTargetTest {
    static Package os(
            Ecosystem ecosystem,
            String name,
            String version,
            @Nullable String source,
            @Nullable String sourceVersion,
            Map<String, String> metadata) {
        return new Package(
                ecosystem, name, version, "", List.of(Location.of("db")), source, sourceVersion, "test", metadata);
    }

    static OsRelease release(String id, String versionId) {
        return new OsRelease(id, versionId, null, null, null, Location.of("etc/os-release"));
    }

    static OsvTarget target(Package p, @Nullable OsRelease os) {
        return OsvTarget.of(p, os, new StringBuilder()).orElseThrow();
    }

    @Test
    void shouldLookDebianBinariesUpByTheirSourcePackageAndSourceVersion() {
        OsvTarget t = target(
                os(Ecosystem.DEBIAN, "libssl3", "3.0.11-1~deb12u2+b1", "openssl", "3.0.11-1~deb12u2", Map.of()),
                release("debian", "12"));

        assertThat(t.ecosystem()).isEqualTo("Debian:12");
        assertThat(t.names()).containsExactly("openssl");
        assertThat(t.version()).isEqualTo("3.0.11-1~deb12u2");
    }

    @Test
    void shouldLookAlpinePackagesUpByTheirOriginAndReleaseBranch() {
        OsvTarget t = target(
                os(Ecosystem.ALPINE, "libcrypto3", "3.1.4-r5", "openssl", "3.1.4-r5", Map.of()),
                release("alpine", "3.19.1"));

        assertThat(t.ecosystem()).isEqualTo("Alpine:v3.19");
        assertThat(t.names()).containsExactly("openssl");
        assertThat(t.version()).isEqualTo("3.1.4-r5");
    }

    @Test
    void shouldFallBackToThePackageNameWithoutASourceName() {
        assertThat(target(
                                os(Ecosystem.ALPINE, "busybox", "1.36.1-r15", null, null, Map.of()),
                                release("alpine", "3.19.1"))
                        .names())
                .containsExactly("busybox");
    }

    @Test
    void shouldPutTheRpmEpochInFrontOfTheVersionOnce() {
        OsRelease rocky = release("rocky", "9.3");
        assertThat(target(
                                os(
                                        Ecosystem.RPM,
                                        "openssl-libs",
                                        "3.0.7-25.el9_3",
                                        "openssl",
                                        null,
                                        Map.of("epoch", "1")),
                                rocky)
                        .version())
                .isEqualTo("1:3.0.7-25.el9_3");
        assertThat(target(
                                os(
                                        Ecosystem.RPM,
                                        "openssl-libs",
                                        "1:3.0.7-25.el9_3",
                                        "openssl",
                                        null,
                                        Map.of("epoch", "1")),
                                rocky)
                        .version())
                .isEqualTo("1:3.0.7-25.el9_3");
        assertThat(target(os(Ecosystem.RPM, "bash", "5.1.8-6.el9", "bash", null, Map.of("epoch", "0")), rocky)
                        .version())
                .isEqualTo("5.1.8-6.el9");
        assertThat(target(os(Ecosystem.RPM, "bash", "5.1.8-6.el9", "bash", null, Map.of()), rocky)
                        .ecosystem())
                .isEqualTo("Rocky Linux:9");
    }

    @Test
    void shouldReadTheGoToolchainVersionAsTheGoDatabaseWritesIt() {
        Package rc = new Package(Ecosystem.GO, "stdlib", "v1.24rc1", "", List.of(), null, null, "go-binary", Map.of());
        Package goCommand = new Package(
                Ecosystem.GO,
                "stdlib",
                "v1.21.3",
                "",
                List.of(),
                null,
                null,
                "go-binary",
                Map.of("mainModulePath", "cmd/go"));
        Package module = new Package(
                Ecosystem.GO, "golang.org/x/net", "v0.17.0", "", List.of(), null, null, "go-binary", Map.of());

        assertThat(target(rc, null).version()).isEqualTo("1.24rc1");
        assertThat(target(rc, null).names()).containsExactly("stdlib");
        assertThat(target(goCommand, null).names()).containsExactly("stdlib", "toolchain");
        assertThat(target(goCommand, null).version()).isEqualTo("v1.21.3");
        assertThat(target(module, null).names()).containsExactly("golang.org/x/net");
    }

    static OsRelease release(String id, String versionId, String prettyName) {
        return new OsRelease(id, versionId, null, prettyName, null, Location.of("etc/os-release"));
    }

    @Test
    void shouldSpellUbuntuReleasesAsOsvDoesWithTheProEcosystemFirstForLts() {
        Package openssl =
                os(Ecosystem.DEBIAN, "libssl3", "3.0.2-0ubuntu1.15", "openssl", "3.0.2-0ubuntu1.15", Map.of());

        assertThat(target(openssl, release("ubuntu", "22.04", "Ubuntu 22.04.4 LTS"))
                        .ecosystems())
                .containsExactly("Ubuntu:Pro:22.04:LTS", "Ubuntu:22.04:LTS");
        assertThat(target(openssl, release("ubuntu", "23.10", "Ubuntu 23.10")).ecosystems())
                .containsExactly("Ubuntu:23.10");
        assertThat(target(openssl, release("ubuntu", "22.04", "Ubuntu 22.04.4 LTS"))
                        .names())
                .containsExactly("openssl");
    }

    @Test
    void shouldSpellRpmDistributionsAsOsvDoes() {
        Package sudo = os(Ecosystem.RPM, "sudo", "1.9.5p2-9.el9", "sudo", "1.9.5p2-9.el9", Map.of("epoch", "0"));

        assertThat(target(sudo, release("rhel", "9.4")).ecosystems())
                .contains("Red Hat:enterprise_linux:9::baseos", "Red Hat:enterprise_linux:9::appstream")
                .allMatch(e -> e.startsWith("Red Hat:enterprise_linux:9::"));
        assertThat(target(sudo, release("rhel", "7.9")).ecosystems()).contains("Red Hat:enterprise_linux:7::server");
        assertThat(target(sudo, release("sles", "15.5", "SUSE Linux Enterprise Server 15 SP5"))
                        .ecosystems())
                .contains("SUSE:Linux Enterprise Server 15 SP5", "SUSE:Linux Enterprise Module for Basesystem 15 SP5");
        assertThat(target(sudo, release("sles", "15", "SUSE Linux Enterprise Server 15"))
                        .ecosystems())
                .contains("SUSE:Linux Enterprise Server 15");
        assertThat(target(sudo, release("opensuse-leap", "15.5")).ecosystem()).isEqualTo("openSUSE:Leap 15.5");
        assertThat(target(sudo, release("opensuse-tumbleweed", "20240601")).ecosystem())
                .isEqualTo("openSUSE:Tumbleweed");
        assertThat(target(sudo, release("photon", "5.0")).ecosystem()).isEqualTo("Photon OS:5.0");
        assertThat(target(sudo, release("almalinux", "9.3")).ecosystem()).isEqualTo("AlmaLinux:9");
        assertThat(target(sudo, release("rocky", "8.9")).ecosystem()).isEqualTo("Rocky Linux:8");
    }

    @Test
    void shouldKeepTheModuleStreamOfAModularRpm() {
        Package nodejs = os(
                Ecosystem.RPM,
                "nodejs",
                "20.10.0-1.module+el8.9.0+20758+ed1d5bd1",
                "nodejs",
                null,
                Map.of("epoch", "1", "modularityLabel", "nodejs:20:8090020231019152822:a75119d5"));

        OsvTarget t = target(nodejs, release("rhel", "8.9"));
        assertThat(t.module()).isEqualTo("nodejs:20");
        assertThat(t.version()).isEqualTo("1:20.10.0-1.module+el8.9.0+20758+ed1d5bd1");
    }

    @Test
    void shouldNotMatchPackagesOfAnotherFormatThanTheDistributions() {
        StringBuilder reason = new StringBuilder();
        Package rpmOnDebian = os(Ecosystem.RPM, "sudo", "1.9.5p2-9.el9", null, null, Map.of());

        assertThat(OsvTarget.of(rpmOnDebian, release("debian", "12"), reason)).isEmpty();
        assertThat(reason.toString()).contains("rpm packages on debian 12");
    }

    @Test
    void shouldSayAmazonLinuxHasNoOsvData() {
        StringBuilder reason = new StringBuilder();
        Package openssh = os(Ecosystem.RPM, "openssh", "8.7p1-8.amzn2023.0.4", null, null, Map.of());

        assertThat(OsvTarget.of(openssh, release("amzn", "2"), reason)).isEmpty();
        assertThat(reason.toString()).contains("Amazon Linux 2").contains("ALAS");
    }
}
