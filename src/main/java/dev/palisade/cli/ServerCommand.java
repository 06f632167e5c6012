package dev.palisade.cli;

import dev.palisade.scan.RegistryAccess;
import dev.palisade.server.InventoryService;
import dev.palisade.server.PalisadeServer;
import dev.palisade.server.ServerLog;
import dev.palisade.server.Storage;
import dev.palisade.server.Tokens;
import dev.palisade.source.image.ImageSources;
import dev.palisade.source.remote.SshSettings;
import dev.palisade.vulndb.sqlite.DatabaseUpdater;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code palisade server}: keeps submitted inventories and matches them again whenever the database changes. */
@Command(
        name = "server",
        footerHeading = "%nExamples:%n",
        footer = {
            "  palisade server --listen 0.0.0.0:8080 --data-dir /var/lib/palisade",
            "  palisade server --database postgresql://palisade@db.example.com/palisade"
        },
        mixinStandardHelpOptions = true,
        description =
                "Serve the Palisade API: store submitted SBOMs per application, match them, and match them again after "
                        + "each vulnerability database update.")
final class ServerCommand implements Callable<Integer> {
    static final String TOKENS_VARIABLE = "PALISADE_SERVER_TOKENS";
    static final String PASSWORD_VARIABLE = "PALISADE_DATABASE_PASSWORD";
    static final String TLS_PASSWORD_VARIABLE = "PALISADE_TLS_KEYSTORE_PASSWORD";

