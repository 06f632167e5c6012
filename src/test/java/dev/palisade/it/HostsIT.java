package dev.palisade.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.server.InventoryService;
import dev.palisade.server.PalisadeServer;
import dev.palisade.server.Storage;
import dev.palisade.server.Tokens;
import dev.palisade.testing.Cli;
import dev.palisade.testing.JsonReports;
import dev.palisade.testing.LocalSshd;
import dev.palisade.testing.Scans;
import dev.palisade.testing.TestDatabase;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code palisade hosts} against Debian's real sshd on this machine: an inventory with two entries
 * for the loopback host, one whose host key is not the one known, and one port nothing listens on.
 * The two good entries are scanned as {@code palisade host} scans them; the two bad ones fail
 * alone. To stay quick, every top-level directory but {@code etc} is skipped.
 */
class HostsIT {
    private static final String SCANNER = "scanner-" + "d".repeat(40);
    private static final String VIEWER = "viewer-" + "e".repeat(40);

    @TempDir
    Path temp;

    @Test
    void shouldScanEveryReachableHostAndReportTheOthersAsFailed() throws Exception {
        try (LocalSshd sshd = LocalSshd.start()) {
            Fleet fleet = fleet(sshd);
            Path reports = temp.resolve("reports");

            Cli.Result run = Cli.run(
                    "hosts",
                    fleet.inventory().toString(),
                    "--known-hosts",
                    fleet.knownHosts().toString(),
                    "--skip-dirs",
                    fleet.skips(),
                    "--scanners",
                    "misconfig",
                    "--parallel",
                    "2",
                    "--output-dir",
                    reports.toString());
            Cli.Result single = Cli.run(
                    "host",
                    sshd.address(),
                    "-i",
                    sshd.clientKey().toString(),
                    "--known-hosts",
                    fleet.knownHosts().toString(),
                    "--skip-dirs",
                    fleet.skips(),
                    "--scanners",
                    "misconfig",
                    "-f",
                    "json");

            assertThat(run.exit()).as(run.err()).isEqualTo(4);
            assertThat(single.exit()).as(single.err()).isZero();
            Map<String, List<String>> summary = summary(run.out());
            assertThat(summary.keySet()).containsExactly(sshd.address(), "loopback", "impostor", "down");
            assertThat(summary.get(sshd.address()).get(1)).isEqualTo(sshd.address());
            assertThat(summary.get(sshd.address()).get(2)).isEqualTo("default");
            assertThat(summary.get("loopback").get(1)).isEqualTo(sshd.address());
            assertThat(summary.get("loopback").get(2)).isEqualTo("web");
            assertThat(summary.values().stream().map(row -> row.get(row.size() - 1)))
                    .containsExactly("ok", "ok", "failed", "failed");
            assertThat(errorOf(run.err(), "impostor")).contains("the host key has CHANGED");
            assertThat(errorOf(run.err(), "down")).contains("connection refused");
            assertThat(run.err()).doesNotContain("error: ssh://").doesNotContain("error: loopback");

            try (Stream<Path> files = Files.list(reports)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .containsExactlyInAnyOrder(
                                sshd.address().substring("ssh://".length()).replaceAll("[@:]", "_") + ".json",
                                "loopback.json");
            }
            JsonNode expected = JsonReports.read(single.out());
            JsonNode loopback = JsonReports.read(Files.readString(reports.resolve("loopback.json")));
            assertThat(loopback.path("artifact").path("name").asText()).isEqualTo(sshd.address());
            assertThat(texts(loopback, "packages", "purl")).isEqualTo(texts(expected, "packages", "purl"));
            assertThat(texts(loopback, "misconfigurations", "id"))
                    .isNotEmpty()
                    .isEqualTo(texts(expected, "misconfigurations", "id"));
        }
    }

