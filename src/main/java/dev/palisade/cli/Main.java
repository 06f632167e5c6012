package dev.palisade.cli;

import picocli.CommandLine;

/** The command-line entry point. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int exit;
        try {
            exit = run(args);
        } catch (OutOfMemoryError e) {
            System.err.println("palisade: error: out of memory: the artifact needs more than this Java heap "
                    + "(raise -Xmx with PALISADE_JAVA_OPTS, or lower --max-file-size / --max-entries)");
            exit = PalisadeCommand.EXIT_UNREADABLE;
        } catch (StackOverflowError e) {
            System.err.println("palisade: error: input nested too deeply to be read");
            exit = PalisadeCommand.EXIT_UNREADABLE;
        }
        System.exit(exit);
    }

    public static int run(String... args) {
        return run(Environment.system(), args);
    }

    /** Runs a command line with the given process environment; returns the exit code. */
    public static int run(Environment environment, String... args) {
        return PalisadeCommand.commandLine(environment).execute(args);
    }
}
