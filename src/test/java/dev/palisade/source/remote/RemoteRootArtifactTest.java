package dev.palisade.source.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.FileKind;
import dev.palisade.source.Layer;
import dev.palisade.source.LayerVisitor;
import dev.palisade.source.Problem;
import dev.palisade.source.RawEntry;
import dev.palisade.source.ScanLimits;
import dev.palisade.testing.LocalSshd;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The remote walk over Debian's real sshd: what it records, what it reads, and where it stops. */
class RemoteRootArtifactTest {
    static LocalSshd sshd;
    static SshHost host;
    static Path tree;

    @BeforeAll
    static void start() throws Exception {
        sshd = LocalSshd.start();
        tree = sshd.directory().resolve("root");
        Files.createDirectories(tree.resolve("etc"));
        Files.createDirectories(tree.resolve("proc/1"));
        Files.createDirectories(tree.resolve("var/lib/dpkg"));
        Files.writeString(tree.resolve("etc/os-release"), "ID=debian\n");
        Files.writeString(tree.resolve("proc/1/status"), "not to be read\n");
        Files.writeString(tree.resolve("var/lib/dpkg/status"), "Package: a\n");
        Files.createSymbolicLink(tree.resolve("etc/escape"), Path.of("/etc/shadow"));
        LocalSshd.run("mkfifo", tree.resolve("etc/fifo").toString());
        Path known = sshd.directory().resolve("known_hosts");
        Files.writeString(known, sshd.knownHostsLine() + "\n");
        host = SshHost.connect(
                SshDestination.parse(sshd.address()),
                SshSettings.of(List.of(sshd.clientKey()), null, "TEST_PASSPHRASE", known, false));
    }

    @AfterAll
    static void stop() throws Exception {
        host.close();
        sshd.close();
    }

    private static RemoteRootArtifact artifact(Set<String> skips, ScanLimits limits) {
        ArtifactDescription description = new ArtifactDescription(
                "remote", ArtifactKind.ROOTFS, DeploymentModel.VM, List.of(Layer.single()), null);
        return new RemoteRootArtifact(host.files(tree.toString()), description, skips, limits);
    }

    @Test
    void shouldRecordLinksAndSpecialFilesAndReadOnlyWhatTheVisitorReads() throws Exception {
        Recorder recorder = new Recorder(Set.of("etc/os-release", "etc/fifo"));

        artifact(Set.of("proc"), ScanLimits.defaults().started()).walk(recorder);

        assertThat(recorder.kinds)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "etc", FileKind.DIRECTORY,
                        "etc/escape", FileKind.SYMLINK,
                        "etc/fifo", FileKind.OTHER,
                        "etc/os-release", FileKind.FILE,
                        "var", FileKind.DIRECTORY,
                        "var/lib", FileKind.DIRECTORY,
                        "var/lib/dpkg", FileKind.DIRECTORY,
                        "var/lib/dpkg/status", FileKind.FILE));
        // every directory comes before what it holds
        List<String> order = new ArrayList<>(recorder.kinds.keySet());
        assertThat(order.indexOf("var/lib")).isLessThan(order.indexOf("var/lib/dpkg"));
        assertThat(order.indexOf("etc")).isLessThan(order.indexOf("etc/os-release"));
        assertThat(recorder.targets).containsEntry("etc/escape", "/etc/shadow");
        // the FIFO is handed over empty, never opened; the link is not followed
        assertThat(recorder.contents)
                .containsExactly(Map.entry("etc/fifo", ""), Map.entry("etc/os-release", "ID=debian\n"));
        assertThat(recorder.problems).isEmpty();
    }

    @Test
    void shouldStopAtMaxEntriesAndSaySo() throws Exception {
        Recorder recorder = new Recorder(Set.of());

        artifact(Set.of(), ScanLimits.defaults().withMaxEntries(3).started()).walk(recorder);

        assertThat(recorder.kinds.size()).isLessThanOrEqualTo(3);
        assertThat(recorder.problems).singleElement().satisfies(p -> assertThat(p.reason())
                .contains("limit maxEntries")
                .startsWith("stopped reading"));
    }

    @Test
    void shouldStopAtMaxTotalBytes() throws Exception {
        Recorder recorder = new Recorder(Set.of("etc/os-release", "var/lib/dpkg/status"));

        artifact(Set.of("proc"), ScanLimits.defaults().withMaxTotalBytes(12).started())
                .walk(recorder);

        assertThat(recorder.problems).singleElement().satisfies(p -> assertThat(p.reason())
                .contains("limit maxTotalBytes"));
        assertThat(recorder.contents).doesNotContainKey("var/lib/dpkg/status");
    }

    private static final class Recorder implements LayerVisitor {
        final Set<String> toRead;
        final Map<String, FileKind> kinds = new LinkedHashMap<>();
        final Map<String, String> targets = new LinkedHashMap<>();
        final Map<String, String> contents = new LinkedHashMap<>();
        final List<Problem> problems = new ArrayList<>();

        Recorder(Set<String> toRead) {
            this.toRead = toRead;
        }

        @Override
        public void startLayer(Layer layer) {}

        @Override
        public void entry(RawEntry entry, InputStream content) throws java.io.IOException {
            kinds.put(entry.name(), entry.kind());
            if (entry.linkTarget() != null) {
                targets.put(entry.name(), entry.linkTarget());
            }
            if (toRead.contains(entry.name())) {
                contents.put(entry.name(), new String(content.readAllBytes(), StandardCharsets.UTF_8));
            }
        }

        @Override
        public void endLayer(Layer layer) {}

        @Override
        public void problem(Problem problem) {
            problems.add(problem);
        }
    }
}
