package dev.palisade.trace;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a traced run needed, as {@code palisade trace --output} writes it (documented in docs/trace.md).
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param traced what was traced: the program, or the process id attached to
 * @param architectures the seccomp architectures the calls were made through ({@code SCMP_ARCH_X86_64})
 * @param syscalls each system call seen, per architecture, with how often it ran and failed
 * @param baseline calls allowed although the trace did not need to see them, each with the reason
 * @param unknownSyscalls calls strace could only print by number ({@code syscall_0x1c2})
 * @param writes the paths written to (created, truncated, removed, renamed, metadata changed)
 * @param filesystem whether the root file system can be read-only, and what must stay writable
 * @param listening the ports served
 * @param connections the network destinations connected or sent to
 * @param unixSockets the unix socket paths connected to or bound
 * @param programs the programs the traced processes ran ({@code execve} that succeeded), as absolute paths
 * @param capabilities the capabilities the privileged operations seen need
 * @param completeness how much of the trace was read, and what was left out
 */
public record TraceProfile(
        int formatVersion,
        Traced traced,
        List<String> architectures,
        List<SyscallUse> syscalls,
        List<BaselineSyscall> baseline,
        List<String> unknownSyscalls,
        List<PathWrite> writes,
        Filesystem filesystem,
        List<Endpoint> listening,
        List<Endpoint> connections,
        List<String> unixSockets,
        List<String> programs,
        List<CapabilityNeed> capabilities,
        Completeness completeness) {

    public static final int FORMAT_VERSION = 1;

    public TraceProfile {
        architectures = List.copyOf(architectures);
        syscalls = List.copyOf(syscalls);
        baseline = List.copyOf(baseline);
        unknownSyscalls = List.copyOf(unknownSyscalls);
        writes = List.copyOf(writes);
        listening = List.copyOf(listening);
        connections = List.copyOf(connections);
        unixSockets = List.copyOf(unixSockets);
        programs = List.copyOf(programs);
        capabilities = List.copyOf(capabilities);
    }

    /**
     * What was traced: the program run (its arguments are not kept: they may hold secrets) and how many
     * arguments it had, or the process attached to ({@code pid}, 0 when a command was run).
     */
    public record Traced(String program, int arguments, int pid, long durationMillis) {}

    /** A system call seen on one architecture: how often it ran, and how often it failed. */
    public record SyscallUse(String name, String architecture, long count, long failures) {}

    /** A call allowed by the learned seccomp profile although the trace did not show it. */
    public record BaselineSyscall(String name, String reason) {}

    /**
     * A path written to.
     *
     * @param operations what was done ({@code open-write}, {@code create}, {@code mkdir}, {@code unlink},
     *     {@code rename}, {@code link}, {@code chmod}, {@code chown}, {@code truncate}, {@code mknod},
     *     {@code bind})
     * @param failures how many of the calls failed
     */
    public record PathWrite(String path, List<String> operations, long count, long failures) {
        public PathWrite {
            operations = List.copyOf(operations);
        }
    }

    /**
     * @param readOnlyRootFilesystem true when the run wrote nothing on the root file system, or wrote only
     *     below the {@link #mounts} listed
     * @param mounts the directories that must stay writable: {@code tmpfs} for scratch space, {@code
     *     volume} for the rest
     */
    public record Filesystem(boolean readOnlyRootFilesystem, List<Mount> mounts) {
        public Filesystem {
            mounts = List.copyOf(mounts);
        }
    }

    /** A directory that must stay writable, and how ({@code tmpfs} or {@code volume}). */
    public record Mount(String path, String kind) {}

    /** A network endpoint: {@code tcp}/{@code udp}, an address (IPv4 or IPv6), a port. */
    public record Endpoint(String protocol, String address, int port) {}

    /** A capability and the first operation seen that needs it. */
    public record CapabilityNeed(String capability, String syscall, String evidence, long count) {}

    /**
     * @param lines the lines of strace's output read
     * @param skippedLines lines that were not strace's shape, or longer than the limit
     * @param notes what could not be recorded (a limit reached, calls whose start was lost)
     */
    public record Completeness(long lines, long skippedLines, List<String> notes) {
        public Completeness {
            notes = List.copyOf(notes);
        }

        public boolean complete() {
            return skippedLines == 0 && notes.isEmpty();
        }
    }

    /** The allowed names for an architecture: the calls seen on it and the baseline. */
    public List<String> allowedSyscalls(@Nullable String architecture) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        for (SyscallUse use : syscalls) {
            if (architecture == null || use.architecture().equals(architecture)) {
                names.add(use.name());
            }
        }
        baseline.forEach(b -> names.add(b.name()));
        return List.copyOf(names);
    }
}
