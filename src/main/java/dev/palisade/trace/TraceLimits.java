package dev.palisade.trace;

/**
 * Bounds on what a trace may make Palisade hold: strace's output is written by the traced program's
 * behaviour.
 *
 * @param maxLineChars a longer line is skipped (and counted)
 * @param maxDistinct the most distinct entries kept per kind (syscalls, paths, endpoints, unix sockets)
 * @param maxProcesses the most processes whose unfinished call, personality or directory is kept
 */
public record TraceLimits(int maxLineChars, int maxDistinct, int maxProcesses) {
    public static TraceLimits defaults() {
        return new TraceLimits(64 * 1024, 10_000, 65_536);
    }
}
