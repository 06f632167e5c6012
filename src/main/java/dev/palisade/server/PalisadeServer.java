package dev.palisade.server;

import com.zaxxer.hikari.HikariDataSource;
import dev.palisade.assess.ModelData;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.scan.RegistryAccess;
import dev.palisade.scan.ScanPipeline;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.image.ImageSources;
import dev.palisade.source.remote.SshSettings;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code palisade server}: the HTTP API over SQLite or PostgreSQL storage, with the vulnerability database kept
 * open, updated on a schedule, and every stored inventory matched again after each update.
 */
public final class PalisadeServer implements AutoCloseable {
    private final Javalin http;
    private final HikariDataSource pool;
    private final ServerDatabase database;
    private final @Nullable ScheduledExecutorService scheduler;
    private final InventoryService service;
    private final ImageScans imageScans;
    private final WebhookDispatcher dispatcher;
    private final Notifier notifier;

    /**
     * How to run: where to listen and store, which tokens to accept, where the vulnerability database
     * file is and how it is updated.
     *
     * @param host the address to listen on ({@code 127.0.0.1} unless the server is meant to be reached from elsewhere)
     * @param port 0 for any free port
     * @param storage where results are kept: SQLite in the data directory, or PostgreSQL
     * @param dataDirectory where the first admin token is written ({@code admin-token}, mode 0600)
     * @param tokens tokens from the configuration, beside those the server stores (may be none)
     * @param databaseFile the vulnerability database ({@code vulndb.sqlite} in the cache directory)
     * @param updateInterval how often the vulnerability database is updated, or null for only on demand
     * @param rematchThreads how many inventories are matched at once after an update
     * @param imageScanning how the server scans watched images
     * @param tls the key store to serve HTTPS with, or null for plain HTTP (behind a proxy that ends TLS)
     */
    public record Config(
            String host,
            int port,
            Storage storage,
            Path dataDirectory,
            Tokens tokens,
            long maxUploadBytes,
            Path databaseFile,
            InventoryService.DatabaseUpdates updates,
            @Nullable Duration updateInterval,
            Clock clock,
            String toolVersion,
            int rematchThreads,
            ImageScanning imageScanning,
            @Nullable Tls tls,
            ServerLog log) {
        public Config {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(storage, "storage");
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            Objects.requireNonNull(tokens, "tokens");
            if (maxUploadBytes <= 0) {
                throw new IllegalArgumentException("the upload limit must be positive");
            }
        }
    }

    /**
     * How the server scans the images it watches.
     *
     * @param registries how it reaches their registries (credentials, TLS)
     * @param platform the platform picked from a multi-platform image
     * @param poll how often due watches are checked and queued scans run, or null for never
     */
    public record ImageScanning(
            RegistryAccess registries,
            ImageSources.Platform platform,
            @Nullable Duration poll,
            @Nullable SshSettings hostAccess) {
        /**
         * @param hostAccess the key and known hosts the server reaches watched hosts with, or null when it
         *     watches no hosts; an unknown host key is never accepted
         */
        public ImageScanning {
            if (hostAccess != null && hostAccess.acceptNewHostKey()) {
                throw new IllegalArgumentException("the server never accepts a host key it does not know");
            }
        }

        /** Images only: no key to reach hosts with. */
        public ImageScanning(RegistryAccess registries, ImageSources.Platform platform, @Nullable Duration poll) {
            this(registries, platform, poll, null);
        }

        /** No image scans: for a server that only takes uploads. */
        public static ImageScanning off() {
            return new ImageScanning(RegistryAccess.offline(), ImageSources.Platform.linux("amd64"), null);
        }
    }

    /** HTTPS: a PKCS#12 (or JKS) key store holding the server's key and certificate chain. */
    public record Tls(Path keyStore, String password) {
        public Tls {
            Objects.requireNonNull(keyStore, "keyStore");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Tls[" + keyStore + "]"; // never the password
        }
    }

