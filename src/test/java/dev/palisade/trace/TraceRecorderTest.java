package dev.palisade.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.trace.TraceProfile.Endpoint;
import dev.palisade.trace.TraceProfile.Mount;
import dev.palisade.trace.TraceProfile.PathWrite;
import dev.palisade.trace.TraceProfile.SyscallUse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** strace's output, written by hand in strace 6.1's format, with the traced program's hostile strings. */
class TraceRecorderTest {
    private static TraceProfile record(TraceLimits limits, String... lines) throws IOException {
        TraceRecorder recorder = new TraceRecorder("amd64", "/work", limits);
        recorder.read(
                new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(StandardCharsets.ISO_8859_1)));
        return recorder.profile(new TraceProfile.Traced("app", 0, 0, 0), Baseline.NONE);
    }

    private static TraceProfile record(String... lines) throws IOException {
        return record(TraceLimits.defaults(), lines);
    }

    @Test
    void shouldNotBeFooledByDelimitersInsideAPathString() throws IOException {
        TraceProfile profile = record(
                "100  openat(AT_FDCWD</srv>, \"/tmp/a\\\", O_RDONLY) = 0 <x>\\nb\", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 3</tmp/a\\\"b>",
                "100  openat(AT_FDCWD</srv>, \"/etc/passwd\\\", O_WRONLY\", O_RDONLY|O_CLOEXEC) = 4</etc/passwd>");
        assertThat(profile.writes()).extracting(PathWrite::path).containsExactly("/tmp/a\", O_RDONLY) = 0 <x>\nb");
        assertThat(profile.writes().get(0).operations()).containsExactly("create");
    }

    @Test
    void shouldResolveRelativePathsAgainstTheDirectoryStracePrinted() throws IOException {
        TraceProfile profile = record(
                "7  openat(AT_FDCWD</var/lib/app>, \"data/../state.db\", O_RDWR) = 3</var/lib/app/state.db>",
                "7  mkdirat(3</var/cache\\76x>, \"new\", 0755) = 0",
                "7  rename(\"a.tmp\", \"a\") = 0",
                "8  unlink(\"/var/lib/app/old\") = -1 ENOENT (No such file or directory)");
        assertThat(profile.writes())
                .extracting(PathWrite::path)
                .containsExactly(
                        "/var/cache>x/new",
                        "/var/lib/app/a",
                        "/var/lib/app/a.tmp",
                        "/var/lib/app/old",
                        "/var/lib/app/state.db");
        assertThat(profile.writes().get(3).failures()).isEqualTo(1);
        assertThat(profile.filesystem().mounts())
                .containsExactly(new Mount("/var/cache>x", "volume"), new Mount("/var/lib/app", "volume"));
        assertThat(profile.filesystem().readOnlyRootFilesystem()).isTrue();
    }

    @Test
    void shouldCollapseScratchWritesIntoATmpfsAndIgnoreKernelFilesystems() throws IOException {
        TraceProfile profile = record(
                "1  openat(AT_FDCWD</>, \"/tmp/x/y/z\", O_WRONLY|O_CREAT, 0600) = 3",
                "1  openat(AT_FDCWD</>, \"/dev/null\", O_WRONLY) = 4",
                "1  openat(AT_FDCWD</>, \"/proc/self/oom_score_adj\", O_WRONLY) = 5");
        assertThat(profile.writes()).extracting(PathWrite::path).containsExactly("/tmp/x/y/z");
        assertThat(profile.filesystem().mounts()).containsExactly(new Mount("/tmp", "tmpfs"));
    }

    @Test
    void shouldJoinUnfinishedCallsAndFollowPersonalities() throws IOException {
        TraceProfile profile = record(
                "5091  vfork( <unfinished ...>",
                "5092  connect(3<TCP:[1]>, {sa_family=AF_INET, sin_port=htons(5432), sin_addr=inet_addr(\"10.0.0.5\")}, 16 <unfinished ...>",
                "5091  <... vfork resumed>)              = 5092",
                "5092  <... connect resumed>)  = -1 ECONNREFUSED (Connection refused)",
                "5093  [ Process PID=5093 runs in 32 bit mode. ]",
                "5093  read(0, \"\", 4096) = 0",
                "5093  syscall_0x1c2(0x1, 0x2) = -1 ENOSYS (Function not implemented)",
                "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED} ---",
                "5092  +++ exited with 0 +++",
                "this line is not strace's");
        assertThat(profile.syscalls())
                .containsExactly(
                        new SyscallUse("connect", "SCMP_ARCH_X86_64", 1, 1),
                        new SyscallUse("read", "SCMP_ARCH_X86", 1, 0),
                        new SyscallUse("vfork", "SCMP_ARCH_X86_64", 1, 0));
        assertThat(profile.architectures()).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86");
        assertThat(profile.unknownSyscalls()).containsExactly("syscall_0x1c2");
        assertThat(profile.connections()).containsExactly(new Endpoint("tcp", "10.0.0.5", 5432));
        assertThat(profile.completeness().skippedLines()).isEqualTo(1);
    }

    @Test
    void shouldFindServedPortsDestinationsAndCapabilities() throws IOException {
        TraceProfile profile = record(
                "9  socket(AF_INET6, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3<TCPv6:[11]>",
                "9  bind(3<TCPv6:[11]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::\", &sin6_addr), sin6_scope_id=0}, 28) = 0",
                "9  listen(3<TCPv6:[[::]:443]>, 511) = 0",
                "9  bind(4<UDP:[12]>, {sa_family=AF_INET, sin_port=htons(5353), sin_addr=inet_addr(\"0.0.0.0\")}, 16) = 0",
                "9  sendto(5<UDPv6:[13]>, \"x\", 1, 0, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"fd00::1\", &sin6_addr), sin6_scope_id=0}, 28) = 1",
                "9  socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) = 6<socket:[14]>",
                "9  fchownat(AT_FDCWD</>, \"/var/lib/x\", 1000, -1, 0) = 0",
                "9  setresuid(-1, -1, -1) = 0",
                "9  setgroups(0, NULL) = 0",
                "9  mount(\"tmpfs\", \"/mnt\", \"tmpfs\", 0, NULL) = -1 EPERM (Operation not permitted)",
                "9  connect(7<UNIX-STREAM:[15]>, {sa_family=AF_UNIX, sun_path=\"/run/db.sock\"}, 15) = 0");
        assertThat(profile.listening())
                .containsExactly(new Endpoint("tcp", "::", 443), new Endpoint("udp", "0.0.0.0", 5353));
        assertThat(profile.connections()).containsExactly(new Endpoint("udp", "fd00::1", 53));
        assertThat(profile.unixSockets()).containsExactly("/run/db.sock");
        assertThat(profile.capabilities())
                .extracting(TraceProfile.CapabilityNeed::capability)
                .containsExactly("CAP_CHOWN", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SETGID", "CAP_SYS_ADMIN");
    }

    @Test
    void shouldStayWithinItsLimits() throws IOException {
        StringBuilder flood = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            flood.append("1  mkdir(\"/data/d").append(i).append("\", 0755) = 0\n");
        }
        String longLine = "1  write(1, \"" + "A".repeat(5000) + "\", 5000) = 5000";
        TraceProfile profile = record(new TraceLimits(1000, 10, 10), flood.toString(), longLine);
        assertThat(profile.writes()).hasSize(10);
        assertThat(profile.syscalls()).extracting(SyscallUse::name).containsExactly("mkdir");
        assertThat(profile.completeness().skippedLines()).isEqualTo(1);
        assertThat(profile.completeness().notes()).hasSize(2);
        assertThat(profile.completeness().complete()).isFalse();
    }
}
