package dev.palisade.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code palisade}: the top-level command; the work is done by its subcommands. */
@Command(
        name = "palisade",
        footerHeading = "%nExamples:%n",
        footer = {
            "  palisade image debian:12",
            "  palisade fs . --severity HIGH,CRITICAL --exit-code 1",
            "  palisade db update"
        },
        mixinStandardHelpOptions = true,
        versionProvider = PalisadeCommand.VersionProvider.class,
        description = "Finds what functions, containers and virtual machines contain, and what is wrong with it.",
        subcommands = {
            ImageCommand.class,
            RootfsCommand.class,
            HostCommand.class,
            HostsCommand.class,
            FsCommand.class,
            FunctionCommand.class,
            SbomCommand.class,
            ConfigCommand.class,
            RegistryCommand.class,
            ServerCommand.class,
            EvidenceCommand.class,
            DbCommand.class,
            ChecksCommand.class,
            VersionCommand.class,
            AssessCommand.class,
            TraceCommand.class,
            SeccompCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class PalisadeCommand implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_UNREADABLE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Read before parsing, by {@link ConfiguredDefaults}; declared here so every command accepts it. */
    @CommandLine.Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            scope = CommandLine.ScopeType.INHERIT,
            description =
                    "Settings file: option names without dashes as keys (default: $"
                            + ConfiguredDefaults.CONFIG_VARIABLE + ", else ./" + ConfiguredDefaults.DEFAULT_CONFIG_FILE
                            + " when present). Command-line flags win over PALISADE_<OPTION> variables, which win over the file.")
    @org.jspecify.annotations.Nullable
    String config;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "a command is required (image, rootfs, host, hosts, fs, function, sbom, config, registry, db, checks, version, evidence, assess, trace, seccomp, completion)");
    }

    /** The command line of one run, its missing options taken from the environment and the settings file. */
    static CommandLine commandLine(Environment environment, String[] args) throws java.io.IOException {
        CommandLine commandLine = commandLine(environment);
        commandLine.setDefaultValueProvider(ConfiguredDefaults.load(environment, args, commandLine.getCommandSpec()));
        return commandLine;
    }

    static CommandLine commandLine(Environment environment) {
        CommandLine commandLine = new CommandLine(new PalisadeCommand(), new Factory(environment));
        leaveOutUnusedOptions(commandLine);
        // "@FILE" is a value of its own (--report-template @report.tpl, as Trivy takes it), not an argument file
        commandLine.setExpandAtFiles(false);
        commandLine.setOut(new PrintWriter(environment.out(), true));
        commandLine.setErr(new PrintWriter(environment.err(), true));
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("palisade: internal error: " + e);
            if (cmd.getCommand() instanceof ScanCommand scan && scan.debug) {
                e.printStackTrace(cmd.getErr());
            }
            return EXIT_UNREADABLE;
        });
        return commandLine;
    }

    /**
     * The database options that only reading the database does not use: {@code version} and {@code db status}
     * read it where {@code --cache-dir} says and never update it.
     */
    private static final Set<String> UPDATE_OPTIONS =
            Set.of("--db-mirror", "--kev-source", "--db-max-age", "--skip-db-update", "--offline");

    /** Each command lists and accepts only the shared options it uses. */
    private static void leaveOutUnusedOptions(CommandLine commandLine) {
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            if (sub.getCommand() instanceof ScanCommand scan) {
                leaveOut(sub, scan.unusedOptions());
            } else if (sub.getCommand() instanceof VersionCommand) {
                leaveOut(sub, UPDATE_OPTIONS);
            } else if (sub.getCommand() instanceof DbCommand) {
                leaveOut(java.util.Objects.requireNonNull(sub.getSubcommands().get("status")), UPDATE_OPTIONS);
            }
        }
    }

    private static void leaveOut(CommandLine command, Set<String> names) {
        for (String name : names) {
            CommandLine.Model.OptionSpec option = command.getCommandSpec().findOption(name);
            if (option == null) {
                throw new IllegalStateException(command.getCommandName() + ": no option " + name + " to leave out");
            }
            command.getCommandSpec().remove(option);
        }
    }

    static String version() {
        try (InputStream in = PalisadeCommand.class.getResourceAsStream("/dev/palisade/version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code --version}: what {@code palisade version} prints, for the default database location. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        private final Environment environment;

        VersionProvider(Environment environment) {
            this.environment = environment;
        }

        @Override
        public String[] getVersion() {
            Path file = VersionCommand.databaseFile(new DatabaseOptions(), environment);
            try {
                return VersionCommand.text(version(), VersionCommand.databaseDescription(file))
                        .split("\n");
            } catch (IOException e) {
                return new String[] {"palisade " + version(), "vulnerability database: " + file + ": " + e.getMessage()
                };
            }
        }
    }

    /** Gives every command the process environment through its constructor. */
    private static final class Factory implements CommandLine.IFactory {
        private final Environment environment;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        Factory(Environment environment) {
            this.environment = environment;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (ScanCommand.class.isAssignableFrom(type)
                    || DbCommand.DbSubcommand.class.isAssignableFrom(type)
                    || type == RegistryCommand.class
                    || type == ServerCommand.class
                    || type == EvidenceCommand.class
                    || type == EvidenceCommand.Verify.class
                    || type == VersionCommand.class
                    || type == VersionProvider.class
                    || type == ChecksCommand.ListChecks.class
                    || type == AssessCommand.class
                    || type == TraceCommand.class
                    || type == SeccompCommand.Diff.class) {
                var constructor = type.getDeclaredConstructor(Environment.class);
                constructor.setAccessible(true);
                return constructor.newInstance(environment);
            }
            return fallback.create(type);
        }
    }
}
