package dev.palisade.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.palisade.testing.Cli;
import dev.palisade.trace.TraceProfile.Endpoint;
import dev.palisade.trace.TraceProfile.Mount;
import dev.palisade.trace.TraceProfile.PathWrite;
import dev.palisade.trace.TraceProfile.SyscallUse;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces real programs with the real strace (Debian: strace) and proves a learned seccomp profile with
 * libseccomp's Python bindings (Debian: python3-seccomp).
 */
class TraceIT {
    private static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes a file in a directory, then connects to a local listener; version 2 also makes a directory. */
    private static final String WRITER =
            """
            import os, socket, sys
            directory, port, version = sys.argv[1], int(sys.argv[2]), sys.argv[3]
            with open(os.path.join(directory, "out.txt"), "w") as f:
                f.write("written")
            if version == "2":
                try:
                    os.mkdir(os.path.join(directory, "made"))
                except OSError as e:
                    print("mkdir failed errno", e.errno, file=sys.stderr)
                    sys.exit(40 + e.errno)
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"hello")
            s.close()
            """;

    /** Loads a seccomp profile with libseccomp (default action: its errno), then runs the program. */
    private static final String LOADER =
            """
            import json, os, sys, seccomp
            profile = json.load(open(sys.argv[1]))
            f = seccomp.SyscallFilter(seccomp.ERRNO(profile["defaultErrnoRet"]))
            for name in profile["architectures"]:
                arch = getattr(seccomp.Arch, name[len("SCMP_ARCH_"):])
                if not f.exist_arch(arch):
                    f.add_arch(arch)
            for rule in profile["syscalls"]:
                action = seccomp.ALLOW if rule["action"] == "SCMP_ACT_ALLOW" else seccomp.ERRNO(rule["errnoRet"])
                for name in rule["names"]:
                    f.add_rule(action, name)
            f.load()
            os.execv(sys.argv[2], sys.argv[2:])
            """;

    @TempDir
    Path tmp;

    @BeforeAll
    static void toolsArePresent() {
        assertThat(Path.of("/usr/bin/strace"))
                .as("strace must be installed (apt-get install strace)")
                .isExecutable();
        assertThat(Path.of(PYTHON)).as("python3 must be installed").isExecutable();
    }

