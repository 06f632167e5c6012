package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LearnedSeccompChecksTest {
    private static final LearnedProfile LEARNED = new LearnedProfile(
            "profile.json",
            new TreeSet<>(Set.of("read", "write", "openat", "ptrace")),
            new TreeSet<>(Set.of("exit_group", "execve")),
            List.of(),
            List.of(),
            Set.of(),
            Set.of("/usr/bin/app"));

    private final LearnedSeccompChecks checks =
            new LearnedSeccompChecks(CheckCatalog.load(), LEARNED, RuntimeDefaultSeccomp.load(), 1 << 20);

    @Test
    void shouldListTheCallsAnAllowListAllowsButTheRunNeverNeededAndTheCallsItBlocks() throws IOException {
        LearnedSeccompChecks.SeccompRules rules = LearnedSeccompChecks.SeccompRules.parse(
                """
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
                  {"names": ["read", "write", "openat", "execve", "mount"], "action": "SCMP_ACT_ALLOW"},
                  {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
                  {"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}
                ]}
                """
                        .getBytes(StandardCharsets.UTF_8));

        LearnedSeccompChecks.Comparison comparison = checks.compare(rules);

        assertThat(comparison.unused()).containsExactly("mount", "socket");
        assertThat(comparison.blocked()).containsExactly("ptrace");
    }

    @Test
    void shouldFindOnlyBlockedCallsWhenTheProfileAllowsByDefault() throws IOException {
        LearnedSeccompChecks.SeccompRules rules = LearnedSeccompChecks.SeccompRules.parse(
                """
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["ptrace", "mount"], "action": "SCMP_ACT_ERRNO"}
                ]}
                """
                        .getBytes(StandardCharsets.UTF_8));

        LearnedSeccompChecks.Comparison comparison = checks.compare(rules);

        assertThat(rules.allowsByDefault()).isTrue();
        assertThat(comparison.unused()).isEmpty();
        assertThat(comparison.blocked()).containsExactly("ptrace");
    }

    @Test
    void shouldRefuseAFileThatIsNotASeccompProfile() {
        assertThatThrownBy(() ->
                        LearnedSeccompChecks.SeccompRules.parse("{\"syscalls\": []}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a seccomp profile");
    }

    @Test
    void shouldCountTheCallsTheLearnedProfileRemovesFromTheRuntimeDefault() {
        RuntimeDefaultSeccomp runtimeDefault = RuntimeDefaultSeccomp.load();

        assertThat(runtimeDefault.source()).isEqualTo("golang-github-containers-common 0.50.1+ds1-4");
        // x86_64 names only: the 32-bit and other architectures' names of the profile are left out
        assertThat(runtimeDefault.allowed())
                .hasSize(311)
                .contains("clone", "mount", "unshare", "ptrace", "arch_prctl", "socket")
                .doesNotContain("chown32", "_llseek", "kexec_load", "bpf", "chroot");
        // ptrace and the others the run needs are allowed by the default: the rest are removed
        assertThat(runtimeDefault.removedBy(LEARNED.needed()))
                .hasSize(311 - 6)
                .doesNotContain("read", "ptrace")
                .contains("mount");
    }
}
