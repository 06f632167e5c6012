package dev.palisade.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.scan.RegistryAccess;
import dev.palisade.scan.ScanPipeline;
import dev.palisade.source.ScanLimits;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * {@code palisade server}: the HTTP API over PostgreSQL storage, with the vulnerability database kept
 * open, updated on a schedule, and every stored inventory matched again after each update.
 */
public final class PalisadeServer implements AutoCloseable {
    private final Javalin http;
    private final HikariDataSource pool;
    private final ServerDatabase database;
    private final @Nullable ScheduledExecutorService scheduler;
    private final InventoryService service;

    /**
     * How to run: where to listen and store, which tokens to accept, where the vulnerability database
     * file is and how it is updated.
     *
     * @param host the address to listen on ({@code 127.0.0.1} unless the server is meant to be reached from elsewhere)
     * @param port 0 for any free port
     * @param jdbcUrl the PostgreSQL database ({@code jdbc:postgresql://HOST:PORT/NAME})
     * @param databaseFile the vulnerability database ({@code vulndb.sqlite} in the cache directory)
     * @param updateInterval how often the vulnerability database is updated, or null for only on demand
     */
    public record Config(
            String host,
            int port,
            String jdbcUrl,
            @Nullable String jdbcUser,
            @Nullable String jdbcPassword,
            Tokens tokens,
            long maxUploadBytes,
            Path databaseFile,
            InventoryService.DatabaseUpdates updates,
            @Nullable Duration updateInterval,
            Clock clock,
            String toolVersion,
            Consumer<String> log) {
        public Config {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            Objects.requireNonNull(tokens, "tokens");
            if (maxUploadBytes <= 0) {
                throw new IllegalArgumentException("the upload limit must be positive");
            }
        }
    }

    private PalisadeServer(
            Javalin http,
            HikariDataSource pool,
            ServerDatabase database,
            @Nullable ScheduledExecutorService scheduler,
            InventoryService service) {
        this.http = http;
        this.pool = pool;
        this.database = database;
        this.scheduler = scheduler;
        this.service = service;
    }

    /** Migrates the storage, builds the vulnerability database if there is none yet, and starts listening. */
    public static PalisadeServer start(Config config) throws IOException {
        HikariConfig pooling = new HikariConfig();
        pooling.setJdbcUrl(config.jdbcUrl());
        pooling.setUsername(config.jdbcUser());
        pooling.setPassword(config.jdbcPassword());
        pooling.setMaximumPoolSize(8);
        pooling.setPoolName("palisade");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(pooling);
        } catch (RuntimeException e) {
            throw new IOException("cannot connect to " + config.jdbcUrl() + ": " + rootMessage(e), e);
        }
        ServerDatabase database = new ServerDatabase(config.databaseFile());
        try {
            ServerStore store = new ServerStore(pool);
            try {
                store.migrate();
            } catch (RuntimeException e) {
                throw new IOException("cannot bring the storage schema up to date: " + rootMessage(e), e);
            }
            if (!Files.isRegularFile(config.databaseFile())) {
                config.log().accept("no vulnerability database yet: building it");
                config.updates().update();
            }
            database.store(); // fail now, not on the first upload, when the file cannot be opened
            ScanPipeline pipeline = new ScanPipeline(
                    config.clock(),
                    message -> {},
                    null,
                    CheckCatalog.load(),
                    database,
                    RegistryAccess.offline(),
                    config.toolVersion());
            InventoryService service = new InventoryService(
                    pipeline,
                    database,
                    store,
                    config.updates(),
                    config.clock(),
                    config.toolVersion(),
                    ScanLimits.defaults().withMaxFileBytes(config.maxUploadBytes()),
                    config.log());
            Api api = new Api(service, store, config.tokens(), config.maxUploadBytes(), config.log());
            Javalin http = Javalin.create(api::configure);
            http.start(config.host(), config.port());
            ScheduledExecutorService scheduler = null;
            if (config.updateInterval() != null) {
                scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "palisade-db-update");
                    t.setDaemon(true);
                    return t;
                });
                long every = config.updateInterval().toMillis();
                scheduler.scheduleWithFixedDelay(
                        () -> scheduledUpdate(service, config.log()), every, every, TimeUnit.MILLISECONDS);
            }
            return new PalisadeServer(http, pool, database, scheduler, service);
        } catch (IOException | RuntimeException e) {
            database.close();
            pool.close();
            throw e;
        }
    }

    private static void scheduledUpdate(InventoryService service, Consumer<String> log) {
        try {
            InventoryService.Update update = service.updateAndRematch();
            InventoryService.Rematch r = update.rematch();
            log.accept("database " + (update.rebuilt() ? "updated" : "up to date") + " (built " + r.databaseBuiltAt()
                    + "); "
                    + r.inventories() + " inventories matched again: " + r.added() + " new findings, " + r.resolved()
                    + " resolved"
                    + (r.failures().isEmpty() ? "" : ", " + r.failures().size() + " failed"));
        } catch (Exception e) {
            // the next run tries again; the server keeps serving with the database it has
            log.accept("scheduled database update failed: " + e.getMessage());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    /** The port the server listens on. */
    public int port() {
        return http.port();
    }

    InventoryService service() {
        return service;
    }

    @Override
    public void close() throws IOException {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        http.stop();
        try {
            database.close();
        } finally {
            pool.close();
        }
    }
}
