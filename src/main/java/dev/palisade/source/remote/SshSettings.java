package dev.palisade.source.remote;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to reach a host over SSH: the private keys to offer, the known hosts file the host key is
 * checked against, whether an unknown host's key may be accepted (and added, like OpenSSH's
 * {@code StrictHostKeyChecking=accept-new}), and the time allowed for each step.
 *
 * @param keyFiles private keys offered in this order; encrypted ones are opened with {@code passphrase}
 * @param passphrase the keys' passphrase, or null; never shown by {@link #toString()}
 * @param passphraseSource where a passphrase comes from, for messages (an environment variable's name)
 * @param ioTimeout longest wait for any answer of the host once connected
 * @param firstUseOption the option that accepts a new host key, named in the refusal of an unknown
 *     one; null where there is none (the server never adds a key)
 */
public record SshSettings(
        List<Path> keyFiles,
        @Nullable String passphrase,
        String passphraseSource,
        Path knownHosts,
        boolean acceptNewHostKey,
        Duration connectTimeout,
        Duration authTimeout,
        Duration ioTimeout,
        @Nullable String firstUseOption) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IO_TIMEOUT = Duration.ofMinutes(2);

    public SshSettings {
        keyFiles = List.copyOf(keyFiles);
        Objects.requireNonNull(passphraseSource, "passphraseSource");
        Objects.requireNonNull(knownHosts, "knownHosts");
        for (Duration d : List.of(connectTimeout, authTimeout, ioTimeout)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + d);
            }
        }
    }

    /** The default timeouts. */
    public static SshSettings of(
            List<Path> keyFiles,
            @Nullable String passphrase,
            String passphraseSource,
            Path knownHosts,
            boolean acceptNewHostKey) {
        return new SshSettings(
                keyFiles,
                passphrase,
                passphraseSource,
                knownHosts,
                acceptNewHostKey,
                DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_AUTH_TIMEOUT,
                DEFAULT_IO_TIMEOUT,
                "--accept-new-host-key");
    }

    /** The same settings where no option accepts a new host key. */
    public SshSettings withoutFirstUseOption() {
        return new SshSettings(
                keyFiles,
                passphrase,
                passphraseSource,
                knownHosts,
                acceptNewHostKey,
                connectTimeout,
                authTimeout,
                ioTimeout,
                null);
    }

    @Override
    public String toString() {
        return "SshSettings[keyFiles=" + keyFiles + ", passphrase=" + (passphrase == null ? "none" : "given")
                + ", knownHosts=" + knownHosts + ", acceptNewHostKey=" + acceptNewHostKey + "]";
    }
}
