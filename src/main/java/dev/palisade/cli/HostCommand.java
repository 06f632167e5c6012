package dev.palisade.cli;

import dev.palisade.scan.ScanTarget;
import dev.palisade.source.SourceException;
import dev.palisade.source.remote.SshDestination;
import dev.palisade.source.remote.SshSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "host",
        footerHeading = "%nExamples:%n",
        footer = {
            "  palisade host",
            "  palisade host ssh://admin@web1.example.com -i ~/.ssh/id_ed25519",
            "  palisade host --scanners vuln --severity CRITICAL"
        },
        mixinStandardHelpOptions = true,
        description = {
            "The machine Palisade runs on: its root file system (as rootfs /), and the sockets it listens on "
                    + "with the processes that hold them.",
            "With ssh://USER@HOST[:PORT], the same for a remote machine, read over SFTP without installing or running "
                    + "anything there. The host key must be in ~/.ssh/known_hosts (or --known-hosts FILE); a changed key "
                    + "is always refused. An encrypted key's passphrase is read from " + HostCommand.PASSPHRASE_VARIABLE
                    + "."
        })
final class HostCommand extends MachineScanCommand {
    static final String PASSPHRASE_VARIABLE = "PALISADE_SSH_PASSPHRASE";
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "ssh://USER@HOST[:PORT]",
            description = "A remote host to scan over SSH (default: this machine).")
    @Nullable
    String remote;

    @Option(
            names = "-i",
            paramLabel = "KEYFILE",
            description = "Private key to authenticate with, repeatable (default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa "
                    + "that exist).")
    List<Path> keyFiles = new ArrayList<>();

    @Option(
            names = "--known-hosts",
            paramLabel = "FILE",
            description = "Known hosts file the host key is checked against (default: ~/.ssh/known_hosts).")
    @Nullable
    Path knownHosts;

    @Option(
            names = "--accept-new-host-key",
            description = "Trust the key of a host not yet in the known hosts file, and add it there (like ssh's "
                    + "StrictHostKeyChecking=accept-new). A changed key is still refused.")
    boolean acceptNewHostKey;

    @Option(names = "--root", hidden = true, defaultValue = "/", description = "The root file system (for tests).")
    Path root;

    @Option(names = "--proc", hidden = true, defaultValue = "/proc", description = "The proc file system (for tests).")
    Path proc;

    HostCommand(Environment environment) {
        super(environment);
    }

    @Override
    ScanTarget target() throws SourceException {
        if (remote == null) {
            if (!keyFiles.isEmpty() || knownHosts != null || acceptNewHostKey) {
                throw new IllegalArgumentException(
                        "-i, --known-hosts and --accept-new-host-key need an ssh://USER@HOST address");
            }
            return new ScanTarget.LiveHost(root, proc, literalSkipDirs());
        }
        SshDestination destination = SshDestination.parse(remote);
        Path ssh = home().resolve(".ssh");
        List<Path> keys = keyFiles;
        if (keys.isEmpty()) {
            keys = defaultKeys(ssh);
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("no private key in " + ssh + " (" + String.join(", ", DEFAULT_KEYS)
                        + "): name one with -i KEYFILE");
            }
        }
        SshSettings settings = SshSettings.of(
                keys,
                environment.variables().get(PASSPHRASE_VARIABLE),
                "the environment variable " + PASSPHRASE_VARIABLE,
                knownHosts == null ? ssh.resolve("known_hosts") : knownHosts,
                acceptNewHostKey);
        return new ScanTarget.RemoteHost(destination, settings, literalSkipDirs());
    }

    /** The default identities of OpenSSH that exist in {@code ssh}. */
    static List<Path> defaultKeys(Path ssh) {
        return DEFAULT_KEYS.stream()
                .map(ssh::resolve)
                .filter(Files::isRegularFile)
                .toList();
    }

    private Path home() {
        String home = environment.variables().get("HOME");
        return Path.of(home == null || home.isEmpty() ? System.getProperty("user.home") : home);
    }
}
