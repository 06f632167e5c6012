package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.testing.Cli;
import dev.palisade.testing.JsonReports;
import dev.palisade.vulndb.GeneratedMirror;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --patch-plan} on a generated Debian 12 root against real Debian advisories pinned in
 * src/test/resources/patchplan (see PROVENANCE.md there): glibc has four advisories, one of them
 * known exploited; util-linux's binaries are binNMUs ({@code +b1}); zlib has no advisory.
 */
class PatchPlanCliTest {
    @TempDir
    Path temp;

    private Path cache;
    private Path root;

    @BeforeEach
    void setUp() throws Exception {
        Path mirror = temp.resolve("mirror/osv");
        List<String> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/patchplan/osv-debian"))) {
            for (Path f : files.sorted().toList()) {
                records.add(Files.readString(f));
            }
        }
        GeneratedMirror.writeSource(mirror, "Debian", records);
        GeneratedMirror.writeKevBeside(mirror, "CVE-2023-4911");
        cache = temp.resolve("cache");
        Cli.Result update = Cli.run("db", "update", "--cache-dir", cache.toString(), "--db-mirror", mirror.toString());
        assertThat(update.exit()).as(update.err()).isZero();

        root = temp.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("var/lib/dpkg"));
        Files.writeString(
                root.resolve("etc/os-release"),
                "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n"
                        + "VERSION_CODENAME=bookworm\n");
        Files.writeString(
                root.resolve("var/lib/dpkg/status"),
                String.join(
                        "\n",
                        stanza("libc6", "2.36-9+deb12u1", "glibc"),
                        stanza("libc-bin", "2.36-9+deb12u1", "glibc"),
                        stanza("util-linux", "2.38.1-5+b1", "util-linux (2.38.1-5)"),
                        stanza("libmount1", "2.38.1-5+b1", "util-linux (2.38.1-5)"),
                        stanza("libtasn1-6", "4.19.0-2", null),
                        stanza("zlib1g", "1:1.2.13.dfsg-1", "zlib")));
    }

    private static String stanza(String name, String version, String source) {
        return "Package: " + name + "\nStatus: install ok installed\nArchitecture: amd64\n"
                + (source == null ? "" : "Source: " + source + "\n") + "Version: " + version + "\n";
    }

    private Cli.Result scan(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "rootfs", root.toString(), "--cache-dir", cache.toString(), "--skip-db-update", "--scanners", "vuln"));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void shouldPlanTheHighestFixOfEachSourceKnownExploitedFirstWithTheAptCommand() {
        Cli.Result run = scan("--patch-plan", "-f", "json");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode plan = JsonReports.read(run.out()).path("patchPlan");
        assertThat(plan.path("manager").asText()).isEqualTo("apt");
        List<String> installs = new ArrayList<>();
        plan.path("packages").forEach(p -> installs.add(p.path("install").asText()));
        // glibc first (CVE-2023-4911 is known exploited), at the highest of its four fixes; util-linux's
        // binaries have versions of their own (+b1), so apt chooses them
        assertThat(installs)
                .containsExactly(
                        "libc-bin=2.36-9+deb12u7",
                        "libc6=2.36-9+deb12u7",
                        "libtasn1-6=4.19.0-2+deb12u1",
                        "libmount1",
                        "util-linux");
        JsonNode libc6 = plan.path("packages").get(1);
        assertThat(libc6.path("knownExploited").asBoolean()).isTrue();
        assertThat(libc6.path("sourceName").asText()).isEqualTo("glibc");
        assertThat(libc6.path("installedVersion").asText()).isEqualTo("2.36-9+deb12u1");
        assertThat(libc6.path("fixedVersion").asText()).isEqualTo("2.36-9+deb12u7");
        List<String> fixes = new ArrayList<>();
        libc6.path("vulnerabilities").forEach(v -> fixes.add(v.asText()));
        assertThat(fixes).hasSize(4);
        JsonNode libmount = plan.path("packages").get(3);
        assertThat(libmount.path("fixedVersion").asText()).isEqualTo("2.38.1-5+deb12u1");
        assertThat(libmount.path("knownExploited").asBoolean()).isFalse();
        assertThat(plan.path("command").asText())
                .isEqualTo("apt-get install --only-upgrade libc-bin=2.36-9+deb12u7 libc6=2.36-9+deb12u7 libmount1 "
                        + "libtasn1-6=4.19.0-2+deb12u1 util-linux");
    }

    @Test
    void shouldLeaveThePlanOutUnlessAskedAndShowItInTheTable() {
        Cli.Result plain = scan("-f", "json");
        assertThat(plain.exit()).as(plain.err()).isZero();
        assertThat(JsonReports.read(plain.out()).has("patchPlan")).isFalse();

        Cli.Result table = scan("--patch-plan");
        assertThat(table.exit()).as(table.err()).isZero();
        List<String> lines = table.out().lines().map(String::strip).toList();
        assertThat(lines).contains("Patch plan: 5 packages to upgrade (apt)");
        assertThat(lines)
                .contains("apt-get install --only-upgrade libc-bin=2.36-9+deb12u7 libc6=2.36-9+deb12u7 libmount1 "
                        + "libtasn1-6=4.19.0-2+deb12u1 util-linux");
    }
}
