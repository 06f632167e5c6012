package dev.palisade.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.testing.Cli;
import dev.palisade.testing.JsonReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * A real Debian root file system with openssh-server, apache2 and a telnet server, built by .ci/run
 * with mmdebstrap (PALISADE_TEST_VM_ROOTFS).
 */
class VirtualMachineIT {
    static Path rootfs() {
        String configured = System.getenv("PALISADE_TEST_VM_ROOTFS");
        Path path = Paths.get(configured != null ? configured : "/var/cache/palisade-tests/vm-rootfs");
        assertThat(path.resolve("etc/ssh/sshd_config"))
                .as("the VM root file system .ci/run builds with mmdebstrap")
                .isRegularFile();
        return path;
    }

    @Test
    void shouldFindTheServicesAndSshDefaultsOfARealDebianServer() throws Exception {
        Path root = rootfs();
        Cli.Result result = Cli.run("rootfs", root.toString(), "--scanners", "misconfig", "-f", "json");

        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode report = JsonReports.read(result.out());
        assertThat(JsonReports.messages(report))
                .contains("telnet is enabled: telnet: clear-text logins on port 23")
                .contains("apache2 is enabled: a web server on ports 80/443")
                .contains("PasswordAuthentication not set: OpenSSH's default is yes (passwords are accepted)")
                .contains("X11Forwarding yes (X11 is forwarded)")
                .contains("telnetd is installed: a telnet server (clear-text logins)")
                .contains("ClientAliveInterval not set: OpenSSH's default is 0 (idle sessions are never ended)")
                .contains("unattended-upgrades is not installed");
        assertThat(JsonReports.ids(report)).doesNotContain("PAL-5020", "PAL-5022");
        assertThat(JsonReports.texts(report, "misconfigurations", "path"))
                .doesNotContain("etc/ssh/ssh_host_ed25519_key");
        assertThat(JsonReports.texts(report, "problems", "path")).doesNotContain("etc/ssh/ssh_host_ed25519_key");
        assertThat(Files.isRegularFile(root.resolve("usr/sbin/sshd"))).isTrue();
    }

    /** mmdebstrap's root keeps the journal on disk, leaves fstab unconfigured and installs no time daemon. */
    @Test
    void shouldRunTheCisLevel1ProfileOnARealDebianServer() throws Exception {
        Path root = rootfs();
        Cli.Result result = Cli.run("rootfs", root.toString(), "--benchmark", "cis-level1", "-f", "json", "-q");

        assertThat(result.exit()).as(result.err()).isZero();
        java.util.Map<String, String> outcomes = new java.util.TreeMap<>();
        JsonReports.read(result.out())
                .path("checks")
                .forEach(c ->
                        outcomes.put(c.path("id").asText(), c.path("result").asText()));
        assertThat(outcomes)
                .containsEntry("PAL-5010", "fail")
                .containsEntry("PAL-5012", "fail")
                .containsEntry("PAL-5006", "fail")
                .containsEntry("PAL-5033", "fail")
                .containsEntry("PAL-5031", "pass")
                .containsEntry("PAL-5034", "pass")
                .containsEntry("PAL-5020", "pass")
                .containsEntry("PAL-5038", "not-applicable")
                .doesNotContainKey("PAL-5002");
    }
}
