package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.testing.Cli;
import dev.palisade.testing.JsonReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host checks on root file systems made by the test: one with every problem, one hardened. */
class HostChecksTest {
    @TempDir
    Path tmp;

    static Path write(Path root, String path, String content, String mode) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    static JsonNode json(Path root) {
        Cli.Result result = Cli.run("rootfs", root.toString(), "--scanners", "misconfig", "-f", "json");
        assertThat(result.exit()).as(result.err()).isZero();
        return JsonReports.read(result.out());
    }

    @Test
    void shouldFlagAWeakHost() throws Exception {
        Path root = tmp.resolve("weak");
        write(root, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n", "rw-r--r--");
        write(
                root,
                "etc/ssh/sshd_config",
                "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\nPermitEmptyPasswords yes\n"
                        + "Ciphers aes128-ctr,3des-cbc\nX11Forwarding yes\nMatch User backup\n  PasswordAuthentication no\n",
                "rw-r--r--");
        write(
                root,
                "etc/ssh/sshd_config.d/10-local.conf",
                "PermitRootLogin yes\nPasswordAuthentication yes\n",
                "rw-r--r--");
        write(
                root,
                "etc/passwd",
                "root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/root:/bin/sh\nguest::1001:1001::/home/guest:/bin/sh\n",
                "rw-r--r--");
        write(root, "etc/shadow", "root:$6$abc$def:19000:0:99999:7:::\nnobody::19000:0:99999:7:::\n", "rw-r--r--");
        write(root, "etc/sudoers", "root ALL=(ALL:ALL) ALL\n", "r--r-----");
        write(root, "etc/sudoers.d/deploy", "deploy ALL=(ALL) NOPASSWD: ALL\n", "r--r-----");
        write(root, "etc/crontab", "* * * * * root /opt/job\n", "rw-rw-rw-");
        write(root, "etc/app.conf", "x=1\n", "rw-rw-rw-");
        Files.setAttribute(write(root, "usr/local/bin/backdoor", "#!/bin/sh\n", "rwxr-xr-x"), "unix:mode", 04755);
        write(
                root,
                "var/lib/dpkg/status",
                "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2\n\n",
                "rw-r--r--");
        Files.createDirectories(root.resolve("etc/systemd/system/multi-user.target.wants"));
        Files.createSymbolicLink(
                root.resolve("etc/systemd/system/multi-user.target.wants/nginx.service"),
                Path.of("/lib/systemd/system/nginx.service"));
        write(
                root,
                "etc/inetd.conf",
                "# comment\ntelnet stream tcp nowait root /usr/sbin/tcpd /usr/sbin/telnetd\n",
                "rw-r--r--");

        JsonNode report = json(root);

        assertThat(JsonReports.misconfigurations(report)).anySatisfy(m -> {
            assertThat(m.path("id").asText()).isEqualTo("PAL-5001");
            assertThat(m.path("path").asText()).isEqualTo("etc/ssh/sshd_config.d/10-local.conf");
        });
        List<String> messages = JsonReports.messages(report);
        assertThat(List.of(
                        "PermitRootLogin yes",
                        "PasswordAuthentication yes",
                        "PermitEmptyPasswords yes",
                        "ciphers allows 3des-cbc",
                        "X11Forwarding yes",
                        "account toor has UID 0",
                        "account guest has an empty password field",
                        "account nobody has an empty password",
                        "etc/shadow is mode 0644",
                        "deploy ALL=(ALL) NOPASSWD: ALL",
                        "etc/crontab is writable by group or others",
                        "etc/app.conf is world-writable",
                        "usr/local/bin/backdoor is setuid",
                        "nginx is enabled: a web server",
                        "telnet is enabled: telnet: clear-text logins",
                        "unattended-upgrades is not installed"))
                .allSatisfy(expected ->
                        assertThat(messages).anySatisfy(m -> assertThat(m).contains(expected)));
    }

    @Test
    void shouldPassAHardenedHost() throws Exception {
        Path root = tmp.resolve("hard");
        HostBenchmarkTest.hardenedRoot(root);

        JsonNode report = json(root);
        assertThat(report.path("misconfigurations").isArray()).isTrue();
        assertThat(JsonReports.messages(report)).isEmpty();
    }

    /** Six files that each include all six: sshd reads each once; re-reading them at every level is exponential. */
    @Test
    @org.junit.jupiter.api.Timeout(10)
    void shouldReadFilesThatIncludeEachOtherOnce() throws Exception {
        Path root = tmp.resolve("loop");
        write(root, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n", "rw-r--r--");
        write(
                root,
                "etc/ssh/sshd_config",
                "Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication no\n",
                "rw-r--r--");
        for (int i = 0; i < 6; i++) {
            write(
                    root,
                    "etc/ssh/sshd_config.d/" + i + ".conf",
                    "Include /etc/ssh/sshd_config.d/*.conf\n" + (i == 5 ? "PermitRootLogin yes\n" : "# nothing\n"),
                    "rw-r--r--");
        }

        long start = System.nanoTime();
        JsonNode report = json(root);

        assertThat(JsonReports.misconfigurations(report)).anySatisfy(m -> {
            assertThat(m.path("id").asText()).isEqualTo("PAL-5001");
            assertThat(m.path("path").asText()).isEqualTo("etc/ssh/sshd_config.d/5.conf");
        });
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }

    /**
     * The scanned root's own patterns, a run of stars that cannot match: as regular expressions they backtracked for
     * minutes (found by fuzzing); as wildcards they take a moment and still select what they name.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldMatchHostileGlobsInLinearTime() throws Exception {
        Path root = tmp.resolve("globs");
        String stars = "*".repeat(40);
        write(root, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n", "rw-r--r--");
        write(
                root,
                "etc/ssh/sshd_config",
                "Include /etc/ssh/sshd_config.d/" + stars + "x\nInclude /etc/ssh/sshd_config.d/*-root.c?nf\n",
                "rw-r--r--");
        write(root, "etc/ssh/sshd_config.d/" + "a".repeat(60) + ".conf", "# nothing\n", "rw-r--r--");
        write(root, "etc/ssh/sshd_config.d/50-root.conf", "PermitRootLogin yes\n", "rw-r--r--");
        write(root, "etc/sysctl.d/99-local.conf", "net.ipv4." + stars + "x = 1\nnet.ipv4.ip_forw*d = 1\n", "rw-r--r--");

        long start = System.nanoTime();
        JsonNode report = json(root);

        assertThat(JsonReports.misconfigurations(report))
                .anySatisfy(m -> {
                    assertThat(m.path("id").asText()).isEqualTo("PAL-5001");
                    assertThat(m.path("path").asText()).isEqualTo("etc/ssh/sshd_config.d/50-root.conf");
                })
                .anySatisfy(m -> assertThat(m.path("path").asText()).isEqualTo("etc/sysctl.d/99-local.conf"));
        assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
    }
}
