package dev.palisade.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The command-line entry point. */
public final class Main {
    /** Read by sqlite-jdbc when the first connection unpacks its native library (default: {@code java.io.tmpdir}). */
    static final String SQLITE_TMPDIR = "org.sqlite.tmpdir";
    /** Unpacked copies older than this belong to runs that were killed: a clean exit deletes its own. */
    static final Duration NATIVE_LEFTOVER_AGE = Duration.ofDays(1);

    private Main() {}

    public static void main(String[] args) {
        int exit;
        try {
            Environment environment = Environment.system();
            unpackSqliteIntoTheCache(args, environment.variables());
            exit = run(environment, args);
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
    public static int run(Environment process, String... args) {
        Environment environment = process.withStatusLine();
        picocli.CommandLine commandLine;
        try {
            commandLine = PalisadeCommand.commandLine(environment, args);
        } catch (IOException e) {
            environment.err().println("palisade: error: " + e.getMessage());
            return PalisadeCommand.EXIT_UNREADABLE;
        }
        return commandLine.execute(args);
    }

    /**
     * sqlite-jdbc unpacks its native library, under a new name on every run, into {@code org.sqlite.tmpdir} when
     * the first connection is opened, and deletes it only when the JVM exits cleanly: a killed run leaves it in
     * {@code /tmp} for good. Pointing it at {@code <cache>/native} keeps {@code /tmp} clean and lets the next run
     * remove what killed runs left. The property is global to the JVM and read once, so it is set here, in the
     * process's entry point, before any command opens a database (image scans open an rpmdb before the
     * vulnerability database); the library code never sets it, so programs embedding Palisade keep control.
     * Where the cache cannot be written, sqlite-jdbc's default is kept: scanning matters more.
     */
    static void unpackSqliteIntoTheCache(String[] args, Map<String, String> variables) {
        if (System.getProperty(SQLITE_TMPDIR) != null) {
            return; // chosen by whoever started the JVM
        }
        DatabaseOptions options = new DatabaseOptions();
        options.cacheDir = cacheDirArgument(args);
        Path directory = options.cacheDirectory(variables).resolve("native").toAbsolutePath();
        try {
            Files.createDirectories(directory);
            if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
            removeKilledRunsLeftovers(directory);
            System.setProperty(SQLITE_TMPDIR, directory.toString());
        } catch (IOException | RuntimeException e) {
            // keep the default location
        }
    }

    private static @Nullable Path cacheDirArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--cache-dir") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--cache-dir=")) {
                return Path.of(args[i].substring("--cache-dir=".length()));
            }
        }
        return null;
    }

    /** Deleting a library another run has loaded is harmless: it stays mapped until that run ends. */
    private static void removeKilledRunsLeftovers(Path directory) throws IOException {
        FileTime cutoff = FileTime.from(Instant.now().minus(NATIVE_LEFTOVER_AGE));
        try (var files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().startsWith("sqlite-")
                        && Files.getLastModifiedTime(file).compareTo(cutoff) < 0) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        // in use where that forbids deletion; the next run tries again
                    }
                }
            }
        }
    }
}
