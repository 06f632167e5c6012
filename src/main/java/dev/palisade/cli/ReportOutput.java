package dev.palisade.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jspecify.annotations.Nullable;

/**
 * Where a report goes: stdout, or a file written atomically (a temporary file beside it, then
 * moved over it), so that a run that fails never leaves a truncated report in place of the last one. What is no
 * regular file ({@code /dev/stdout}, a named pipe, {@code >(gzip > r.gz)}) is written to as it is, never replaced;
 * a symbolic link to a report is followed, and the link kept.
 */
final class ReportOutput {
    private ReportOutput() {}

    /** What writes the report's bytes. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Checks, before any scanning, that the report can be written there: a file (not a directory) in a writable directory. */
    static void check(@Nullable Path output) throws IOException {
        check(output, "--output");
    }

    /** The same check for a file another option names ({@code --suggest-policy}). */
    static void check(@Nullable Path output, String option) throws IOException {
        if (output == null) {
            return;
        }
        if (Files.isDirectory(output)) {
            throw new IOException(option + " " + output + ": is a directory");
        }
        if (isStream(output)) {
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
        if (output == null) {
            OutputStream out = new BufferedOutputStream(stdout);
            body.writeTo(out);
            out.flush();
            return;
        }
        if (isStream(output)) {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output))) {
                body.writeTo(out);
            } catch (IOException e) {
                throw new IOException(option + " " + output + ": cannot be written: " + e.getMessage(), e);
            }
            return;
        }
        Path target = Files.isSymbolicLink(output) && Files.isRegularFile(output)
                ? output.toRealPath()
                : output.toAbsolutePath();
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

    /** Something that exists and is neither a regular file nor a directory: a terminal, a pipe, a device. */
    private static boolean isStream(Path output) {
        return Files.exists(output) && !Files.isRegularFile(output) && !Files.isDirectory(output);
    }
}
