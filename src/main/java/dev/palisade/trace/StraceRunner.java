package dev.palisade.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Runs strace: {@code -f} (the whole process tree), {@code -yy} (fds printed with their paths and socket
 * addresses, {@code AT_FDCWD} with the directory), {@code -s 0} (no buffer contents: paths are printed in
 * full whatever the string limit), personality changes kept. The output goes to a file in a private
 * temporary directory and is read as a stream once strace ends.
 */
public final class StraceRunner {
    /** How to get strace, in the words a user can act on. */
    public static final String INSTALL_HINT =
            "strace is required: install it (Debian/Ubuntu: apt-get install strace; Fedora/RHEL: dnf install strace;"
                    + " Alpine: apk add strace)";

    private final Path strace;

    private StraceRunner(Path strace) {
        this.strace = strace;
    }

    /** Thrown when strace cannot be found on the search path. */
    public static final class StraceMissingException extends Exception {
        private static final long serialVersionUID = 1L;

        StraceMissingException() {
            super(INSTALL_HINT);
        }
    }

    /** Finds strace in the directories of {@code searchPath} (a PATH value). */
    public static StraceRunner find(String searchPath) throws StraceMissingException {
        for (String directory : searchPath.split(":")) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, "strace");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return new StraceRunner(candidate);
            }
        }
        throw new StraceMissingException();
    }

    /** What a traced run ended with: the command's exit status (null when it was stopped or attached). */
    public record Run(TraceProfile profile, @Nullable Integer exitStatus, boolean stopped) {}

    List<String> straceArguments(Path output) {
        return new ArrayList<>(List.of(
                strace.toString(),
                "-f",
                "-yy",
                "-s",
                "0",
                "--quiet=attach,exit,path-resolution,thread-execve",
                "-o",
                output.toString()));
    }

    /**
     * Runs {@code command} under strace until it ends, or until {@code duration} passes (then the traced
     * processes are stopped).
     */
    public Run run(
            List<String> command,
            @Nullable Duration duration,
            Path workingDirectory,
            TraceRecorder recorder,
            Baseline baseline)
            throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("palisade-trace");
        try {
            Path output = directory.resolve("strace.out");
            List<String> arguments = straceArguments(output);
            arguments.add("--");
            arguments.addAll(command);
            Process process = new ProcessBuilder(arguments)
                    .directory(workingDirectory.toFile())
                    .inheritIO()
                    .start();
            long started = System.nanoTime();
            boolean stopped = false;
            if (duration == null) {
                process.waitFor();
            } else if (!process.waitFor(duration.toMillis(), TimeUnit.MILLISECONDS)) {
                stopped = true;
                // the traced processes end; strace follows them out and writes their last lines
                process.descendants().forEach(ProcessHandle::destroy);
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor();
                }
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            readOutput(output, recorder);
            TraceProfile profile =
                    recorder.profile(new TraceProfile.Traced(command.get(0), command.size() - 1, 0, millis), baseline);
            return new Run(profile, stopped ? null : process.exitValue(), stopped);
        } finally {
            deleteTree(directory);
        }
    }

    /** Attaches to {@code pid} and its threads and children for {@code duration}, then detaches. */
    public Run attach(long pid, Duration duration, TraceRecorder recorder, Baseline baseline)
            throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("palisade-trace");
        try {
            Path output = directory.resolve("strace.out");
            List<String> arguments = straceArguments(output);
            arguments.add("-p");
            arguments.add(Long.toString(pid));
            Process process = new ProcessBuilder(arguments).inheritIO().start();
            long started = System.nanoTime();
            boolean ended = process.waitFor(duration.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroy(); // strace detaches on SIGTERM and the process runs on
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
            } else if (process.exitValue() != 0 && Files.size(output) == 0) {
                throw new IOException("strace could not attach to process " + pid
                        + " (does it exist, and may this user trace it? see /proc/sys/kernel/yama/ptrace_scope)");
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            readOutput(output, recorder);
            return new Run(recorder.profile(new TraceProfile.Traced("", 0, (int) pid, millis), baseline), null, !ended);
        } finally {
            deleteTree(directory);
        }
    }

    private static void readOutput(Path output, TraceRecorder recorder) throws IOException {
        if (!Files.exists(output)) {
            throw new IOException("strace wrote no trace (see its message above)");
        }
        try (InputStream in = Files.newInputStream(output)) {
            recorder.read(in);
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
