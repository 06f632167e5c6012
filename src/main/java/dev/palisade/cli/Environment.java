package dev.palisade.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * What the CLI takes from the process: streams, environment variables and the clock. Passed in, so
 * tests run the real commands with their own streams and a fixed clock.
 *
 * @param interactive whether stderr is a terminal: progress is shown there only then, whether or not
 *     stdout is piped
 * @param workingDirectory where default files are looked for ({@code palisade.yaml}, {@code .trivyignore})
 * @param stdoutTerminal whether stdout is a terminal: the table fits its width and colours severities
 */
public record Environment(
        PrintStream out,
        PrintStream err,
        InputStream in,
        Map<String, String> variables,
        Clock clock,
        boolean interactive,
        Path workingDirectory,
        boolean stdoutTerminal) {

    /** An environment whose stdout is not a terminal. */
    public Environment(
            PrintStream out,
            PrintStream err,
            InputStream in,
            Map<String, String> variables,
            Clock clock,
            boolean interactive,
            Path workingDirectory) {
        this(out, err, in, variables, clock, interactive, workingDirectory, false);
    }

    /** An environment whose working directory is the process's. */
    public Environment(
            PrintStream out,
            PrintStream err,
            InputStream in,
            Map<String, String> variables,
            Clock clock,
            boolean interactive) {
        this(out, err, in, variables, clock, interactive, Path.of("").toAbsolutePath());
    }

    public static Environment system() {
        Map<String, String> variables = System.getenv();
        boolean console = System.console() != null;
        return new Environment(
                System.out,
                System.err,
                System.in,
                variables,
                clockFrom(variables),
                isTerminal(Path.of("/proc/self/fd/2")).orElse(console),
                Path.of("").toAbsolutePath(),
                isTerminal(Path.of("/proc/self/fd/1")).orElse(console));
    }

    /**
     * Whether a file descriptor (its {@code /proc/self/fd} link) is a terminal, without running stty: a
     * terminal is a {@code /dev/pts/N}, {@code /dev/ttyN} or {@code /dev/console} device. Empty where
     * {@code /proc} does not say (not Linux).
     */
    static java.util.Optional<Boolean> isTerminal(Path descriptor) {
        try {
            String target = java.nio.file.Files.readSymbolicLink(descriptor).toString();
            return java.util.Optional.of(
                    target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console"));
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return java.util.Optional.empty();
        }
    }

    /** The same process environment, looking for default files in {@code directory}. */
    public Environment inDirectory(Path directory) {
        return new Environment(out, err, in, variables, clock, interactive, directory, stdoutTerminal);
    }

    /** The same environment with a progress line on stderr that is cleared before anything else is written there. */
    Environment withStatusLine() {
        if (err instanceof StatusLine) {
            return this;
        }
        return new Environment(
                out, new StatusLine(err), in, variables, clock, interactive, workingDirectory, stdoutTerminal);
    }

    /** Shows {@code message} as the progress line on stderr (call only when stderr is a terminal). */
    void progress(String message) {
        if (err instanceof StatusLine line) {
            line.show(message);
        } else {
            err.print(StatusLine.CLEAR + message);
            err.flush();
        }
    }

    /** Clears the progress line, when one is shown. */
    void clearProgress() {
        if (err instanceof StatusLine line) {
            line.clear();
        }
    }

    /** Honours {@code SOURCE_DATE_EPOCH} (reproducible builds) for the time written into reports. */
    static Clock clockFrom(Map<String, String> variables) {
        String epoch = variables.get("SOURCE_DATE_EPOCH");
        if (epoch != null && epoch.matches("\\d{1,12}")) {
            return Clock.fixed(Instant.ofEpochSecond(Long.parseLong(epoch)), ZoneOffset.UTC);
        }
        return Clock.systemUTC();
    }
}