    private PalisadeServer(
            Javalin http,
            HikariDataSource pool,
            ServerDatabase database,
            @Nullable ScheduledExecutorService scheduler,
            InventoryService service,
            ImageScans imageScans,
            WebhookDispatcher dispatcher,
            Notifier notifier) {
        this.http = http;
        this.pool = pool;
        this.database = database;
        this.scheduler = scheduler;
        this.service = service;
        this.imageScans = imageScans;
        this.dispatcher = dispatcher;
        this.notifier = notifier;
    }

    /** Checks patch deadlines now (the scheduler does every hour). */
    int announceOverdue() throws SQLException {
        return notifier.announceOverdue();
    }

    /** This server, as the worker that holds a job: host, process id, and a random part for servers in one process. */
    private static String workerName() {
        return hostName() + ":" + ProcessHandle.current().pid() + ":"
                + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** A worker of this machine whose process is gone: its jobs need not wait for their leases. */
    static boolean deadHere(String worker) {
        String[] parts = worker.split(":");
        if (parts.length != 3 || !parts[0].equals(hostName())) {
            return false;
        }
        try {
            long pid = Long.parseLong(parts[1]);
            return pid != ProcessHandle.current().pid()
                    && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Migrates the storage, builds the vulnerability database if there is none yet, and starts listening. */
    public static PalisadeServer start(Config config) throws IOException {
        Files.createDirectories(config.dataDirectory());
        HikariDataSource pool = config.storage().open();
        ServerDatabase database = new ServerDatabase(config.databaseFile());
        ImageScans imageScans = null;
        WebhookDispatcher dispatcher = null;
        try {
            ServerStore store = new ServerStore(pool, config.storage().dialect());
            TokenStore tokenStore = new TokenStore(pool, config.clock());
            AuditLog audit = new AuditLog(pool, config.clock());
            firstAdmin(config, tokenStore, audit);
            if (!Files.isRegularFile(config.databaseFile())) {
                config.log().info("no vulnerability database yet: building it");
                config.updates().update();
            }
            database.store(); // fail now, not on the first upload, when the file cannot be opened
            CheckCatalog checks = CheckCatalog.load();
            ServerMetrics metrics = new ServerMetrics();
            WebhookStore webhookStore = new WebhookStore(pool, config.clock(), config.log());
            dispatcher = new WebhookDispatcher(
                    WebhookDispatcher.Settings.defaults(),
                    attempt -> {
                        webhookStore.record(attempt);
                        metrics.webhook(attempt.outcome().name().toLowerCase(java.util.Locale.ROOT));
                    },
                    config.clock(),
                    config.log()::warn);
            Notifier notifier = new Notifier(webhookStore, dispatcher, store, metrics, config.clock(), config.log());
            InventoryService service = new InventoryService(
                    matchingWith -> new ScanPipeline(
                            config.clock(),
                            message -> {},
                            null,
                            checks,
                            matchingWith,
                            config.imageScanning().registries(),
                            config.toolVersion()),
                    database,
                    store,
                    config.updates(),
                    config.clock(),
                    config.toolVersion(),
                    ScanLimits.defaults().withMaxFileBytes(config.maxUploadBytes()),
                    config.log(),
                    notifier,
                    config.rematchThreads(),
                    config.imageScanning().platform());
            JobQueue jobs = new JobQueue(pool, config.clock());
            int recovered = jobs.requeueDead(PalisadeServer::deadHere);
            if (recovered > 0) {
                config.log().info(recovered + " scan job(s) of a server that stopped mid-scan put back in the queue");
            }
            WatchStore watches = new WatchStore(pool, config.clock());
            imageScans = new ImageScans(
                    metrics,
                    watches,
                    jobs,
                    service,
                    config.imageScanning().registries(),
                    config.imageScanning().hostAccess(),
                    notifier,
                    config.log(),
                    workerName(),
                    Duration.ofMinutes(10));
            Api api = new Api(
                    service,
                    store,
                    config.tokens(),
                    tokenStore,
                    audit,
                    new Api.Scans(watches, jobs, imageScans),
                    webhookStore,
                    new SuppressionStore(pool, config.clock()),
                    gauges(metrics, config, jobs, store, service),
                    new StoredPortfolio(store, service, ModelData.load(), config.clock(), metrics::assessmentComputed),
                    config.maxUploadBytes(),
                    config.log());
            Javalin http = Javalin.create(javalin -> {
                api.configure(javalin);
                javalin.jetty.host = config.host();
                javalin.jetty.port = config.port();
                Tls tls = config.tls();
                if (tls != null) {
                    javalin.jetty.addConnector((server, httpConfiguration) ->
                            httpsConnector(server, httpConfiguration, config.host(), config.port(), tls));
                }
            });
            try {
                http.start();
            } catch (RuntimeException e) {
                throw new IOException(
                        "cannot listen on " + config.host() + ":" + config.port() + ": " + rootMessage(e), e);
            }
            Duration poll = config.imageScanning().poll();
            if (poll != null) {
                imageScans.start(poll);
            }
            rematchAfterUpgrade(store, service, audit, config);
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "palisade-scheduler");
                t.setDaemon(true);
                return t;
            });
            if (config.updateInterval() != null) {
                long every = config.updateInterval().toMillis();
                scheduler.scheduleWithFixedDelay(
                        surviving(config.log(), "the scheduled update", () -> {
                            scheduledUpdate(service, audit, metrics, config.log());
                            announceOverdue(notifier, config.log());
                        }),
                        every,
                        every,
                        TimeUnit.MILLISECONDS);
            }
            scheduler.scheduleWithFixedDelay(
                    surviving(config.log(), "the deadline check", () -> announceOverdue(notifier, config.log())),
                    0,
                    DEADLINE_CHECK.toMillis(),
                    TimeUnit.MILLISECONDS);
            return new PalisadeServer(http, pool, database, scheduler, service, imageScans, dispatcher, notifier);
        } catch (IOException | RuntimeException e) {
            if (imageScans != null) {
                imageScans.stop(Duration.ZERO);
            }
            if (dispatcher != null) {
                dispatcher.close();
            }
            database.close();
            pool.close();
            throw e;
        } catch (SQLException e) {
            if (imageScans != null) {
                imageScans.stop(Duration.ZERO);
            }
            if (dispatcher != null) {
                dispatcher.close();
            }
            database.close();
            pool.close();
            throw new IOException("the server's storage failed: " + e.getMessage(), e);
        }
    }

