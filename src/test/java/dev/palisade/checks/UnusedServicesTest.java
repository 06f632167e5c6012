package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.source.directory.DiskFiles;
import dev.palisade.source.host.ListeningSockets;
import dev.palisade.testing.Trees;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnusedServicesTest {
    @TempDir
    Path root;

    @Test
    void shouldReportTheListeningSocketsTheTracedRunNeverServedOrConnectedTo() throws Exception {
        try (ServerSocket used = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                ServerSocket unused = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            LearnedProfile learned = new LearnedProfile(
                    "profile.json",
                    new TreeSet<>(Set.of("connect")),
                    new TreeSet<>(),
                    List.of(),
                    List.of(new LearnedProfile.Endpoint("tcp", "127.0.0.1", used.getLocalPort())),
                    Set.of(),
                    Set.of("/usr/bin/python3"));
            // this machine's real listening sockets, as palisade host reads them
            List<ListeningSockets.Socket> sockets =
                    ListeningSockets.read(DiskFiles.of(Paths.get("/proc")), "/proc").sockets().stream()
                            .filter(s -> s.port() == used.getLocalPort() || s.port() == unused.getLocalPort())
                            .toList();
            assertThat(sockets).hasSize(2);

            List<Misconfiguration> found = new UnusedServices(CheckCatalog.load(), NetworkServices.defaultPorts())
                    .evaluate(Trees.of(Files.createDirectories(root.resolve("empty"))), sockets, learned);

            assertThat(found).extracting(m -> m.check().id()).containsExactly("PAL-5201");
            assertThat(found).extracting(Misconfiguration::keyPath).containsExactly("tcp/" + unused.getLocalPort());
        }
    }

    @Test
    void shouldReadEnabledUnitsPortsFromTheirSocketUnitsElseFromTheServicesName() throws Exception {
        Path units = Files.createDirectories(root.resolve("lib/systemd/system"));
        Path wants = Files.createDirectories(root.resolve("etc/systemd/system/multi-user.target.wants"));
        Files.writeString(
                units.resolve("web.socket"), "[Socket]\nListenStream=[::]:8443\nListenStream=/run/web.sock\n");
        Files.createSymbolicLink(wants.resolve("web.socket"), Path.of("../../../../lib/systemd/system/web.socket"));
        Files.writeString(units.resolve("ssh.service"), "[Service]\nExecStart=-/usr/sbin/sshd -D $OPTS\n");
        Files.createSymbolicLink(wants.resolve("ssh.service"), Path.of("/lib/systemd/system/ssh.service"));

        List<UnusedServices.EnabledService> services = new UnusedServices(
                        CheckCatalog.load(), NetworkServices.defaultPorts())
                .enabledNetworkServices(Trees.of(root));

        assertThat(services)
                .containsExactly(
                        new UnusedServices.EnabledService(
                                "ssh.service",
                                "etc/systemd/system/multi-user.target.wants/ssh.service",
                                Set.of(22),
                                Set.of(),
                                "/usr/sbin/sshd"),
                        new UnusedServices.EnabledService(
                                "web.socket",
                                "etc/systemd/system/multi-user.target.wants/web.socket",
                                Set.of(8443),
                                Set.of("/run/web.sock"),
                                ""));
    }
}
