package dev.palisade.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where a report goes: stdout, or a file written atomically (a temporary file beside it, then moved over it), so
 * that a run that fails never leaves a truncated report in place of the last one. A symbolic link there is replaced
 * like a file, never followed (a link planted in a shared workspace cannot send the report over another file).
 * What is not a file is written into as it is, never replaced: {@code /dev/stdout} (and {@code /dev/fd/1}) is the
 * report on stdout, as if no {@code -o} were given; the system's other links under {@code /dev} and {@code /proc},
 * named pipes, sockets and devices are opened for writing (appending), as a shell's {@code >>} would. Writing into a
 * pipe waits for its reader, as the shell does.
 */
final class ReportOutput {
    private ReportOutput() {}

    /** What writes the report's bytes. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The names of this process's stdout. */
    private static final Set<Path> STDOUT =
            Set.of(Path.of("/dev/stdout"), Path.of("/dev/fd/1"), Path.of("/proc/self/fd/1"));

    /** Checks, before any scanning, that the report can be written there: a file (not a directory) in a writable directory. */
    static void check(@Nullable Path output) throws IOException {
        check(output, "--output");
    }

    /** The same check for a file another option names ({@code --suggest-policy}). */
    static void check(@Nullable Path output, String option) throws IOException {
        if (output == null || STDOUT.contains(normal(output))) {
            return;
        }
        if (Files.isDirectory(output)) {
            throw new IOException(option + " " + output + ": is a directory");
        }
        if (inPlace(output)) {
            if (!Files.isWritable(output)) {
                throw new IOException(option + " " + output + ": cannot be written");
            }
            return;
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
            throw new IOException(option + " " + output + ": " + parent + " is not a directory");
        }
        if (parent != null && Files.isDirectory(parent) && !Files.isWritable(parent)) {
            throw new IOException(option + " " + output + ": cannot write in " + parent);
        }
    }

    static void write(@Nullable Path output, PrintStream stdout, Body body) throws IOException {
        write(output, stdout, body, "--output");
    }

    static void write(@Nullable Path output, PrintStream stdout, Body body, String option) throws IOException {
        if (output == null || STDOUT.contains(normal(output))) {
            OutputStream out = new BufferedOutputStream(stdout);
            body.writeTo(out);
            out.flush();
            return;
        }
        if (inPlace(output)) {
            try (OutputStream out = new BufferedOutputStream(
                    Files.newOutputStream(output, StandardOpenOption.WRITE, StandardOpenOption.APPEND))) {
                body.writeTo(out);
            } catch (IOException e) {
                throw new IOException(option + " " + output + ": cannot be written: " + e.getMessage(), e);
            }
            return;
        }
        Path target = output.toAbsolutePath();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
                body.writeTo(out);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw new IOException(option + " " + output + ": cannot be written: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    private static Path normal(Path output) {
        return output.toAbsolutePath().normalize();
    }

    /**
     * Written into, never replaced: a pipe, a socket or a device, and the system's links under {@code /dev} and
     * {@code /proc} to anything but a directory ({@code /dev/stderr}, {@code /dev/fd/3}: replacing them would replace
     * the system's link, whatever they lead to). A regular file, even in {@code /dev/shm}, is replaced atomically.
     */
    private static boolean inPlace(Path output) {
        if (!Files.exists(output, LinkOption.NOFOLLOW_LINKS)
                || Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS)
                || Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (Files.isSymbolicLink(output)) {
            Path path = normal(output);
            return path.startsWith("/dev") || path.startsWith("/proc");
        }
        return true;
    }
}
