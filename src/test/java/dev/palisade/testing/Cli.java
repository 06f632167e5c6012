package dev.palisade.testing;

import dev.palisade.cli.Environment;
import dev.palisade.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the real command line with captured streams, no environment variables and the fixed clock. */
public final class Cli {
    private Cli() {}

    /** What a run printed and how it ended. */
    public record Result(int exit, String out, String err) {}

    public static Result run(String... args) {
        return runWith(Map.of(), args);
    }

    /** A run with these environment variables (and only these). */
    public static Result runWith(Map<String, String> variables, String... args) {
        return runAt(Scans.FIXED, variables, args);
    }

    /** A run whose clock says {@code clock}'s time: when reports say they were made. */
    public static Result runAt(java.time.Clock clock, Map<String, String> variables, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Environment environment = new Environment(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]),
                variables,
                clock,
                false);
        int exit = Main.run(environment, args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
