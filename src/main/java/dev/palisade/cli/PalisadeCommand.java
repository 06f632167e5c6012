package dev.palisade.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code palisade}: the top-level command; the work is done by its subcommands. */
@Command(
        name = "palisade",
        mixinStandardHelpOptions = true,
        versionProvider = PalisadeCommand.VersionProvider.class,
        description = "Finds what functions, containers and virtual machines contain, and what is wrong with it.",
        subcommands = {
            ImageCommand.class,
            RootfsCommand.class,
            HostCommand.class,
            FsCommand.class,
            FunctionCommand.class,
            SbomCommand.class,
            ConfigCommand.class,
            RegistryCommand.class,
            ServerCommand.class,
            DbCommand.class,
            ChecksCommand.class,
            TraceCommand.class,
            SeccompCommand.class,
            CommandLine.HelpCommand.class
        })
public final class PalisadeCommand implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_UNREADABLE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "a command is required (image, rootfs, host, fs, function, sbom, config, registry, db, checks, trace, seccomp)");
    }

    static CommandLine commandLine(Environment environment) {
        CommandLine commandLine = new CommandLine(new PalisadeCommand(), new Factory(environment));
        commandLine.setOut(new PrintWriter(environment.out(), true));
        commandLine.setErr(new PrintWriter(environment.err(), true));
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("palisade: internal error: " + e);
            return EXIT_UNREADABLE;
        });
        return commandLine;
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

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"palisade " + version()};
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
