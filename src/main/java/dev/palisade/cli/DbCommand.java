package dev.palisade.cli;

import dev.palisade.vulndb.DirectoryMirror;
import dev.palisade.vulndb.Mirror;
import dev.palisade.vulndb.sqlite.DatabaseStatus;
import dev.palisade.vulndb.sqlite.DatabaseUpdater;
import dev.palisade.vulndb.sqlite.SqliteVulnerabilityStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade db}: the vulnerability database. */
@Command(
        name = "db",
        footerHeading = "%nExamples:%n",
        footer = {"  palisade db update", "  palisade db status -f json"},
        mixinStandardHelpOptions = true,
        description = "Manage the vulnerability database.",
        subcommands = {DbCommand.Update.class, DbCommand.Status.class, DbCommand.Import.class})
final class DbCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "a subcommand is required (update, status, import)");
    }

    /** Shared by the subcommands: the process environment and the database options. */
    abstract static class DbSubcommand implements Callable<Integer> {
        final Environment environment;

        @Mixin
        DatabaseOptions options;

        DbSubcommand(Environment environment) {
            this.environment = environment;
        }

        VulnerabilityDatabases databases() {
            return new VulnerabilityDatabases(
                    options, environment, environment.interactive() ? environment::progress : m -> {});
        }

        int fail(String message) {
            environment.err().println("palisade: error: " + message);
            return PalisadeCommand.EXIT_UNREADABLE;
        }

        /** Updates from {@code osv}; says how it went on stdout and stderr and returns the exit code. */
        int update(Mirror osv, boolean force, boolean printTable, String failure) {
            VulnerabilityDatabases databases = databases();
            try {
                DatabaseUpdater.Result result = databases.update(
                        databases.updater(), osv, new DatabaseUpdater.Request(force, allowSourceRemoval));
                databases.summarize(result, false);
                if (printTable) {
                    for (DatabaseUpdater.SourceResult s : result.sources()) {
                        environment
                                .out()
                                .printf(
                                        "%-14s %-40s %8s records %6s malformed%n",
                                        s.name(),
                                        s.outcome() == DatabaseUpdater.Outcome.KEPT
                                                ? "kept (not in the mirror)"
                                                : s.detail(),
                                        s.records() < 0 ? "-" : Long.toString(s.records()),
                                        s.malformed() < 0 ? "-" : Long.toString(s.malformed()));
                    }
                }
                return PalisadeCommand.EXIT_OK;
            } catch (DatabaseUpdater.MissingSourceException e) {
                return fail(failure + ": " + e.getMessage()
                        + (e.removalWouldAllow() ? " (--allow-source-removal builds without it)" : "")
                        + "; the previous database, if any, is unchanged");
            } catch (IOException e) {
                return fail(failure + ": " + e.getMessage() + " (the previous database, if any, is unchanged)");
            }
        }

        @Option(
                names = "--allow-source-removal",
                description =
                        "Let the update drop the data of a source (an ecosystem, or KEV) the mirror no longer offers, and go on "
                                + "without a source the mirror lacks. Without it such a source keeps its previous data, with a warning, "
                                + "and a source never imported before makes the update fail.")
        boolean allowSourceRemoval;
    }

    private static final String EXIT_CODES_HEADING = "%nExit codes:%n";
    private static final String EXIT_OK = "0:The database is up to date. Warnings on stderr name the sources whose "
            + "previous data was kept because the mirror no longer offers them.";
    private static final String EXIT_FAILED = "2:The update failed (mirror unreachable or empty, a source missing, an "
            + "export without one usable record, another update still running); the previous database, if any, is unchanged.";

    @Command(
            name = "update",
            footerHeading = "%nExamples:%n",
            footer = {"  palisade db update", "  palisade db update --db-mirror /srv/osv-mirror --force"},
            mixinStandardHelpOptions = true,
            description =
                    "Fetch what changed in the OSV export and the KEV catalog, and rebuild the database beside the old one.",
            exitCodeListHeading = EXIT_CODES_HEADING,
            exitCodeList = {EXIT_OK, EXIT_FAILED})
    static final class Update extends DbSubcommand {
        @Option(names = "--force", description = "Fetch and rebuild everything, even what did not change.")
        boolean force;

        Update(Environment environment) {
            super(environment);
        }

        @Override
        public Integer call() {
            if (options.offline) {
                return fail(
                        "--offline: 'db update' needs the network or a --db-mirror directory; use 'db import DIR' offline");
            }
            return update(options.mirror(environment.variables()), force, true, "database update failed");
        }
    }

    @Command(
            name = "status",
            footerHeading = "%nExamples:%n",
            footer = {"  palisade db status", "  palisade db status -f json"},
            mixinStandardHelpOptions = true,
            description = "Show the database's sources, record counts and age.")
    static final class Status extends DbSubcommand {
        @Option(
                names = {"-f", "--format"},
                paramLabel = "FORMAT",
                defaultValue = "table",
                description = "table or json (default: ${DEFAULT-VALUE}).")
        String format;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        Status(Environment environment) {
            super(environment);
        }

        @Override
        public Integer call() {
            VersionCommand.Format chosen;
            try {
                chosen = VersionCommand.Format.chosen(spec, format);
            } catch (IllegalArgumentException e) {
                return fail(String.valueOf(e.getMessage()));
            }
            VulnerabilityDatabases databases = databases();
            DatabaseUpdater updater = databases.updater();
            if (chosen == VersionCommand.Format.JSON) {
                Path file = updater.databaseFile().toAbsolutePath();
                try {
                    java.util.Map<String, Object> db = VersionCommand.databaseDescription(file);
                    if (!Boolean.TRUE.equals(db.get("present"))) {
                        return fail(file + ": no vulnerability database yet (run 'palisade db update')");
                    }
                    environment.out().println(VersionCommand.json(db));
                    return PalisadeCommand.EXIT_OK;
                } catch (IOException e) {
                    return fail(file + ": " + e.getMessage());
                }
            }
            try (SqliteVulnerabilityStore store = SqliteVulnerabilityStore.open(updater.databaseFile())) {
                DatabaseStatus status = store.status();
                environment.out().println("database: " + updater.databaseFile());
                environment
                        .out()
                        .print(VulnerabilityDatabases.describe(
                                status, environment.clock().instant()));
                updater.lastChecked().ifPresent(t -> environment
                        .out()
                        .println("checked at: " + t + " (age "
                                + Duration.between(t, environment.clock().instant())
                                        .toMinutes() + " min)"));
                return PalisadeCommand.EXIT_OK;
            } catch (IOException e) {
                return fail(String.valueOf(e.getMessage()));
            }
        }
    }

    @Command(
            name = "import",
            footerHeading = "%nExamples:%n",
            footer = {
                "  palisade db import /media/osv-export",
                "  palisade db import /media/osv-export --cache-dir /opt/palisade/cache"
            },
            mixinStandardHelpOptions = true,
            description =
                    "Load an OSV export copied to this machine (a directory of <Ecosystem>/all.zip), for air-gapped sites.",
            exitCodeListHeading = EXIT_CODES_HEADING,
            exitCodeList = {EXIT_OK, EXIT_FAILED})
    static final class Import extends DbSubcommand {
        @Parameters(index = "0", paramLabel = "DIR", description = "The export directory.")
        Path directory;

        Import(Environment environment) {
            super(environment);
        }

        @Override
        public Integer call() {
            if (!Files.isDirectory(directory)) {
                return fail(directory + " is not a directory");
            }
            if (options.dbMirror == null) {
                options.dbMirror = directory.toString();
            }
            return update(new DirectoryMirror(directory), true, false, "import failed");
        }
    }
}
