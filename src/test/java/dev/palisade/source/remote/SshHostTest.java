package dev.palisade.source.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.SourceException;
import dev.palisade.testing.LocalSshd;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against Debian's real sshd on a loopback port: host key verification, authentication and SFTP reads. */
class SshHostTest {
    static LocalSshd sshd;

    @BeforeAll
    static void start() throws Exception {
        sshd = LocalSshd.start();
    }

    @AfterAll
    static void stop() throws Exception {
        sshd.close();
    }

    private static SshDestination destination() {
        return SshDestination.parse(sshd.address());
    }

    private static SshSettings settings(Path knownHosts, boolean acceptNew) {
        return settings(List.of(sshd.clientKey()), null, knownHosts, acceptNew);
    }

    private static SshSettings settings(
            List<Path> keys, @Nullable String passphrase, Path knownHosts, boolean acceptNew) {
        return SshSettings.of(keys, passphrase, "the environment variable TEST_PASSPHRASE", knownHosts, acceptNew);
    }

    private static Path knownHosts(String name, String content) throws Exception {
        Path file = sshd.directory().resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void shouldReadFilesAndLinksThroughSftpConfinedLikeTheLocalTree() throws Exception {
        Path tree = sshd.directory().resolve("tree");
        Files.createDirectories(tree.resolve("real"));
        Files.writeString(tree.resolve("real/file"), "content\n");
        Files.createSymbolicLink(tree.resolve("link"), Path.of("real"));
        Files.createSymbolicLink(tree.resolve("out"), sshd.directory());
        Files.writeString(sshd.directory().resolve("outside"), "outside\n");
        LocalSshd.run("mkfifo", tree.resolve("fifo").toString());
        Path known = knownHosts("known_read", sshd.knownHostsLine() + "\n");

        try (SshHost host = SshHost.connect(destination(), settings(known, false))) {
            SftpFiles files = host.files(tree.toString());

            assertThat(files.children("").stream().map(FileEntry::path)).containsExactly("fifo", "link", "out", "real");
            FileEntry link = files.entry("link").orElseThrow();
            assertThat(link.kind()).isEqualTo(FileKind.SYMLINK);
            assertThat(link.linkTarget()).isEqualTo("real");
            assertThat(files.entry("fifo").orElseThrow().kind()).isEqualTo(FileKind.OTHER);
            FileEntry file = files.entry("real/file").orElseThrow();
            assertThat(file.size()).isEqualTo(8);
            try (InputStream in = files.open(file)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("content\n");
            }
            // a link inside the root is resolved there (as /proc/net is); one that leaves the root is not followed
            try (InputStream in = files.open(file.withPath("link/file"))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("content\n");
            }
            assertThatThrownBy(() -> files.open(file.withPath("out/outside")))
                    .hasMessageContaining("symbolic link that leaves");
            // the FIFO is never opened (it would block the server)
            assertThatThrownBy(() -> files.open(files.entry("fifo").orElseThrow()))
                    .hasMessageContaining("not a regular file");
            assertThat(files.entry("../../etc/passwd")).isEmpty();
            assertThat(files.children("missing")).isEmpty();
            assertThat(files.children("real/file")).isEmpty();
        }
    }

    @Test
    void shouldAcceptAHashedKnownHostsEntry() throws Exception {
        Path known = knownHosts("known_hashed", sshd.knownHostsLine() + "\n");
        LocalSshd.run("ssh-keygen", "-q", "-H", "-f", known.toString());
        assertThat(Files.readString(known)).startsWith("|1|").doesNotContain("127.0.0.1");

        try (SshHost host = SshHost.connect(destination(), settings(known, false))) {
            assertThat(host.files("/").entry("etc")).isPresent();
        }
    }

    @Test
    void shouldAlwaysRefuseAChangedHostKey() throws Exception {
        Path other = sshd.directory().resolve("other_host_key");
        LocalSshd.keygen(other, "ed25519", "");
        Path known = knownHosts(
                "known_changed",
                "[127.0.0.1]:" + sshd.port() + " " + Files.readString(other.resolveSibling("other_host_key.pub")));
        String before = Files.readString(known);

        for (boolean acceptNew : List.of(false, true)) {
            assertThatThrownBy(() -> SshHost.connect(destination(), settings(known, acceptNew)))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("host key has CHANGED")
                    .hasMessageContaining(known.toString());
        }
        assertThat(Files.readString(known)).isEqualTo(before);
    }

    @Test
    void shouldRefuseAnUnknownHostUnlessAskedThenRecordItsKey() throws Exception {
        Path known = sshd.directory().resolve("ssh-dir/known_new");

        assertThatThrownBy(() -> SshHost.connect(destination(), settings(known, false)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("host key is unknown")
                .hasMessageContaining("--accept-new-host-key");
        // where no option accepts a new key (the server), none is suggested
        assertThatThrownBy(() ->
                        SshHost.connect(destination(), settings(known, false).withoutFirstUseOption()))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("host key is unknown")
                .hasMessageContaining("ssh-keyscan")
                .hasMessageNotContaining("--accept-new-host-key")
                .hasMessageNotContaining("first use");
        assertThat(known).doesNotExist();

        try (SshHost host = SshHost.connect(destination(), settings(known, true))) {
            assertThat(host.files("/").entry("etc")).isPresent();
        }
        String hostKey = sshd.knownHostsLine().split(" ", 2)[1];
        assertThat(Files.readAllLines(known)).anySatisfy(line -> assertThat(line)
                .contains("127.0.0.1")
                .endsWith(hostKey.split(" ")[1])
                .contains(" ssh-ed25519 "));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(known.getParent())))
                .isEqualTo("rwx------");
        // now known: accepted without asking
        try (SshHost host = SshHost.connect(destination(), settings(known, false))) {
            assertThat(host.files("/").entry("etc")).isPresent();
        }
    }

    @Test
    void shouldSayWhenTheHostRefusesTheKey() throws Exception {
        Path stranger = sshd.directory().resolve("stranger_key");
        LocalSshd.keygen(stranger, "ed25519", "");
        Path known = knownHosts("known_auth", sshd.knownHostsLine() + "\n");

        assertThatThrownBy(() -> SshHost.connect(destination(), settings(List.of(stranger), null, known, false)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("authentication failed")
                .hasMessageContaining(stranger.toString());
    }

    @Test
    void shouldOpenAnEncryptedKeyWithItsPassphraseOnly() throws Exception {
        Path encrypted = sshd.directory().resolve("encrypted_key");
        LocalSshd.keygen(encrypted, "ed25519", "correct horse");
        Files.writeString(
                sshd.directory().resolve("authorized_keys"),
                Files.readString(encrypted.resolveSibling("encrypted_key.pub")),
                java.nio.file.StandardOpenOption.APPEND);
        Path known = knownHosts("known_passphrase", sshd.knownHostsLine() + "\n");

        assertThatThrownBy(() -> SshHost.connect(destination(), settings(List.of(encrypted), null, known, false)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("TEST_PASSPHRASE");
        assertThatThrownBy(() -> SshHost.connect(destination(), settings(List.of(encrypted), "wrong", known, false)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("TEST_PASSPHRASE")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong"));
        try (SshHost host =
                SshHost.connect(destination(), settings(List.of(encrypted), "correct horse", known, false))) {
            assertThat(host.files("/").entry("etc")).isPresent();
        }
    }

    @Test
    void shouldGiveUpOnAHostThatNeverAnswersWithinTheTimeout() throws Exception {
        Path known = knownHosts("known_silent", sshd.knownHostsLine() + "\n");
        SshSettings quick = new SshSettings(
                List.of(sshd.clientKey()),
                null,
                "TEST_PASSPHRASE",
                known,
                false,
                java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(2),
                null);
        try (java.net.ServerSocket silent =
                new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            SshDestination destination = new SshDestination("root", "127.0.0.1", silent.getLocalPort());
            long started = System.nanoTime();

            assertThatThrownBy(() -> SshHost.connect(destination, quick))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("did not complete an SSH handshake within 2s");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
                    .isLessThan(java.time.Duration.ofSeconds(15));
        }
    }

    @Test
    void shouldSayWhenNothingListens() throws Exception {
        Path known = knownHosts("known_closed", sshd.knownHostsLine() + "\n");
        int closed;
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }

        assertThatThrownBy(
                        () -> SshHost.connect(new SshDestination("root", "127.0.0.1", closed), settings(known, false)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("connection refused")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Exception", "Future"));
    }
}
