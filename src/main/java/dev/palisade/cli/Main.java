package dev.palisade.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The command-line entry point. */
public final class Main {
    /** Read by sqlite-jdbc when the first connection unpacks its native library (default: {@code java.io.tmpdir}). */
    static final String SQLITE_TMPDIR = "org.sqlite.tmpdir";
    /** Where sqlite-jdbc loads its native library from, when set, instead of unpacking a copy of its own. */
    static final String SQLITE_LIBRARY_PATH = "org.sqlite.lib.path";

    static final String SQLITE_LIBRARY_NAME = "org.sqlite.lib.name";
    /**
     * Where zstd-jni loads its native library from, when set, instead of unpacking a copy into {@code
     * java.io.tmpdir} (which a killed run leaves there) on the first zstd-compressed layer or zip member.
     */
    static final String ZSTD_LIBRARY_PATH = "ZstdNativePath";
    /** Unpacked copies older than this belong to runs that were killed: a clean exit deletes its own. */
    static final Duration NATIVE_LEFTOVER_AGE = Duration.ofDays(1);

    private Main() {}

    public static void main(String[] args) {
        int exit;
        try {
            StartupWarmUp.start(args);
            if (!PalisadeCommand.onlyAsksForVersion(args)) {
                HeapFootprint.start(HeapFootprint.START_AFTER_MILLIS);
            }
            Environment environment = Environment.system();
            unpackNativeLibrariesIntoTheCache(args, environment.variables());
            exit = run(environment, args);
            if (AotTraining.wanted()) {
                AotTraining.loadListedClasses();
            }
        } catch (OutOfMemoryError e) {
            System.err.println(
                    "palisade: error: out of memory: the artifact needs more than this Java heap "
                            + "(with ./palisade raise it with PALISADE_HEAP, e.g. PALISADE_HEAP=2g; with java -jar with -Xmx; or lower --max-file-size / --max-entries)");
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
        if (PalisadeCommand.onlyAsksForVersion(args) && !PalisadeCommand.readsSettingsFile(environment, args)) {
            // what picocli would print, without building its model of the command line first
            for (String line : new PalisadeCommand.VersionProvider(environment).getVersion()) {
                environment.out().println(line);
            }
            environment.out().flush();
            return PalisadeCommand.EXIT_OK;
        }
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
     * {@code /tmp} for good, and every run pays for the copy (about 60 ms of start-up). Here the library is unpacked
     * once into {@code <cache>/native}, under a name that says which build it is, and loaded from there
     * ({@code org.sqlite.lib.path}); sqlite-jdbc's own copies, should it still make one, go to the same directory
     * ({@code org.sqlite.tmpdir}) and killed runs' leftovers are removed. The properties are global to the JVM and
     * read once, so they are set here, in the process's entry point, before any command opens a database (image
     * scans open an rpmdb before the vulnerability database); the library code never sets them, so programs
     * embedding Palisade keep control. zstd-jni's library, which it would copy into {@code java.io.tmpdir} on every
     * run that reads a zstd layer, goes to the same directory ({@code ZstdNativePath}). Where the cache cannot be
     * written, the libraries' defaults are kept: scanning matters more.
     */
    static void unpackNativeLibrariesIntoTheCache(String[] args, Map<String, String> variables) {
        // a library whose location whoever started the JVM chose is left where they put it; the other still moves
        boolean sqliteChosen =
                System.getProperty(SQLITE_TMPDIR) != null || System.getProperty(SQLITE_LIBRARY_PATH) != null;
        boolean zstdChosen = System.getProperty(ZSTD_LIBRARY_PATH) != null;
        if (sqliteChosen && zstdChosen) {
            return;
        }
        DatabaseOptions options = new DatabaseOptions();
        options.cacheDir = cacheDirArgument(args);
        Path directory = options.cacheDirectory(variables).resolve("native").toAbsolutePath();
        try {
            Files.createDirectories(directory);
            if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
            if (!sqliteChosen) {
                System.setProperty(SQLITE_TMPDIR, directory.toString());
            }
            Path library = sqliteChosen ? null : unpackedSqliteLibrary(directory);
            Path zstd = zstdChosen ? null : unpackedZstdLibrary(directory);
            removeKilledRunsLeftovers(directory, sqliteChosen, library, zstdChosen, zstd);
            if (library != null) {
                System.setProperty(SQLITE_LIBRARY_PATH, directory.toString());
                System.setProperty(SQLITE_LIBRARY_NAME, library.getFileName().toString());
            }
            if (zstd != null) {
                System.setProperty(ZSTD_LIBRARY_PATH, zstd.toString());
            }
        } catch (IOException | RuntimeException e) {
            // keep the default location
        }
    }

    /**
     * {@code <directory>/libsqlitejdbc-<version>-<os>-<arch>.so} (the name sqlite-jdbc gives the library, with what
     * tells builds apart), unpacked from the jar when it is not there yet: written beside and moved into place, so
     * that a run never loads half a file another run is writing. Null when the jar holds no library for this
     * platform (sqlite-jdbc then looks on the system's library path, as it always does).
     */
    static @Nullable Path unpackedSqliteLibrary(Path directory) throws IOException {
        String name = org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
        int dot = name.lastIndexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        String suffix = dot < 0 ? "" : name.substring(dot);
        String build = org.sqlite.SQLiteJDBCLoader.getVersion() + "-" + System.getProperty("os.name") + "-"
                + System.getProperty("os.arch") + (musl() ? "-musl" : "");
        Path library = directory.resolve(stem + "-" + build.replaceAll("[^A-Za-z0-9._-]", "_") + suffix);
        // sqlite-jdbc finds its resource folder by running `uname -o` (OSInfo.isAndroidTermux): only when unpacking
        return unpacked(
                org.sqlite.SQLiteJDBCLoader.class,
                () -> org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name,
                library);
    }

    /**
     * {@code <directory>/libzstd-jni-<version>-<os>-<arch>.so}, unpacked from the jar when it is not there yet, as
     * {@link #unpackedSqliteLibrary} does. Null where zstd-jni is left to find its library itself: other than Linux,
     * or musl (its jar has no build for musl), or no library in the jar for this processor.
     */
    static @Nullable Path unpackedZstdLibrary(Path directory) throws IOException {
        if (!"linux".equalsIgnoreCase(System.getProperty("os.name")) || musl()) {
            return null;
        }
        String arch = System.getProperty("os.arch");
        String name = "libzstd-jni-" + com.github.luben.zstd.util.ZstdVersion.VERSION + ".so";
        String build = com.github.luben.zstd.util.ZstdVersion.VERSION + "-Linux-" + arch;
        return unpacked(
                com.github.luben.zstd.util.Native.class,
                () -> "/linux/" + arch + "/" + name,
                directory.resolve("libzstd-jni-" + build.replaceAll("[^A-Za-z0-9._-]", "_") + ".so"));
    }

    /**
     * The resource {@code resource} names (asked for only when unpacking), written beside {@code library} and moved
     * into place when it is not there yet.
     */
    private static @Nullable Path unpacked(Class<?> owner, Supplier<String> resource, Path library) throws IOException {
        if (Files.isRegularFile(library)) {
            return library;
        }
        try (InputStream in = owner.getResourceAsStream(resource.get())) {
            if (in == null) {
                return null;
            }
            Path partial = Files.createTempFile(library.getParent(), "unpacking-", ".so");
            try {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
        }
        return library;
    }

    /** A musl C library (Alpine): sqlite-jdbc ships a separate build of its library for it. */
    private static boolean musl() {
        return Files.exists(Path.of("/etc/alpine-release"))
                || Files.exists(Path.of("/lib/ld-musl-x86_64.so.1"))
                || Files.exists(Path.of("/lib/ld-musl-aarch64.so.1"));
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

    /**
     * Copies killed runs left behind, and libraries of other sqlite-jdbc or zstd-jni builds, once a day old; not the
     * files of a library whose location was chosen when the JVM started. Deleting a library another run has loaded
     * is harmless: it stays mapped until that run ends.
     */
    private static void removeKilledRunsLeftovers(
            Path directory, boolean sqliteChosen, @Nullable Path keep, boolean zstdChosen, @Nullable Path keepZstd)
            throws IOException {
        FileTime cutoff = FileTime.from(Instant.now().minus(NATIVE_LEFTOVER_AGE));
        try (var files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                boolean sqliteLeftover = !sqliteChosen
                        && (name.startsWith("sqlite-") || (name.startsWith("libsqlitejdbc-") && !file.equals(keep)));
                boolean zstdLeftover = !zstdChosen && name.startsWith("libzstd-jni-") && !file.equals(keepZstd);
                if ((sqliteLeftover || zstdLeftover || name.startsWith("unpacking-"))
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
