package dev.palisade.cli;

import picocli.CommandLine;

/** The command-line entry point. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return PalisadeCommand.commandLine(Environment.system()).execute(args);
    }
}
