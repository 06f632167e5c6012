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
 * @param interactive whether a person is watching (progress is shown on stderr only then)
 * @param workingDirectory where default files are looked for ({@code palisade.yaml}, {@code .trivyignore})
 */
public record Environment(
        PrintStream out,
        PrintStream err,
        InputStream in,
        Map<String, String> variables,
        Clock clock,
        boolean interactive,
        Path workingDirectory) {

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
        return new Environment(
                System.out, System.err, System.in, variables, clockFrom(variables), System.console() != null);
    }

    /** The same process environment, looking for default files in {@code directory}. */
    public Environment inDirectory(Path directory) {
        return new Environment(out, err, in, variables, clock, interactive, directory);
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