    @Test
    void shouldLearnTheServedPortOfAnHttpServerQueriedDuringTheTrace() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path profileFile = tmp.resolve("server.json");
        Path policyFile = tmp.resolve("netpol.yaml");
        Path served = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(served.resolve("index.html"), "hello");
        CompletableFuture<Cli.Result> trace = CompletableFuture.supplyAsync(() -> Cli.run(
                "trace",
                "--duration",
                "8s",
                "--output",
                profileFile.toString(),
                "--network-policy",
                policyFile.toString(),
                "--",
                PYTHON,
                "-I",
                "-B",
                "-m",
                "http.server",
                "--bind",
                "127.0.0.1",
                "--directory",
                served.toString(),
                Integer.toString(port)));
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpResponse<String> response = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(7);
        while (response == null && System.nanoTime() < deadline) {
            try {
                response = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        assertThat(response).as("the traced server answered").isNotNull();
        assertThat(response.body()).isEqualTo("hello");
        Cli.Result result = trace.get(30, TimeUnit.SECONDS);
        assertThat(result.exit()).as(result.err()).isZero();

        TraceProfile profile = JSON.readValue(profileFile.toFile(), TraceProfile.class);
        assertThat(profile.listening()).contains(new Endpoint("tcp", "127.0.0.1", port));
        assertThat(profile.syscalls())
                .extracting(SyscallUse::name)
                .contains("socket", "bind", "listen", "execve")
                .containsAnyOf("accept", "accept4");
        assertThat(profile.architectures()).containsExactly("SCMP_ARCH_X86_64");
        assertThat(profile.capabilities())
                .as("an unprivileged port needs no capability")
                .isEmpty();
        assertThat(profile.traced().program()).isEqualTo(PYTHON);
        JsonNode policy = new ObjectMapper(new YAMLFactory()).readTree(policyFile.toFile());
        assertThat(policy.at("/spec/ingress/0/ports/0/port").asInt()).isEqualTo(port);
        assertThat(policy.at("/spec/ingress/0/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(profile.traced().arguments()).isEqualTo(9);
    }

    @Test
    void shouldLearnWritesAndDestinationsAndRunTheProgramAgainUnderTheLearnedFilter() throws Exception {
        Path writer = Files.writeString(tmp.resolve("writer.py"), WRITER);
        Path loader = Files.writeString(tmp.resolve("loader.py"), LOADER);
        Path work = Files.createDirectories(tmp.resolve("work"));
        try (ServerSocket listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> received = receive(listener);
            Path v1 = tmp.resolve("v1.json");
            Path v1Seccomp = tmp.resolve("v1-seccomp.json");
            Path kubernetes = tmp.resolve("securityContext.yaml");
            Path systemd = tmp.resolve("palisade.conf");
            Cli.Result first = Cli.run(
                    "trace",
                    "--output",
                    v1.toString(),
                    "--seccomp",
                    v1Seccomp.toString(),
                    "--kubernetes",
                    kubernetes.toString(),
                    "--systemd",
                    systemd.toString(),
                    "--",
                    PYTHON,
                    "-I",
                    "-B",
                    writer.toString(),
                    work.toString(),
                    Integer.toString(listener.getLocalPort()),
                    "1");
            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("hello");

            TraceProfile profile = JSON.readValue(v1.toFile(), TraceProfile.class);
            assertThat(profile.writes())
                    .filteredOn(w -> w.path().equals(work.resolve("out.txt").toString()))
                    .extracting(PathWrite::operations)
                    .containsExactly(List.of("create"));
            assertThat(profile.filesystem().mounts()).contains(new Mount("/tmp", "tmpfs"));
            assertThat(profile.filesystem().readOnlyRootFilesystem()).isTrue();
            assertThat(profile.connections()).contains(new Endpoint("tcp", "127.0.0.1", listener.getLocalPort()));
            assertThat(profile.syscalls())
                    .extracting(SyscallUse::name)
                    .contains("openat", "connect")
                    .doesNotContain("mkdir", "mkdirat");

            Map<?, ?> seccomp = JSON.readValue(v1Seccomp.toFile(), Map.class);
            assertThat(seccomp.get("defaultAction")).isEqualTo("SCMP_ACT_ERRNO");
            assertThat(seccomp.get("architectures")).isEqualTo(List.of("SCMP_ARCH_X86_64"));
            assertThat(Files.readString(kubernetes))
                    .contains("readOnlyRootFilesystem: true", "- ALL", "localhostProfile: profiles/v1-seccomp.json");
            assertThat(Files.readString(systemd))
                    .contains("ProtectSystem=strict", "PrivateTmp=yes", "CapabilityBoundingSet=\n");

            // the same program under the learned filter: it works
            Files.delete(work.resolve("out.txt"));
            CompletableFuture<String> again = receive(listener);
            Ran confined = run(
                    PYTHON,
                    loader.toString(),
                    v1Seccomp.toString(),
                    PYTHON,
                    "-I",
                    "-B",
                    writer.toString(),
                    work.toString(),
                    Integer.toString(listener.getLocalPort()),
                    "1");
            assertThat(confined.exit()).as(confined.output()).isZero();
            assertThat(again.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
            assertThat(work.resolve("out.txt")).hasContent("written");

            // version 2 makes a directory, a call the learned filter never saw: mkdir fails with EPERM (1)
            Ran denied = run(
                    PYTHON,
                    loader.toString(),
                    v1Seccomp.toString(),
                    PYTHON,
                    "-I",
                    "-B",
                    writer.toString(),
                    work.toString(),
                    Integer.toString(listener.getLocalPort()),
                    "2");
            assertThat(denied.exit()).as(denied.output()).isEqualTo(41);
            assertThat(denied.output()).contains("mkdir failed errno 1");
            assertThat(work.resolve("made")).doesNotExist();

            // without the filter version 2 works, and its trace shows the new call
            CompletableFuture<String> third = receive(listener);
            Path v2 = tmp.resolve("v2.json");
            Path v2Seccomp = tmp.resolve("v2-seccomp.json");
            Cli.Result second = Cli.run(
                    "trace",
                    "--output",
                    v2.toString(),
                    "--seccomp",
                    v2Seccomp.toString(),
                    "--",
                    PYTHON,
                    "-I",
                    "-B",
                    writer.toString(),
                    work.toString(),
                    Integer.toString(listener.getLocalPort()),
                    "2");
            assertThat(second.exit()).as(second.err()).isZero();
            third.get(10, TimeUnit.SECONDS);

            Cli.Result diff = Cli.run("seccomp", "diff", "--format", "json", v1.toString(), v2.toString());
            assertThat(diff.exit()).as(diff.err()).isEqualTo(1);
            Map<?, ?> added = (Map<?, ?>) JSON.readValue(diff.out(), Map.class).get("new");
            assertThat(added.get("syscalls")).asList().contains("mkdir");
            assertThat(added.get("capabilities")).asList().isEmpty();

            Cli.Result seccompDiff =
                    Cli.run("seccomp", "diff", "--exit-code", "7", v1Seccomp.toString(), v2Seccomp.toString());
            assertThat(seccompDiff.exit()).isEqualTo(7);
            assertThat(seccompDiff.out()).containsPattern("syscalls\\s+new\\s+mkdir");
            Cli.Result same = Cli.run("seccomp", "diff", v1.toString(), v1.toString());
            assertThat(same.exit()).isZero();
        }
    }

    @Test
    void shouldAttachToARunningProcessAndLeaveItRunning() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("service"));
        Path profileFile = tmp.resolve("attached.json");
        Process service = new ProcessBuilder(
                        PYTHON,
                        "-I",
                        "-B",
                        "-c",
                        "import os, time\n"
                                + "while True:\n"
                                + "    open(os.path.join('" + work + "', 'beat'), 'w').write('x')\n"
                                + "    time.sleep(0.05)\n")
                .start();
        try {
            Cli.Result result = Cli.run(
                    "trace",
                    "--pid",
                    Long.toString(service.pid()),
                    "--duration",
                    "2s",
                    "--output",
                    profileFile.toString());
            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(service.isAlive())
                    .as("strace detached and the service runs on")
                    .isTrue();
            TraceProfile profile = JSON.readValue(profileFile.toFile(), TraceProfile.class);
            assertThat(profile.traced().pid()).isEqualTo((int) service.pid());
            assertThat(profile.writes())
                    .extracting(PathWrite::path)
                    .contains(work.resolve("beat").toString());
            assertThat(profile.syscalls()).extracting(SyscallUse::name).contains("openat", "write", "close");
            assertThat(profile.baseline())
                    .filteredOn(b -> b.name().equals("brk") || b.name().equals("mprotect"))
                    .extracting(TraceProfile.BaselineSyscall::reason)
                    .allMatch(reason -> reason.startsWith("process start"))
                    .isNotEmpty();
        } finally {
            service.destroyForcibly().waitFor();
        }
    }

    /** getpid through the i386 system call table (int 0x80, number 20) from an x86_64 program. */
    private static final String COMPAT_CALL =
            """
            int main(void) {
                long pid;
                __asm__ volatile ("int $0x80" : "=a"(pid) : "a"(20) : "memory");
                return pid > 0 ? 0 : 1;
            }
            """;

    @Test
    void shouldRecordCallsThroughThe32BitTableUnderTheirArchitecture() throws Exception {
        assertThat(Path.of("/usr/bin/gcc"))
                .as("gcc must be installed (apt-get install gcc)")
                .isExecutable();
        Path source = Files.writeString(tmp.resolve("compat.c"), COMPAT_CALL);
        Path binary = tmp.resolve("compat");
        assertThat(run("/usr/bin/gcc", "-O0", "-o", binary.toString(), source.toString())
                        .exit())
                .isZero();
        Path loader = Files.writeString(tmp.resolve("loader.py"), LOADER);
        Path profileFile = tmp.resolve("compat.json");
        Path seccompFile = tmp.resolve("compat-seccomp.json");
        Cli.Result result = Cli.run(
                "trace",
                "--output",
                profileFile.toString(),
                "--seccomp",
                seccompFile.toString(),
                "--",
                binary.toString());
        assertThat(result.exit()).as(result.err()).isZero();
        TraceProfile profile = JSON.readValue(profileFile.toFile(), TraceProfile.class);
        assertThat(profile.architectures()).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86");
        assertThat(profile.syscalls()).contains(new SyscallUse("getpid", "SCMP_ARCH_X86", 1, 0));

        assertThat(run(PYTHON, loader.toString(), seccompFile.toString(), binary.toString())
                        .exit())
                .as("the learned filter admits the 32-bit call")
                .isZero();
        Map<String, Object> nativeOnly = JSON.readValue(seccompFile.toFile(), Map.class);
        nativeOnly.put("architectures", List.of("SCMP_ARCH_X86_64"));
        Path narrowed = tmp.resolve("native-only.json");
        JSON.writeValue(narrowed.toFile(), nativeOnly);
        assertThat(run(PYTHON, loader.toString(), narrowed.toString(), binary.toString())
                        .exit())
                .as("without the architecture, the 32-bit call is refused")
                .isNotZero();
    }

    @Test
    void shouldFailClearlyWhenTheCommandCannotBeRun() {
        Path profileFile = tmp.resolve("never.json");
        Cli.Result result = Cli.run(
                "trace",
                "--output",
                profileFile.toString(),
                "--",
                tmp.resolve("absent").toString());
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("recorded no system call");
        assertThat(profileFile).doesNotExist();
    }

    @Test
    void shouldSayHowToGetStraceWhenItIsMissing() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty-path"));
        Cli.Result result = Cli.runWith(Map.of("PATH", empty.toString()), "trace", "--", "/bin/true");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("apt-get install strace");
    }

    private static CompletableFuture<String> receive(ServerSocket listener) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = listener.accept();
                    InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** A run's exit status and its output, kept beside it. */
    private record Ran(int exit, String output) {}

    private Ran run(String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(tmp, "confined", ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Ran(process.exitValue(), Files.readString(log));
    }
}
