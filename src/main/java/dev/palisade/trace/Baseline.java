package dev.palisade.trace;

import dev.palisade.trace.TraceProfile.BaselineSyscall;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * System calls a learned profile allows although the trace may not show them (docs/trace.md explains
 * each list).
 */
public enum Baseline {
    /** Only the lifecycle calls: for a systemd service, which adds its own start-up calls implicitly. */
    SYSTEMD,
    /** Lifecycle calls and what the container runtime runs after loading the filter (runc). */
    CONTAINER,
    /** Nothing beyond what was seen. */
    NONE;

    /** Every process must be able to start, end and return from a signal handler, on any path. */
    static final List<String> LIFECYCLE = List.of("execve", "exit", "exit_group", "restart_syscall", "rt_sigreturn");

    /**
     * What runc (a Go program) does between loading the seccomp filter and exec'ing the workload: drop
     * capabilities and change user (when the filter loads before that, without no_new_privs), change to
     * the working directory, find the executable, signal the parent over a pipe, and its Go runtime's
     * scheduling, memory and signal calls.
     */
    static final List<String> CONTAINER_RUNTIME = List.of(
            "capget",
            "capset",
            "chdir",
            "close",
            "epoll_ctl",
            "epoll_pwait",
            "faccessat2",
            "fcntl",
            "fstat",
            "futex",
            "getpid",
            "getppid",
            "gettid",
            "madvise",
            "mmap",
            "munmap",
            "nanosleep",
            "newfstatat",
            "openat",
            "prctl",
            "read",
            "rt_sigaction",
            "rt_sigprocmask",
            "sched_yield",
            "setgroups",
            "setresgid",
            "setresuid",
            "sigaltstack",
            "tgkill",
            "write");

    /**
     * What the dynamic loader and the C library run at start, before an attached trace ({@code --pid})
     * could see anything.
     */
    static final List<String> PROCESS_START = List.of(
            "access",
            "arch_prctl",
            "brk",
            "close",
            "execve",
            "fstat",
            "getrandom",
            "mmap",
            "mprotect",
            "munmap",
            "newfstatat",
            "openat",
            "pread64",
            "prlimit64",
            "read",
            "rseq",
            "set_robust_list",
            "set_tid_address");

    /** The baseline entries for a trace that saw {@code seen}; calls already seen are not repeated. */
    List<BaselineSyscall> entries(boolean attached, java.util.Set<String> seen) {
        java.util.Map<String, String> reasons = new java.util.TreeMap<>();
        if (this != NONE) {
            LIFECYCLE.forEach(n -> reasons.putIfAbsent(n, "lifecycle: start, exit and signal return on any path"));
        }
        if (this == CONTAINER) {
            CONTAINER_RUNTIME.forEach(
                    n -> reasons.putIfAbsent(n, "container runtime: runs after the filter is loaded, before exec"));
        }
        if (attached) {
            PROCESS_START.forEach(n -> reasons.putIfAbsent(n, "process start: ran before the trace attached (--pid)"));
        }
        List<BaselineSyscall> entries = new ArrayList<>();
        reasons.forEach((name, reason) -> {
            if (!seen.contains(name)) {
                entries.add(new BaselineSyscall(name, reason));
            }
        });
        return entries;
    }

    public static Baseline parse(String text) {
        return Baseline.valueOf(text.strip().toUpperCase(Locale.ROOT));
    }
}
