package dev.palisade.testing;

import dev.palisade.cli.Environment;
import dev.palisade.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Runs the real command line with captured streams, no environment variables and the fixed clock. */
public final class Cli {
    private Cli() {}

    /** What a run printed and how it ended. */
    public record Result(int exit, String out, String err) {}

    public static Result run(String... args) {
        return runWith(Map.of(), args);
    }

    /**
     * A run with these environment variables (and only these), in an empty working directory of its own:
     * no {@code palisade.yaml} or {@code .trivyignore} of the real working directory is read.
     */
    public static Result runWith(Map<String, String> variables, String... args) {
        return runAt(Scans.FIXED, variables, args);
    }

    /** A run whose working directory (for default files such as {@code palisade.yaml}) is {@code directory}. */
    public static Result runIn(Path directory, Map<String, String> variables, String... args) {
        return runAt(Scans.FIXED, directory, variables, args);
    }

    /** A run in an empty working directory whose clock says {@code clock}'s time: when reports say they were made. */
    public static Result runAt(java.time.Clock clock, Map<String, String> variables, String... args) {
        Path empty;
        try {
            empty = Files.createTempDirectory("palisade-cli-cwd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return runAt(clock, empty, variables, args);
        } finally {
            try {
                Files.deleteIfExists(empty);
            } catch (IOException e) {
                // left in the temporary directory
            }
        }
    }

    private static Result runAt(java.time.Clock clock, Path directory, Map<String, String> variables, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Environment environment = new Environment(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]),
                variables,
                clock,
                false,
                directory);
        int exit = Main.run(environment, args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
