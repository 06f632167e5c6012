package dev.palisade.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;
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
        description = "Finds what functions, containers and virtual machines contain, and what is wrong with it.")
public final class PalisadeCommand implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_UNREADABLE = 2;

    /**
     * The subcommands, in the order {@code palisade --help} lists them. A run builds only the one it invokes (see
     * {@link #subcommandsFor}): picocli's model of every command, built by reflection, cost about half a second of
     * start-up, more than {@code --version} may take in all.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(
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
            CommandLine.HelpCommand.class);

    /** Commands that read the whole command tree: help texts and completion scripts. */
    private static final Set<Class<?>> NEED_EVERY_COMMAND =
            Set.of(CompletionCommand.class, CommandLine.HelpCommand.class);

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
        // a settings file is checked against the options of every command
        CommandLine commandLine =
                commandLine(environment, readsSettingsFile(environment, args) ? SUBCOMMANDS : subcommandsFor(args));
        commandLine.setDefaultValueProvider(ConfiguredDefaults.load(environment, args, commandLine.getCommandSpec()));
        return commandLine;
    }

    /** The whole command tree. */
    static CommandLine commandLine(Environment environment) {
        return commandLine(environment, SUBCOMMANDS);
    }

    private static CommandLine commandLine(Environment environment, List<Class<?>> subcommands) {
        CommandLine commandLine = new CommandLine(new PalisadeCommand(), new Factory(environment));
        for (Class<?> subcommand : subcommands) {
            commandLine.addSubcommand(subcommand);
        }
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

    /** Whether this run reads a settings file ({@link ConfiguredDefaults}). */
    static boolean readsSettingsFile(Environment environment, String[] args) {
        return ConfiguredDefaults.configArgument(args).isPresent()
                || environment.variables().get(ConfiguredDefaults.CONFIG_VARIABLE) != null
                || Files.isRegularFile(environment.workingDirectory().resolve(ConfiguredDefaults.DEFAULT_CONFIG_FILE));
    }

    /** {@code palisade --version} (or {@code -V}) and nothing else. */
    static boolean onlyAsksForVersion(String[] args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    /**
     * The subcommands a command line needs: the one it names, none for a bare {@code --version}, and every one
     * where help, a completion script or an error message may list them (no command, {@code --help}, an
     * unknown word or option).
     */
    static List<Class<?>> subcommandsFor(String[] args) {
        boolean versionOnly = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-c") || arg.equals("--config")) {
                i++;
            } else if (arg.equals("-V") || arg.equals("--version")) {
                versionOnly = true;
            } else if (arg.startsWith("-")) {
                return SUBCOMMANDS;
            } else {
                Class<?> named = named(arg);
                return named == null || NEED_EVERY_COMMAND.contains(named) ? SUBCOMMANDS : List.of(named);
            }
        }
        return versionOnly ? List.of() : SUBCOMMANDS;
    }

    private static @Nullable Class<?> named(String word) {
        for (Class<?> subcommand : SUBCOMMANDS) {
            Command command = Objects.requireNonNull(subcommand.getAnnotation(Command.class));
            if (command.name().equals(word) || Arrays.asList(command.aliases()).contains(word)) {
                return subcommand;
            }
        }
        return null;
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
                leaveOut(Objects.requireNonNull(sub.getSubcommands().get("status")), UPDATE_OPTIONS);
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
