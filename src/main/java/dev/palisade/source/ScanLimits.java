package dev.palisade.source;

import java.time.Duration;
import java.util.Objects;

/**
 * Every bound a reader obeys while it opens an attacker-controlled artifact. Exceeding one is a
 * located, reported {@link Problem}, never a crash and never a silent skip.
 *
 * @param maxFileBytes largest single file (or archive member) a cataloger may read
 * @param maxMetadataBytes largest manifest, image config, index or small metadata member
 * @param maxEntries entries in one artifact, over all layers and nested archives
 * @param maxTotalBytes uncompressed bytes read from one artifact
 * @param maxArchiveDepth how deep archives may nest inside archives (a jar in a jar is depth 2)
 * @param maxSymlinkHops symbolic links followed while resolving one path
 * @param timeout wall-clock time one scan may take
 * @param deadline when the running scan must stop: {@link Deadline#none()} until {@link #started()}
 */
public record ScanLimits(
        long maxFileBytes,
        long maxMetadataBytes,
        long maxEntries,
        long maxTotalBytes,
        int maxArchiveDepth,
        int maxSymlinkHops,
        Duration timeout,
        Deadline deadline) {

    public static final long MIB = 1024L * 1024L;

    public ScanLimits {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(deadline, "deadline");
        requirePositive(maxFileBytes, "maxFileBytes");
        requirePositive(maxMetadataBytes, "maxMetadataBytes");
        requirePositive(maxEntries, "maxEntries");
        requirePositive(maxTotalBytes, "maxTotalBytes");
        requirePositive(maxArchiveDepth, "maxArchiveDepth");
        requirePositive(maxSymlinkHops, "maxSymlinkHops");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** The documented defaults (docs/limits.md). */
    public static ScanLimits defaults() {
        return new ScanLimits(
                64 * MIB, 8 * MIB, 5_000_000, 64L * 1024 * MIB, 5, 40, Duration.ofMinutes(30), Deadline.none());
    }

    public ScanLimits withMaxFileBytes(long bytes) {
        return new ScanLimits(
                bytes, maxMetadataBytes, maxEntries, maxTotalBytes, maxArchiveDepth, maxSymlinkHops, timeout, deadline);
    }

    public ScanLimits withMaxTotalBytes(long bytes) {
        return new ScanLimits(
                maxFileBytes, maxMetadataBytes, maxEntries, bytes, maxArchiveDepth, maxSymlinkHops, timeout, deadline);
    }

    public ScanLimits withMaxEntries(long entries) {
        return new ScanLimits(
                maxFileBytes,
                maxMetadataBytes,
                entries,
                maxTotalBytes,
                maxArchiveDepth,
                maxSymlinkHops,
                timeout,
                deadline);
    }

    public ScanLimits withMaxArchiveDepth(int depth) {
        return new ScanLimits(
                maxFileBytes, maxMetadataBytes, maxEntries, maxTotalBytes, depth, maxSymlinkHops, timeout, deadline);
    }

    public ScanLimits withTimeout(Duration duration) {
        return new ScanLimits(
                maxFileBytes,
                maxMetadataBytes,
                maxEntries,
                maxTotalBytes,
                maxArchiveDepth,
                maxSymlinkHops,
                duration,
                deadline);
    }

    /** The same limits with the timeout's clock started now: the deadline every reader of this scan checks. */
    public ScanLimits started() {
        return new ScanLimits(
                maxFileBytes,
                maxMetadataBytes,
                maxEntries,
                maxTotalBytes,
                maxArchiveDepth,
                maxSymlinkHops,
                timeout,
                Deadline.after(timeout));
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
