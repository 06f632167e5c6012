package dev.palisade.source.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.testing.Cli;
import dev.palisade.testing.JsonReports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListeningSocketsTest {
    /** Rows as this Debian 12 kernel prints them: a listener on every interface, one on loopback, one connection. */
    private static final String TCP =
            """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1060 1 000000001b895efc 100 0 0 10 0
               1: 0100007F:1403 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 103478 1 0000000013da31a8 100 0 0 10 0
               2: 0100007F:A2C4 0100007F:1403 01 00000000:00000000 00:00000000 00000000     0        0 103999 1 0000000013da31a8 20 4 30 10 -1
            """;

    private static final String UDP6 =
            """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
              12: 00000000000000000000000000000000:0044 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 2001 2 0000000000000000 0
              13: 00000000000000000000000001000000:0202 00000000000000000000000000000000:0000 01 00000000:00000000 00:00000000 00000000     0        0 2002 2 0000000000000000 0
            """;

    @Test
    void shouldKeepListeningRowsWithTheirAddressPortAndInode() {
        assertThat(ListeningSockets.parse("tcp", TCP))
                .extracting(s -> s.address() + ":" + s.port() + "#" + s.inode())
                .containsExactly("0.0.0.0:2024#1060", "127.0.0.1:5123#103478");
        assertThat(ListeningSockets.parse("udp6", UDP6))
                .extracting(s -> s.address() + ":" + s.port())
                .containsExactly(":::68");
    }

    @ParameterizedTest
    @CsvSource({
        "0100007F, 127.0.0.1",
        "00000000, 0.0.0.0",
        "0A00020F, 15.2.0.10",
        "00000000000000000000000001000000, ::1",
        "00000000000000000000000000000000, ::",
        "0000000000000000FFFF00000100007F, ::ffff:127.0.0.1",
        "000080FE00000000FF565002BD69B1FE, fe80::250:56ff:feb1:69bd",
        "B80D0120000000000000000001000000, 2001:db8::1",
    })
    void shouldDecodeTheKernelsByteOrder(String hex, String address) {
        assertThat(ListeningSockets.address(hex)).isEqualTo(address);
    }

    @Test
    void shouldFindThisProcessListeningOnTheLiveHost() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ListeningSockets.Result result =
                    ListeningSockets.read(dev.palisade.source.directory.DiskFiles.of(Paths.get("/proc")), "/proc");

            assertThat(result.sockets())
                    .filteredOn(s ->
                            s.port() == server.getLocalPort() && s.protocol().startsWith("tcp"))
                    .singleElement()
                    .satisfies(s -> {
                        assertThat(s.reachableFromNetwork()).isFalse();
                        assertThat(s.owners())
                                .extracting(ListeningSockets.Owner::pid)
                                .contains((int) ProcessHandle.current().pid());
                    });
        }
    }

    @Test
    void shouldReportAMalformedTableAsAProblem(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net/tcp"), "header\n 0: 0100007F 00000000:0000 0A\n");
        Files.writeString(proc.resolve("net/udp"), "header\n 0: XYZ:0044 00000000:0000 07 0 0 0 0 0 2001\n");

        ListeningSockets.Result result =
                ListeningSockets.read(dev.palisade.source.directory.DiskFiles.of(proc), proc.toString());

        assertThat(result.sockets()).isEmpty();
        assertThat(result.problems())
                .extracting(p -> p.path() + ": " + p.reason())
                .anySatisfy(p -> assertThat(p).contains("net/tcp").contains("line 2 has 4 fields"))
                .anySatisfy(p -> assertThat(p).contains("net/udp").contains("XYZ"));
    }

    @Test
    void hostCommandShouldReportTheSocketsAndTheirProcesses(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=\"12\"\n");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Result result = Cli.run("host", "--root", root.toString(), "--scanners", "misconfig", "-f", "json");
            Cli.Result table = Cli.run("host", "--root", root.toString(), "--scanners", "misconfig");

            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(JsonReports.elements(JsonReports.read(result.out()), "listeningSockets"))
                    .anySatisfy(socket -> {
                        assertThat(socket.path("port").asInt()).isEqualTo(server.getLocalPort());
                        assertThat(socket.path("processes"))
                                .extracting(p -> p.path("pid").asLong())
                                .contains(ProcessHandle.current().pid());
                    });
            assertThat(table.out())
                    .contains("Listening sockets:")
                    .containsPattern("tcp6?\\s+\\S+\\s+" + server.getLocalPort() + "\\s+java");
        }
    }
}