    private static ServerMetrics gauges(
            ServerMetrics metrics, Config config, JobQueue jobs, ServerStore store, InventoryService service) {
        metrics.gauge("palisade_job_queue_depth", "Scan jobs queued or running", jobs::depth);
        metrics.gauge(
                "palisade_vulnerability_database_age_seconds",
                "Seconds since the vulnerability database was built",
                () -> ServerMetrics.ageSeconds(service.databaseBuiltAt(), config.clock()));
        for (String severity : List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN")) {
            metrics.gauge(
                    "palisade_open_findings",
                    "Open findings in the newest inventory of every target",
                    () -> store.openFindings(severity),
                    "severity",
                    severity);
        }
        return metrics;
    }

    private static org.eclipse.jetty.server.Connector httpsConnector(
            org.eclipse.jetty.server.Server server,
            org.eclipse.jetty.server.HttpConfiguration httpConfiguration,
            String host,
            int port,
            Tls tls) {
        org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl =
                new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
        ssl.setKeyStorePath(tls.keyStore().toAbsolutePath().toString());
        ssl.setKeyStorePassword(tls.password());
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        org.eclipse.jetty.server.HttpConfiguration https =
                new org.eclipse.jetty.server.HttpConfiguration(httpConfiguration);
        org.eclipse.jetty.server.SecureRequestCustomizer secure =
                new org.eclipse.jetty.server.SecureRequestCustomizer();
        secure.setSniHostCheck(false); // clients may reach the server by an address its certificate does not name
        https.addCustomizer(secure);
        org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(
                server,
                new org.eclipse.jetty.server.SslConnectionFactory(ssl, "http/1.1"),
                new org.eclipse.jetty.server.HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    private static final String MATCHED_BY = "matched_by_version";

    /**
     * A new Palisade version may match differently (a parser, a version comparison): the first start of
     * a new version matches every stored inventory again before answering, so no stored finding is one
     * the running version would not report.
     */
    private static void rematchAfterUpgrade(ServerStore store, InventoryService service, AuditLog audit, Config config)
            throws SQLException, IOException {
        String previous = store.meta(MATCHED_BY).orElse(null);
        if (config.toolVersion().equals(previous)) {
            return;
        }
        if (previous != null) {
            InventoryService.Rematch rematch = service.rematchAll();
            String what = "Palisade " + previous + " -> " + config.toolVersion() + ": " + Api.describe(rematch);
            audit.add(AuditLog.SERVER, "database.rematch", "every stored inventory", what);
            config.log().info(what);
        }
        store.setMeta(MATCHED_BY, config.toolVersion());
    }

    /** The file the first admin token is written to. */
    public static Path adminTokenFile(Path dataDirectory) {
        return dataDirectory.resolve("admin-token");
    }

    /**
     * On the first start (no admin token stored, none configured), makes one and writes it to
     * {@code DIR/admin-token}, readable only by the owner; the log names the file, never the token.
     */
    private static void firstAdmin(Config config, TokenStore tokens, AuditLog audit) throws SQLException, IOException {
        if (config.tokens().hasAdmin() || tokens.hasAdmin()) {
            return;
        }
        Path file = adminTokenFile(config.dataDirectory());
        TokenStore.IssuedToken admin;
        try {
            admin = tokens.create("admin", Tokens.Role.ADMIN, AuditLog.SERVER);
        } catch (TokenStore.NameTakenException e) {
            // the first admin was revoked: the next one gets a dated name
            try {
                admin = tokens.create("admin-" + config.clock().millis(), Tokens.Role.ADMIN, AuditLog.SERVER);
            } catch (TokenStore.NameTakenException again) {
                throw new IOException("cannot make an admin token: " + again.getMessage(), again);
            }
        }
        Path temporary = Files.createTempFile(
                config.dataDirectory(),
                ".admin-token",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, admin.token() + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        audit.add(AuditLog.SERVER, "token.create", admin.name(), "role admin, written to " + file);
        config.log().info("no admin token yet: made one and wrote it to " + file + " (readable only by you)");
    }

    /** How often open findings are checked against their patch deadlines. */
    static final Duration DEADLINE_CHECK = Duration.ofHours(1);

    /**
     * {@code task} for a scheduler: an error thrown out of a scheduled task cancels every later run of it, silently
     * (an upload that ran the heap out stopped the six-hourly update for good). Logged instead, and the schedule goes on.
     */
    static Runnable surviving(ServerLog log, String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                log.warn(what + " failed: " + e + "; it runs again at its next time");
            }
        };
    }

    private static void announceOverdue(Notifier notifier, ServerLog log) {
        try {
            int overdue = notifier.announceOverdue();
            if (overdue > 0) {
                log.info(overdue + " findings passed their patch deadline");
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("cannot check patch deadlines: " + e.getMessage());
        }
    }

    private static void scheduledUpdate(
            InventoryService service, AuditLog audit, ServerMetrics metrics, ServerLog log) {
        try {
            long started = System.nanoTime();
            InventoryService.Update update = service.updateAndRematch();
            metrics.rematch(update.rematch().inventories(), Duration.ofNanos(System.nanoTime() - started));
            audit.add(AuditLog.SERVER, "database.update", "vulnerability database", Api.describe(update));
            log.info(Api.describe(update));
        } catch (Exception e) {
            // the next run tries again; the server keeps serving with the database it has
            log.warn("scheduled database update failed: " + e.getMessage());
        }
    }

    /** The port the server listens on. */
    public int port() {
        return http.port();
    }

    InventoryService service() {
        return service;
    }

    /**
     * Stops gracefully: no new request is taken, a running image scan may finish within 30 seconds
     * (else it goes back in the queue for the next start), then the storage is closed.
     */
    @Override
    public void close() throws IOException {
        http.stop();
        imageScans.stop(Duration.ofSeconds(30));
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        dispatcher.close(); // its delivery log writes to storage: before the pool closes
        try {
            database.close();
        } finally {
            pool.close();
        }
    }
}
