package dev.palisade.source.remote;

import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.Layer;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.password.PasswordIdentityProvider;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.jspecify.annotations.Nullable;

/**
 * One authenticated SSH connection to a host, with its SFTP channel. Only SFTP requests that read
 * are sent (stat, lstat, readlink, realpath, opendir/readdir, open for reading): nothing runs on the
 * host beyond its SFTP server. The host key is checked against a known hosts file (hashed entries
 * included); a changed key is always refused, an unknown one only accepted when asked, and then
 * recorded in that file. Only public key authentication is offered.
 */
public final class SshHost implements Closeable {
    private static final long MAX_KEY_FILE_BYTES = 1024 * 1024;

    private final SshDestination destination;
    private final SshClient client;
    private final ClientSession session;
    private final SftpClient sftp;

    private SshHost(SshDestination destination, SshClient client, ClientSession session, SftpClient sftp) {
        this.destination = destination;
        this.client = client;
        this.session = session;
        this.sftp = sftp;
    }

    /** Connects, checks the host key, authenticates and opens SFTP; throws with a message a user can act on. */
    public static SshHost connect(SshDestination destination, SshSettings settings) throws SourceException {
        List<KeyPair> keys = loadKeys(settings);
        HostKeyCheck hostKeys = new HostKeyCheck(
                destination, settings.knownHosts(), settings.acceptNewHostKey(), settings.firstUseOption());
        if (settings.acceptNewHostKey()) {
            createParent(settings.knownHosts());
        }
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(hostKeys);
        // nothing from ~/.ssh/config or the default identities: only what the command line names
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setPasswordIdentityProvider(PasswordIdentityProvider.EMPTY_PASSWORDS_PROVIDER);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, settings.connectTimeout());
        CoreModuleProperties.AUTH_TIMEOUT.set(client, settings.authTimeout());
        CoreModuleProperties.IDLE_TIMEOUT.set(client, settings.ioTimeout());
        CoreModuleProperties.NIO2_READ_TIMEOUT.set(client, settings.ioTimeout());
        CoreModuleProperties.CHANNEL_OPEN_TIMEOUT.set(client, settings.ioTimeout());
        SftpModuleProperties.SFTP_CHANNEL_OPEN_TIMEOUT.set(client, settings.ioTimeout());
        client.start();
        ClientSession session = null;
        try {
            session = client.connect(destination.user(), destination.host(), destination.port())
                    .verify(settings.connectTimeout())
                    .getSession();
            for (KeyPair key : keys) {
                session.addPublicKeyIdentity(key);
            }
            session.auth().verify(settings.authTimeout());
            SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
            return new SshHost(destination, client, session, sftp);
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            client.stop();
            String refusal = hostKeys.refusal();
            if (refusal != null) {
                throw new SourceException(destination + ": " + refusal, e);
            }
            if (hostKeys.accepted() && session != null && !session.isAuthenticated()) {
                throw new SourceException(
                        destination + ": authentication failed: the host accepted none of the keys offered for user '"
                                + destination.user() + "' (" + settings.keyFiles() + ")",
                        e);
            }
            if (session != null && !hostKeys.accepted()) {
                throw new SourceException(
                        destination + ": the host did not complete an SSH handshake within "
                                + settings.authTimeout().toSeconds() + "s (is an SSH server listening on that port?)",
                        e);
            }
            throw new SourceException(destination + ": cannot connect: " + connectionProblem(e, settings), e);
        }
    }

    /** The remote file system from {@code root} (an absolute remote path), read through SFTP. */
    public SftpFiles files(String root) {
        return new SftpFiles(sftp, root);
    }

    /** The remote root file system as an artifact, {@code skipDirectories} (relative to /) left out. */
    public RemoteRootArtifact rootArtifact(Set<String> skipDirectories, ScanLimits limits) {
        ArtifactDescription description = new ArtifactDescription(
                destination.toString(), ArtifactKind.ROOTFS, DeploymentModel.VM, List.of(Layer.single()), null);
        return new RemoteRootArtifact(files("/"), description, skipDirectories, limits);
    }

    @Override
    public void close() {
        try {
            sftp.close();
        } catch (IOException e) {
            // the session goes below anyway
        }
        closeQuietly(session);
        client.stop();
    }

    private static void closeQuietly(@Nullable ClientSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (IOException e) {
                // closing: nothing left to read from it
            }
        }
    }

    private static List<KeyPair> loadKeys(SshSettings settings) throws SourceException {
        if (settings.keyFiles().isEmpty()) {
            throw new SourceException("no private key to offer: pass -i KEYFILE");
        }
        FilePasswordProvider passphrase = new Passphrase(settings.passphrase(), settings.passphraseSource());
        List<KeyPair> keys = new ArrayList<>();
        for (Path file : settings.keyFiles()) {
            try {
                if (!Files.exists(file)) {
                    throw new SourceException(file + ": no such private key file");
                }
                if (!Files.isRegularFile(file) || Files.size(file) > MAX_KEY_FILE_BYTES) {
                    throw new SourceException(file + ": not a private key file");
                }
                byte[] bytes;
                try (InputStream in = Files.newInputStream(file)) {
                    bytes = LimitedInputStream.readAll(in, MAX_KEY_FILE_BYTES, file.toString());
                }
                Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(
                        null,
                        NamedResource.ofName(file.toString()),
                        new java.io.ByteArrayInputStream(bytes),
                        passphrase);
                if (loaded == null) {
                    throw new SourceException(file + ": holds no private key Palisade can read");
                }
                loaded.forEach(keys::add);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                String hint = settings.passphrase() == null
                        ? " (if it is encrypted, give its passphrase in " + settings.passphraseSource() + ")"
                        : " (is the passphrase in " + settings.passphraseSource() + " right?)";
                throw new SourceException(file + ": the private key cannot be read: " + describe(e) + hint, e);
            }
        }
        return keys;
    }

    private static void createParent(Path knownHosts) throws SourceException {
        Path parent = knownHosts.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            try {
                // like ~/.ssh as ssh makes it: the owner's only (where the file system has permissions)
                if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectories(
                            parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new SourceException(parent + ": cannot be created for the known hosts file: " + describe(e), e);
            }
        }
    }

    /** What went wrong while connecting, in the user's terms: the innermost cause, without the library's words. */
    private static String connectionProblem(Throwable e, SshSettings settings) {
        Throwable innermost = e;
        for (int depth = 0; depth < 20; depth++) {
            if (innermost instanceof java.nio.channels.UnresolvedAddressException
                    || innermost instanceof java.net.UnknownHostException) {
                return "the host name does not resolve";
            }
            if (innermost instanceof java.net.ConnectException) {
                return "connection refused (is sshd listening on that port?)";
            }
            if (innermost instanceof java.net.SocketTimeoutException
                    || innermost instanceof java.util.concurrent.TimeoutException
                    || innermost instanceof java.nio.channels.InterruptedByTimeoutException) {
                return "no answer within " + settings.connectTimeout().toSeconds() + "s";
            }
            Throwable next = innermost.getCause();
            if (next == null || next == innermost) {
                break;
            }
            innermost = next;
        }
        String message = innermost.getMessage();
        if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("timeout")) {
            return "no answer in time (" + message + ")";
        }
        return describe(innermost);
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        for (int depth = 0; cause.getMessage() == null && depth < 10; depth++) {
            Throwable next = cause.getCause();
            if (next == null || next == cause) {
                break;
            }
            cause = next;
        }
        String message = cause.getMessage();
        return message == null ? "failed" : message;
    }

    /** The passphrase of encrypted keys; without one, an encrypted key fails with where to give it. */
    private record Passphrase(@Nullable String value, String source) implements FilePasswordProvider {
        @Override
        public String getPassword(SessionContext session, NamedResource resource, int retryIndex) throws IOException {
            if (value == null) {
                throw new IOException("the key is encrypted and no passphrase was given in " + source);
            }
            return value;
        }

        @Override
        public String toString() {
            return "Passphrase[" + source + "]";
        }
    }

    /**
     * The known hosts check, remembering why a key was refused so that the user is told: unknown,
     * changed, revoked, or the file could not be updated.
     */
    private static final class HostKeyCheck extends KnownHostsServerKeyVerifier {
        private final SshDestination destination;
        private final Path file;
        private final boolean acceptNew;
        private final @Nullable String firstUseOption;
        private volatile @Nullable String refusal;
        private volatile boolean accepted;

        HostKeyCheck(SshDestination destination, Path file, boolean acceptNew, @Nullable String firstUseOption) {
            super(acceptNew ? AcceptAllServerKeyVerifier.INSTANCE : RejectAllServerKeyVerifier.INSTANCE, file);
            this.destination = destination;
            this.file = file;
            this.acceptNew = acceptNew;
            this.firstUseOption = firstUseOption;
        }

        @Nullable
        String refusal() {
            return refusal;
        }

        boolean accepted() {
            return accepted;
        }

        @Override
        public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
            boolean ok = super.verifyServerKey(session, remote, key) && refusal == null;
            accepted = ok;
            if (!ok && refusal == null) {
                refusal = "the host key " + describe(key) + " was refused (known hosts file " + file + ")";
            }
            return ok;
        }

        @Override
        protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
            if (!acceptNew) {
                refusal = "the host key is unknown: " + describe(key) + " is not in " + file
                        + "; check the fingerprint with the host's administrator, then add it (ssh-keyscan -p "
                        + destination.port() + " " + destination.host() + " >> " + file + ")"
                        + (firstUseOption == null
                                ? ""
                                : ", or pass " + firstUseOption + " to trust it on this first use");
                return false;
            }
            return super.acceptUnknownHostKey(session, remote, key);
        }

        @Override
        protected void handleKnownHostsFileUpdateFailure(
                ClientSession session,
                SocketAddress remote,
                PublicKey key,
                Path path,
                java.util.Collection<HostEntryPair> known,
                Throwable reason) {
            refusal = "the new host key " + describe(key) + " cannot be recorded in " + path + ": "
                    + SshHost.describe(reason);
        }

        @Override
        public boolean acceptModifiedServerKey(
                ClientSession session,
                SocketAddress remote,
                KnownHostEntry entry,
                PublicKey expected,
                PublicKey actual) {
            refusal = "REFUSED: the host key has CHANGED: the host offers " + describe(actual) + " but " + file
                    + " holds " + describe(expected) + " for it. Someone may be intercepting the connection, or the"
                    + " host was reinstalled; find out which before you remove the old entry (ssh-keygen -R HOST -f "
                    + file + ")";
            return false;
        }

        @Override
        protected void handleRevokedKey(ClientSession session, SocketAddress remote, PublicKey key) {
            refusal = "REFUSED: the host key " + describe(key) + " is marked @revoked in " + file;
        }

        private static String describe(PublicKey key) {
            return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
        }
    }
}