    private final Environment environment;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:8080",
            description = "Address and port to listen on (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Where the server keeps its state: server.sqlite (unless --database is given) and, on the "
                    + "first start, the admin token in DIR/admin-token (default: $XDG_DATA_HOME/palisade/server, "
                    + "else ~/.local/share/palisade/server).")
    Path dataDir;

    @Option(
            names = "--database",
            paramLabel = "URL",
            description = "Keep results in PostgreSQL instead of the embedded SQLite file: "
                    + "postgresql://USER[:PASSWORD]@HOST[:PORT]/NAME or jdbc:postgresql://... "
                    + "(the password may come from $" + PASSWORD_VARIABLE + " instead).")
    String database;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "Extra API tokens from configuration, one per line: NAME ROLE TOKEN, role admin, scanner or "
                    + "viewer (also read from $" + TOKENS_VARIABLE + " when set). Tokens made with "
                    + "POST /api/v1/tokens need no file.")
    Path tokenFile;

    @Option(
            names = "--rematch-threads",
            paramLabel = "N",
            description = "How many stored inventories are matched at once after a database update (default: the "
                    + "number of processors).")
    Integer rematchThreads;

    @Option(
            names = "--token-env",
            paramLabel = "VARIABLE",
            description = "Read the tokens from this environment variable instead (lines or ';'-separated entries).")
    String tokenVariable;

    @Option(
            names = "--max-upload-size",
            paramLabel = "BYTES",
            defaultValue = "32M",
            description = "Largest SBOM accepted (default: ${DEFAULT-VALUE}). Suffixes K, M, G.")
    String maxUploadSize;

    @Option(
            names = "--db-update-interval",
            paramLabel = "DURATION",
            defaultValue = "6h",
            description = "Update the vulnerability database this often and match every stored inventory again "
                    + "(default: ${DEFAULT-VALUE}; 'off' for only POST /api/v1/database/update).")
    String updateInterval;

    @Option(
            names = "--watch-poll",
            paramLabel = "DURATION",
            defaultValue = "30s",
            description = "How often watched images whose interval has passed are checked for new digests, and "
                    + "queued scans run (default: ${DEFAULT-VALUE}; 'off' to run none).")
    String watchPoll;

    @Option(
            names = "--ssh-key",
            paramLabel = "FILE",
            description = "The private key the server scans watched hosts with (POST /api/v1/watches with a host); "
                    + "an encrypted key is opened with $" + HostCommand.PASSPHRASE_VARIABLE + ". Needs "
                    + "--ssh-known-hosts. Without it the server watches no hosts.")
    @Nullable
    Path sshKey;

    @Option(
            names = "--ssh-known-hosts",
            paramLabel = "FILE",
            description = "The known hosts file the keys of watched hosts are checked against: a host whose key "
                    + "is not in it, or differs, is not scanned (the server never adds a key).")
    @Nullable
    Path sshKnownHosts;

    @Option(
            names = "--tls-keystore",
            paramLabel = "FILE",
            description = "Serve HTTPS with the key and certificate chain in this PKCS#12 (or JKS) key store; its "
                    + "password comes from $" + TLS_PASSWORD_VARIABLE + ". Without it the server speaks plain HTTP: "
                    + "keep it on 127.0.0.1 or behind a proxy that ends TLS.")
    Path tlsKeyStore;

    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            defaultValue = "auto",
            description = "How log lines on stderr are written: text, json (one object per line: time, level, "
                    + "message), or auto: text on a terminal, json otherwise (default: ${DEFAULT-VALUE}).")
    String logFormat;

    @Mixin
    DatabaseOptions databaseOptions;

    @Mixin
    RegistryOptions registry;

    ServerCommand(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        PalisadeServer.Config config;
        try {
            config = config();
        } catch (IllegalArgumentException | IOException e) {
            return fail(String.valueOf(e.getMessage()));
        }
        PalisadeServer server;
        try {
            server = PalisadeServer.start(config);
        } catch (IOException | RuntimeException e) {
            return fail(String.valueOf(e.getMessage()));
        }
        environment
                .err()
                .println("palisade server: listening on " + (config.tls() == null ? "http" : "https") + "://"
                        + config.host() + ":" + server.port() + ", results in "
                        + config.storage().describe());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                server.close();
                            } catch (IOException e) {
                                environment.err().println("palisade server: " + e.getMessage());
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "palisade-server-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return PalisadeCommand.EXIT_OK;
    }

    PalisadeServer.Config config() throws IOException {
        int colon = listen.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            port = -1;
        }
        if (colon <= 0 || port < 0 || port > 65535) {
            throw new IllegalArgumentException(
                    "--listen: expected HOST:PORT, e.g. 127.0.0.1:8080, not '" + listen + "'");
        }
        String host = listen.substring(0, colon).replace("[", "").replace("]", "");
        Path data = dataDir != null ? dataDir : defaultDataDir();
        Storage storage;
        if (database != null) {
            Jdbc jdbc = jdbc(database, environment.variables().get(PASSWORD_VARIABLE));
            storage = new Storage.Postgresql(jdbc.url(), jdbc.user(), jdbc.password());
        } else {
            storage = new Storage.Sqlite(data.resolve("server.sqlite"));
        }
        int threads =
                rematchThreads != null ? rematchThreads : Runtime.getRuntime().availableProcessors();
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("--rematch-threads: a number from 1 to 256");
        }
        Duration interval = updateInterval.equalsIgnoreCase("off") || !databaseOptions.updatesAllowed()
                ? null
                : ScanCommand.parseDuration(updateInterval, "--db-update-interval");
        VulnerabilityDatabases databases = new VulnerabilityDatabases(databaseOptions, environment, message -> {});
        InventoryService.DatabaseUpdates updates = () -> {
            if (!databaseOptions.updatesAllowed()) {
                throw new IOException("updates are off (--offline/--skip-db-update)");
            }
            DatabaseUpdater.Result result = databases.update(
                    databases.updater(),
                    databaseOptions.mirror(environment.variables()),
                    new DatabaseUpdater.Request(false, false));
            databases.summarize(result, true);
            return new InventoryService.DatabaseUpdate(result.rebuilt(), result.changes());
        };
        return new PalisadeServer.Config(
                host,
                port,
                storage,
                data,
                tokens(),
                ScanCommand.parseBytes(maxUploadSize, "--max-upload-size"),
                databases.updater().databaseFile(),
                updates,
                interval,
                environment.clock(),
                PalisadeCommand.version(),
                threads,
                new PalisadeServer.ImageScanning(
                        databaseOptions.offline
                                ? RegistryAccess.offline()
                                : reference -> registry.client(reference, environment),
                        ImageSources.Platform.linux(System.getProperty("os.arch", "amd64")),
                        watchPoll.equalsIgnoreCase("off") ? null : ScanCommand.parseDuration(watchPoll, "--watch-poll"),
                        hostAccess()),
                tls(),
                logger());
    }

    /** The key and known hosts watched hosts are reached with, or null without --ssh-key. */
    private @Nullable SshSettings hostAccess() {
        if (sshKey == null) {
            if (sshKnownHosts != null) {
                throw new IllegalArgumentException("--ssh-known-hosts needs --ssh-key");
            }
            return null;
        }
        if (sshKnownHosts == null) {
            throw new IllegalArgumentException(
                    "--ssh-key needs --ssh-known-hosts: the server checks every host's key and never adds one");
        }
        if (!Files.isRegularFile(sshKey)) {
            throw new IllegalArgumentException("--ssh-key: " + sshKey + ": no such file");
        }
        if (!Files.isRegularFile(sshKnownHosts)) {
            throw new IllegalArgumentException("--ssh-known-hosts: " + sshKnownHosts + ": no such file");
        }
        return SshSettings.of(
                        List.of(sshKey),
                        environment.variables().get(HostCommand.PASSPHRASE_VARIABLE),
                        "the environment variable " + HostCommand.PASSPHRASE_VARIABLE,
                        sshKnownHosts,
                        false)
                .withoutFirstUseOption();
    }

    private Tokens tokens() throws IOException {
        if (tokenFile != null) {
            if (!Files.isRegularFile(tokenFile)) {
                throw new IOException("--token-file: " + tokenFile + ": no such file");
            }
            warnIfShared(tokenFile);
            byte[] text = ScanCommand.readPolicyFile(tokenFile, 1024 * 1024);
            return Tokens.parse(new String(text, StandardCharsets.UTF_8), tokenFile.toString());
        }
        String variable = tokenVariable != null ? tokenVariable : TOKENS_VARIABLE;
        String text = environment.variables().get(variable);
        if (text == null) {
            if (tokenVariable != null) {
                throw new IllegalArgumentException("--token-env: $" + variable + " is not set");
            }
            return Tokens.none();
        }
        return Tokens.parse(text, "$" + variable);
    }

    ServerLog logger() {
        boolean json;
        switch (logFormat.toLowerCase(java.util.Locale.ROOT)) {
            case "json":
                json = true;
                break;
            case "text":
                json = false;
                break;
            case "auto":
                json = !environment.interactive();
                break;
            default:
                throw new IllegalArgumentException("--log-format: use text, json or auto");
        }
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        return (level, message) -> {
            Instant now = environment.clock().instant();
            if (!json) {
                environment
                        .err()
                        .println(now + " palisade server: "
                                + (level == ServerLog.Level.INFO
                                        ? ""
                                        : level.name().toLowerCase(java.util.Locale.ROOT) + ": ")
                                + message);
                return;
            }
            try {
                environment
                        .err()
                        .println(mapper.writeValueAsString(mapper.createObjectNode()
                                .put("time", now.toString())
                                .put("level", level.name().toLowerCase(java.util.Locale.ROOT))
                                .put("logger", "palisade.server")
                                .put("message", message)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                environment.err().println(now + " palisade server: " + message);
            }
        };
    }

    private PalisadeServer.@Nullable Tls tls() throws IOException {
        if (tlsKeyStore == null) {
            return null;
        }
        if (!Files.isRegularFile(tlsKeyStore)) {
            throw new IOException("--tls-keystore: " + tlsKeyStore + ": no such file");
        }
        String password = environment.variables().get(TLS_PASSWORD_VARIABLE);
        if (password == null) {
            throw new IllegalArgumentException(
                    "--tls-keystore: set $" + TLS_PASSWORD_VARIABLE + " to the key store's password");
        }
        warnIfShared(tlsKeyStore);
        return new PalisadeServer.Tls(tlsKeyStore, password);
    }

    private Path defaultDataDir() {
        String xdg = environment.variables().get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("palisade").resolve("server");
    }

    private void warnIfShared(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                environment
                        .err()
                        .println("palisade server: warning: " + file + " can be read by other users (chmod 600 it)");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }

    record Jdbc(String url, @Nullable String user, @Nullable String password) {}

    /** A {@code postgresql://} URL as JDBC's URL, user and password; a {@code jdbc:} URL is taken as it is. */
    static Jdbc jdbc(String url, @Nullable String passwordFromEnvironment) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new Jdbc(url, null, passwordFromEnvironment);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null
                || !"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())
                || uri.getHost() == null
                || uri.getPath() == null
                || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("--database: expected postgresql://USER[:PASSWORD]@HOST[:PORT]/NAME");
        }
        String user = null;
        String password = passwordFromEnvironment;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            if (parts.length == 2) {
                password = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
            }
        }
        String jdbcUrl = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new Jdbc(jdbcUrl, user, password);
    }

    private int fail(String message) {
        environment.err().println("palisade: error: " + message);
        return PalisadeCommand.EXIT_UNREADABLE;
    }
}