    @Test
    void shouldSendEachHostsInventoryToItsApplicationOnTheServer() throws Exception {
        try (LocalSshd sshd = LocalSshd.start();
                PalisadeServer server = server()) {
            Fleet fleet = fleet(sshd);

            Cli.Result run = Cli.runWith(
                    Map.of("PALISADE_TOKEN", SCANNER),
                    "hosts",
                    fleet.inventory().toString(),
                    "--known-hosts",
                    fleet.knownHosts().toString(),
                    "--skip-dirs",
                    fleet.skips(),
                    "--server",
                    "http://127.0.0.1:" + server.port(),
                    "--application",
                    "estate");

            assertThat(run.exit()).as(run.err()).isEqualTo(4);
            JsonNode web = get(server, "/api/v1/applications/web/scans").path("scans");
            assertThat(web.findValuesAsText("target")).containsExactly("loopback");
            assertThat(web.findValuesAsText("model")).containsExactly("vm");
            JsonNode estate = get(server, "/api/v1/applications/estate/scans").path("scans");
            assertThat(estate.findValuesAsText("target")).containsExactly(sshd.address());
            assertThat(get(server, "/api/v1/applications").toString()).doesNotContain("impostor", "down");
        }
    }

    /** Inventory and known hosts for the four entries. */
    private record Fleet(Path inventory, Path knownHosts, String skips) {}

    private Fleet fleet(LocalSshd sshd) throws Exception {
        Path other = temp.resolve("other_host_key");
        LocalSshd.keygen(other, "ed25519", "");
        Path known = temp.resolve("known_hosts");
        // localhost is this sshd too, but the key known for it is another one
        Files.writeString(
                known,
                sshd.knownHostsLine() + "\n[localhost]:" + sshd.port() + " "
                        + Files.readString(other.resolveSibling("other_host_key.pub"))
                                .strip() + "\n");
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String user = System.getProperty("user.name");
        Path inventory = temp.resolve("inventory.ini");
        Files.writeString(
                inventory,
                String.join(
                        "\n",
                        "# two entries for the loopback host, then two that must fail",
                        sshd.address(),
                        "[web]",
                        "loopback ansible_host=127.0.0.1 ansible_port=" + sshd.port(),
                        "[broken]",
                        "impostor ansible_host=localhost ansible_port=" + sshd.port(),
                        "down ansible_host=127.0.0.1 ansible_port=" + closed,
                        "[all:vars]",
                        "ansible_user=" + user,
                        "ansible_ssh_private_key_file=" + sshd.clientKey(),
                        ""));
        List<String> skips = new ArrayList<>();
        try (Stream<Path> top = Files.list(Path.of("/"))) {
            top.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.equals("etc"))
                    .sorted()
                    .forEach(skips::add);
        }
        return new Fleet(inventory, known, String.join(",", skips));
    }

    /** The summary's rows by host name, each row's columns split on spaces. */
    private static Map<String, List<String>> summary(String out) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).startsWith("HOST ");
        for (String line : lines.subList(1, lines.size())) {
            List<String> columns = List.of(line.trim().split("\\s+"));
            rows.put(columns.get(0), columns);
        }
        return rows;
    }

    /** The error line {@code palisade hosts} printed for one host. */
    private static String errorOf(String err, String host) {
        return err.lines()
                .filter(line -> line.startsWith("palisade: error: " + host + ": "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no error for " + host + " in: " + err));
    }

    private static List<String> texts(JsonNode report, String array, String field) {
        return JsonReports.texts(report, array, field);
    }

    private PalisadeServer server() throws Exception {
        Tokens tokens = Tokens.parse("ci scanner " + SCANNER + "\nauditor viewer " + VIEWER + "\n", "test tokens");
        Path data = temp.resolve("server");
        return PalisadeServer.start(new PalisadeServer.Config(
                "127.0.0.1",
                0,
                new Storage.Sqlite(data.resolve("server.sqlite")),
                data,
                tokens,
                64L * 1024 * 1024,
                TestDatabase.databaseFile(),
                InventoryService.DatabaseUpdate::unchanged,
                null,
                Scans.FIXED,
                "test",
                1,
                PalisadeServer.ImageScanning.off(),
                null,
                (level, message) -> {}));
    }

    private static JsonNode get(PalisadeServer server, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                                .header("Authorization", "Bearer " + VIEWER)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }
}
