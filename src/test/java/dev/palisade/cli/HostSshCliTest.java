package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.testing.Cli;
import dev.palisade.testing.LocalSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code palisade host ssh://...} refusals, against Debian's real sshd: each ends before anything is scanned. */
class HostSshCliTest {
    static LocalSshd sshd;

    @BeforeAll
    static void start() throws Exception {
        sshd = LocalSshd.start();
    }

    @AfterAll
    static void stop() throws Exception {
        sshd.close();
    }

    @Test
    void shouldRefuseAWrongHostKeyWithExitCode2() throws Exception {
        Path other = sshd.directory().resolve("impostor");
        LocalSshd.keygen(other, "ed25519", "");
        Path known = sshd.directory().resolve("known_wrong");
        Files.writeString(
                known,
                "[127.0.0.1]:" + sshd.port() + " "
                        + Files.readString(sshd.directory().resolve("impostor.pub")));

        Cli.Result result = Cli.run(
                "host",
                sshd.address(),
                "-i",
                sshd.clientKey().toString(),
                "--known-hosts",
                known.toString(),
                "--accept-new-host-key",
                "--scanners",
                "none");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("the host key has CHANGED").contains(known.toString());
    }

    @Test
    void shouldRefuseAnUnknownHostAndLookForKeysAndKnownHostsInHome() throws Exception {
        Path home = sshd.directory().resolve("home");
        Files.createDirectories(home.resolve(".ssh"));
        Files.copy(sshd.clientKey(), home.resolve(".ssh/id_ed25519"));

        Cli.Result result = Cli.runWith(Map.of("HOME", home.toString()), "host", sshd.address(), "--scanners", "none");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err())
                .contains("the host key is unknown")
                .contains(home.resolve(".ssh/known_hosts").toString())
                .contains("--accept-new-host-key");
    }

    @Test
    void shouldNeverTakeAPasswordOnTheCommandLine() {
        Cli.Result result = Cli.run("host", "ssh://root:hunter2@127.0.0.1:" + sshd.port(), "--scanners", "none");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("passwords are never taken").doesNotContain("hunter2");
    }

    @Test
    void shouldAskForAnAddressWhenSshOptionsAreGivenAlone() {
        Cli.Result result = Cli.run("host", "--accept-new-host-key", "--scanners", "none");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("need an ssh://USER@HOST address");
    }
}
