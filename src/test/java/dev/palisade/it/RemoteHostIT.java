package dev.palisade.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.testing.Cli;
import dev.palisade.testing.JsonReports;
import dev.palisade.testing.LocalSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code palisade host ssh://} against Debian's real sshd on this machine: the remote inventory of
 * the machine must be what {@code palisade rootfs /} finds on it, since it is the same machine.
 */
class RemoteHostIT {
    @Test
    void shouldFindOverSshWhatRootfsFindsOnTheSameMachine() throws Exception {
        try (LocalSshd sshd = LocalSshd.start()) {
            Path known = sshd.directory().resolve("known_hosts");
            Files.writeString(known, sshd.knownHostsLine() + "\n");
            String skips = String.join(",", volatileDirectories());

            Cli.Result local = Cli.run("rootfs", "/", "--skip-dirs", skips, "--scanners", "misconfig", "-f", "json");
            Cli.Result remote = Cli.run(
                    "host",
                    sshd.address(),
                    "-i",
                    sshd.clientKey().toString(),
                    "--known-hosts",
                    known.toString(),
                    "--skip-dirs",
                    skips,
                    "--scanners",
                    "misconfig",
                    "-f",
                    "json");

            assertThat(local.exit()).as(local.err()).isZero();
            assertThat(remote.exit()).as(remote.err()).isZero();
            JsonNode localReport = JsonReports.read(local.out());
            JsonNode remoteReport = JsonReports.read(remote.out());
            assertThat(remoteReport.path("artifact").path("name").asText()).isEqualTo(sshd.address());
            assertThat(remoteReport.path("os")).isEqualTo(localReport.path("os"));
            assertThat(remoteReport.path("os").path("id").asText()).isNotEmpty();
            List<String> debs = packages(remoteReport).stream()
                    .filter(p -> p.startsWith("pkg:deb/"))
                    .toList();
            assertThat(debs).as("the dpkg packages of this machine").hasSizeGreaterThan(100);
            assertThat(debs)
                    .contains(debs.stream()
                            .filter(p -> p.startsWith("pkg:deb/debian/openssh-server@"))
                            .findFirst()
                            .orElseThrow());
            assertThat(packages(remoteReport)).containsExactlyElementsOf(packages(localReport));
            assertThat(misconfigurations(remoteReport)).containsExactlyElementsOf(misconfigurations(localReport));

            JsonNode sshdSocket = JsonReports.elements(remoteReport, "listeningSockets").stream()
                    .filter(s -> s.path("port").asInt() == sshd.port())
                    .findFirst()
                    .orElseThrow(
                            () -> new AssertionError("sshd's port " + sshd.port() + " is not listed: " + remote.out()));
            assertThat(sshdSocket.path("protocol").asText()).isEqualTo("tcp");
            assertThat(sshdSocket.path("address").asText()).isEqualTo("127.0.0.1");
            assertThat(sshdSocket.path("processes").findValuesAsText("name")).contains("sshd");
        }
    }

    /** purl and location of every package, in report order. */
    private static List<String> packages(JsonNode report) {
        List<String> packages = new ArrayList<>();
        for (JsonNode p : JsonReports.elements(report, "packages")) {
            packages.add(p.path("purl").asText() + " " + p.path("name").asText() + " "
                    + p.path("version").asText() + " at "
                    + p.path("location").path("path").asText());
        }
        return packages;
    }

    private static List<String> misconfigurations(JsonNode report) {
        List<String> found = new ArrayList<>();
        for (JsonNode m : JsonReports.misconfigurations(report)) {
            found.add(m.path("id").asText() + " " + m.path("path").asText() + " "
                    + m.path("message").asText());
        }
        return found;
    }

    /**
     * What changes while the tests run (the build, temporary files, caches, home directories), so
     * that both scans see the same files.
     */
    private static Set<String> volatileDirectories() {
        Set<String> skips = new LinkedHashSet<>(
                List.of("tmp", "var/tmp", "var/cache", "var/log", "root", "home", "work", "var/lib/containers"));
        for (Path path : List.of(Path.of("").toAbsolutePath(), Path.of(System.getProperty("java.io.tmpdir")))) {
            if (path.getNameCount() > 0) {
                skips.add(path.getName(0).toString());
            }
        }
        return skips;
    }
}
