package dev.palisade.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.testing.Cli;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --learned}: a profile from a real traced run compared with a workload's configuration (its seccomp
 * profile) and with a VM's enabled services.
 */
class LearnedIT {
    private static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes a file, then connects to a local listener and says hello. */
    private static final String CLIENT =
            """
            import os, socket, sys
            with open(os.path.join(sys.argv[1], "out.txt"), "w") as f:
                f.write("written")
            s = socket.create_connection(("127.0.0.1", int(sys.argv[2])))
            s.sendall(b"hello")
            s.close()
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

    /** A trace of the client connecting to {@code listener}: the profile and its learned seccomp profile. */
    private Path[] traceClient(ServerSocket listener) throws Exception {
        Path client = Files.writeString(tmp.resolve("client.py"), CLIENT);
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path profile = tmp.resolve("profile.json");
        Path seccomp = tmp.resolve("seccomp.json");
        CompletableFuture<String> received = receive(listener);
        Cli.Result traced = Cli.run(
                "trace",
                "--output",
                profile.toString(),
                "--seccomp",
                seccomp.toString(),
                "--",
                PYTHON,
                "-I",
                "-B",
                client.toString(),
                work.toString(),
                Integer.toString(listener.getLocalPort()));
        assertThat(traced.exit()).as(traced.err()).isZero();
        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
        return new Path[] {profile, seccomp};
    }

    @Test
    void shouldCompareEachWorkloadsSeccompProfileWithTheLearnedOne() throws Exception {
        Path profile;
        Path learnedSeccomp;
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path[] files = traceClient(listener);
            profile = files[0];
            learnedSeccomp = files[1];
        }
        TraceProfile traced = JSON.readValue(profile.toFile(), TraceProfile.class);
        assertThat(traced.programs()).contains(PYTHON);
        assertThat(traced.syscalls()).extracting(TraceProfile.SyscallUse::name).contains("connect", "openat");

        // the workload's profile: the learned one without connect, with mount and ptrace added
        Path deploy = Files.createDirectories(tmp.resolve("repo/deploy"));
        ObjectNode workloadProfile = (ObjectNode) JSON.readTree(learnedSeccomp.toFile());
        ArrayNode allowed = (ArrayNode) workloadProfile.at("/syscalls/0/names");
        List<String> names = new ArrayList<>();
        allowed.forEach(n -> names.add(n.asText()));
        assertThat(workloadProfile.at("/syscalls/0/action").asText()).isEqualTo("SCMP_ACT_ALLOW");
        allowed.removeAll();
        names.stream().filter(n -> !n.equals("connect")).forEach(allowed::add);
        allowed.add("mount").add("ptrace");
        Files.createDirectories(deploy.resolve("profiles"));
        JSON.writeValue(deploy.resolve("profiles/app.json").toFile(), workloadProfile);
        Files.writeString(
                deploy.resolve("app.yaml"),
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          image: registry.example/app:1
                          securityContext:
                            seccompProfile:
                              type: Localhost
                              localhostProfile: profiles/app.json
                        - name: sidecar
                          image: registry.example/sidecar:1
                          securityContext:
                            seccompProfile:
                              type: RuntimeDefault
                        - name: other
                          image: registry.example/other:1
                          securityContext:
                            seccompProfile:
                              type: Localhost
                              localhostProfile: profiles/missing.json
                """);
        Files.writeString(
                deploy.resolve("compose.yaml"),
                """
                services:
                  app:
                    image: registry.example/app:1
                    user: "10001"
                    security_opt:
                      - seccomp:./profiles/app.json
                """);

        Cli.Result scan = Cli.run(
                "config",
                "--format",
                "json",
                "--learned",
                profile.toString(),
                tmp.resolve("repo").toString());
        assertThat(scan.exit()).as(scan.err()).isIn(0, 1);
        JsonNode report = JSON.readTree(scan.out());
        List<String> learnedFindings = new ArrayList<>();
        for (JsonNode m : report.path("misconfigurations")) {
            if (m.path("id").asText().startsWith("PAL-32")) {
                learnedFindings.add(m.path("id").asText() + " " + m.path("path").asText() + " "
                        + m.path("keyPath").asText());
            }
        }
        assertThat(learnedFindings)
                .containsExactlyInAnyOrder(
                        "PAL-3201 deploy/app.yaml spec.template.spec.containers[0].securityContext.seccompProfile",
                        "PAL-3202 deploy/app.yaml spec.template.spec.containers[0].securityContext.seccompProfile",
                        "PAL-3203 deploy/app.yaml spec.template.spec.containers[1].securityContext.seccompProfile",
                        "PAL-3201 deploy/compose.yaml services.app.security_opt",
                        "PAL-3202 deploy/compose.yaml services.app.security_opt");
        List<String> problems = new ArrayList<>();
        report.path("problems").forEach(p -> problems.add(p.path("path").asText()));
        assertThat(problems)
                .as("the profile that is not there is said, not taken as compared")
                .contains("deploy/app.yaml");
    }

    @Test
    void shouldRefuseALearnedFileThatIsNotATraceProfile() throws IOException {
        Path seccomp = Files.writeString(tmp.resolve("seccomp.json"), "{\"defaultAction\": \"SCMP_ACT_ERRNO\"}");
        Path repo = Files.createDirectories(tmp.resolve("repo"));

        Cli.Result scan = Cli.run("config", "--learned", seccomp.toString(), repo.toString());

        assertThat(scan.exit()).isEqualTo(2);
        assertThat(scan.err()).contains("is not a palisade trace profile");

        Cli.Result missing =
                Cli.run("rootfs", "--learned", tmp.resolve("absent.json").toString(), repo.toString());

        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("absent.json: no such file");
    }

    @Test
    void shouldListTheEnabledNetworkServicesTheTracedWorkloadNeverUsed() throws Exception {
        Path profile;
        int usedPort;
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            usedPort = listener.getLocalPort();
            profile = traceClient(listener)[0];
        }
        Path root = Files.createDirectories(tmp.resolve("rootfs"));
        Path units = Files.createDirectories(root.resolve("lib/systemd/system"));
        Path wants = Files.createDirectories(root.resolve("etc/systemd/system/multi-user.target.wants"));
        Path sockets = Files.createDirectories(root.resolve("etc/systemd/system/sockets.target.wants"));
        // the workload's own service: its program ran in the trace
        unit(units, wants, "app.service", "[Service]\nExecStart=" + PYTHON + " -m app\n");
        // the database it connected to, socket-activated on the port the trace connected to
        unit(units, sockets, "db.socket", "[Socket]\nListenStream=127.0.0.1:" + usedPort + "\n");
        // never used: ssh (port 22 by its name), cups (its socket unit), and a unix socket service
        unit(units, wants, "ssh.service", "[Service]\nExecStart=/usr/sbin/sshd -D\n");
        unit(units, sockets, "cups.socket", "[Socket]\nListenStream=631\n");
        unit(units, sockets, "metrics.socket", "[Socket]\nListenStream=/run/metrics.sock\n");
        // a daemon that serves no network is not a network service
        unit(units, wants, "cron.service", "[Service]\nExecStart=/usr/sbin/cron -f\n");

        Cli.Result scan = Cli.run(
                "rootfs",
                "--scanners",
                "misconfig",
                "--format",
                "json",
                "--learned",
                profile.toString(),
                root.toString());
        assertThat(scan.exit()).as(scan.err()).isIn(0, 1);
        List<String> unused = new ArrayList<>();
        for (JsonNode m : JSON.readTree(scan.out()).path("misconfigurations")) {
            if (m.path("id").asText().equals("PAL-5201")) {
                unused.add(m.path("keyPath").asText() + " " + m.path("path").asText());
            }
        }
        assertThat(unused)
                .containsExactlyInAnyOrder(
                        "ssh.service etc/systemd/system/multi-user.target.wants/ssh.service",
                        "cups.socket etc/systemd/system/sockets.target.wants/cups.socket",
                        "metrics.socket etc/systemd/system/sockets.target.wants/metrics.socket");
    }

    private static void unit(Path units, Path wants, String name, String text) throws IOException {
        Files.writeString(units.resolve(name), text);
        Files.createSymbolicLink(wants.resolve(name), Path.of("/lib/systemd/system/" + name));
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
}
