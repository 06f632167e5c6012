package dev.palisade.cli;

import picocli.CommandLine;

/** The command-line entry point. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(Environment.system(), args);
    }

    /** Runs a command line with the given process environment; returns the exit code. */
    public static int run(Environment environment, String... args) {
        return PalisadeCommand.commandLine(environment).execute(args);
    }
}
