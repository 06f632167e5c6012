package dev.palisade.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a report goes: stdout, or a file written atomically (a temporary file beside it, then moved over it), so
 * that a run that fails never leaves a truncated report in place of the last one. A symbolic link there is replaced
 * like a file, never followed (a link planted in a shared workspace cannot send the report over another file).
 * Only what is no file is written into: {@code /dev/stdout} (also as {@code /dev/fd/1}) is stdout, as if no
 * {@code -o} were given; another of this process's descriptors ({@code >(gzip > r.gz)} is {@code /dev/fd/63}), a
 * named pipe or a device is opened for writing, appending, as a shell's {@code >>} would (a pipe waits for its
 * reader, as the shell does). {@code /dev/stderr}, sockets, directories and the system's other links under
 * {@code /dev} and {@code /proc} are refused before the scan.
 */
final class ReportOutput {
    private ReportOutput() {}

    /** What writes the report's bytes. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** One of a process's descriptors, as {@code /dev/fd/N} (after its link) or {@code /proc/PID/fd/N}. */
    private static final Pattern DESCRIPTOR = Pattern.compile("/proc/(self|thread-self|[0-9]+)/fd/([0-9]+)");

    private enum Kind {
        STDOUT,
        /** Written into, appending: another descriptor of this process, a named pipe, a device. */
        IN_PLACE,
        /** Written beside and moved over (a regular file, nothing yet, or a link to replace). */
        FILE
    }

    /** Where the report goes, and the path to open for it. */
    private record Target(Kind kind, Path path) {}

    /** Checks, before any scanning, that the report can be written there: a file (not a directory) in a writable directory. */
    static void check(@Nullable Path output) throws IOException {
        check(output, "--output");
    }

    /** The same check for a file another option names ({@code --suggest-policy}). */
    static void check(@Nullable Path output, String option) throws IOException {
        if (output == null) {
            return;
        }
        Target target = target(output, option);
        if (target.kind() == Kind.IN_PLACE && !Files.isWritable(target.path())) {
            throw new IOException(option + " " + output + ": cannot be written");
        }
        if (target.kind() == Kind.FILE) {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
                throw new IOException(option + " " + output + ": " + parent + " is not a directory");
            }
            if (parent != null && Files.isDirectory(parent) && !Files.isWritable(parent)) {
                throw new IOException(option + " " + output + ": cannot write in " + parent);
            }
        }
    }

    static void write(@Nullable Path output, PrintStream stdout, Body body) throws IOException {
        write(output, stdout, body, "--output");
    }

    static void write(@Nullable Path output, PrintStream stdout, Body body, String option) throws IOException {
        Target target = output == null ? new Target(Kind.STDOUT, Path.of("-")) : target(output, option);
        switch (target.kind()) {
            case STDOUT -> {
                OutputStream out = new BufferedOutputStream(stdout);
                body.writeTo(out);
                out.flush();
            }
            case IN_PLACE -> {
                // a descriptor's name is a link the kernel resolves; a pipe or device is opened as it is, not through
                // a link put there since the check
                LinkOption[] links =
                        DESCRIPTOR.matcher(target.path().toString()).matches()
                                ? new LinkOption[0]
                                : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
                try (OutputStream out =
                        new BufferedOutputStream(Files.newOutputStream(target.path(), options(links)))) {
                    body.writeTo(out);
                } catch (IOException e) {
                    throw new IOException(option + " " + output + ": cannot be written: " + e.getMessage(), e);
                }
            }
            case FILE -> replace(target.path(), body, option + " " + output);
        }
    }

    private static java.nio.file.OpenOption[] options(LinkOption[] links) {
        java.nio.file.OpenOption[] options = new java.nio.file.OpenOption[2 + links.length];
        options[0] = StandardOpenOption.WRITE;
        options[1] = StandardOpenOption.APPEND;
        System.arraycopy(links, 0, options, 2, links.length);
        return options;
    }

    private static void replace(Path target, Body body, String what) throws IOException {
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
            throw new IOException(what + ": cannot be written: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /**
     * What {@code output} is, judged by where it really is (its directory's links resolved, not its own): so that
     * {@code /tmp/d/stdout} with {@code /tmp/d -> /dev} is seen as {@code /dev/stdout}, and {@code /dev/fd/1} as
     * this process's descriptor 1.
     */
    private static Target target(Path output, String option) throws IOException {
        Path absolute = output.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        Path where = parent != null && absolute.getFileName() != null && Files.isDirectory(parent)
                ? parent.toRealPath().resolve(absolute.getFileName())
                : absolute;
        String name = where.toString();
        Matcher descriptor = DESCRIPTOR.matcher(name);
        if (descriptor.matches() && ownProcess(descriptor.group(1))) {
            return switch (descriptor.group(2)) {
                case "1" -> new Target(Kind.STDOUT, where);
                case "2" -> throw stderr(option, output);
                default -> new Target(Kind.IN_PLACE, where);
            };
        }
        if (name.equals("/dev/stdout")) {
            return new Target(Kind.STDOUT, where);
        }
        if (name.equals("/dev/stderr")) {
            throw stderr(option, output);
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(where, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return new Target(Kind.FILE, absolute);
        }
        if (attributes.isDirectory()) {
            throw new IOException(option + " " + output + ": is a directory");
        }
        if (attributes.isSymbolicLink() && (where.startsWith("/dev") || where.startsWith("/proc"))) {
            throw new IOException(option + " " + output + ": is a link of the system's (" + where
                    + "); name a file, or leave the option out for stdout");
        }
        if (attributes.isOther()) {
            Object mode = Files.getAttribute(where, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (mode instanceof Integer bits && (bits & 0170000) == 0140000) {
                throw new IOException(option + " " + output + ": is a socket");
            }
            return new Target(Kind.IN_PLACE, where);
        }
        return new Target(Kind.FILE, absolute);
    }

    private static boolean ownProcess(String process) {
        return process.equals("self")
                || process.equals("thread-self")
                || process.equals(String.valueOf(ProcessHandle.current().pid()));
    }

    private static IOException stderr(String option, Path output) {
        return new IOException(option + " " + output
                + ": is stderr, where Palisade's messages go; leave the option out for stdout, or name a file");
    }
}
