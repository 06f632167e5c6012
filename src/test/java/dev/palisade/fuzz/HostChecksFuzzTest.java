package dev.palisade.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.HostChecks;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * A virtual machine's root generated from the input: its NUL-separated parts become sshd_config, an
 * included drop-in, passwd, shadow, inetd.conf, an APT periodic setting, then the password policy, journald,
 * package sources, kernel parameters, fstab and /tmp mount, an xinetd service and the crontab, in
 * {@link #FILES}' order. {@link HostChecks} reads them through the tree and must report findings, never throw.
 */
@Timeout(10)
class HostChecksFuzzTest {
    private static final List<String> FILES = List.of(
            "etc/ssh/sshd_config",
            "etc/ssh/sshd_config.d/50-cloud.conf",
            "etc/passwd",
            "etc/shadow",
            "etc/inetd.conf",
            "etc/apt/apt.conf.d/20auto-upgrades",
            "etc/login.defs",
            "etc/pam.d/common-password",
            "etc/security/pwquality.conf",
            "etc/systemd/journald.conf",
            "etc/apt/sources.list",
            "etc/yum.repos.d/base.repo",
            "etc/dnf/dnf.conf",
            "etc/sysctl.conf",
            "etc/sysctl.d/99-local.conf",
            "etc/fstab",
            "etc/systemd/system/tmp.mount",
            "etc/xinetd.d/telnet",
            "etc/crontab");
    private final HostChecks checks = new HostChecks(CheckCatalog.load());

    @FuzzTest
    void generatedRoot(byte[] input) {
        List<byte[]> parts = Fuzzing.split(input, FILES.size());
        // sshd installed; a package database, without which the logging and integrity checks do not apply; and
        // tmp.mount enabled, so that its unit is read when fstab has no /tmp line
        MemoryTree root = new MemoryTree()
                .file("usr/sbin/sshd", new byte[0], 0755)
                .file("var/lib/dpkg/status", new byte[0], 0644)
                .file("etc/systemd/system/local-fs.target.wants/tmp.mount", new byte[0], 0644);
        for (int i = 0; i < parts.size(); i++) {
            root.file(FILES.get(i), parts.get(i), 0644);
        }
        checks.evaluate(root, Set.of("openssh-server", "unattended-upgrades"));
    }
}
