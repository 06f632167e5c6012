package dev.palisade.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes bytes through until a bound is reached, then fails with {@link LimitExceededException}
 * naming what was being read. Guards every read of attacker-controlled content.
 */
public final class LimitedInputStream extends FilterInputStream {
    /** How many bytes pass between two looks at the clock: a few microseconds of decompression. */
    private static final long DEADLINE_CHECK_BYTES = 256 * 1024;

    private final long limit;
    private final String what;
    private final boolean artifactWide;
    private final Deadline deadline;
    private long count;
    private long sinceDeadlineCheck;

    /** Bounds one file: exceeding it raises {@link LimitExceededException}. */
    public LimitedInputStream(InputStream in, long limit, String what) {
        this(in, limit, what, false, Deadline.none());
    }

    private LimitedInputStream(InputStream in, long limit, String what, boolean artifactWide, Deadline deadline) {
        super(in);
        this.limit = limit;
        this.what = what;
        this.artifactWide = artifactWide;
        this.deadline = deadline;
    }

    /** Bounds one file, and stops it with {@link TimeLimitException} once the scan's deadline passes. */
    public static LimitedInputStream withDeadline(InputStream in, long limit, String what, Deadline deadline) {
        return new LimitedInputStream(in, limit, what, false, deadline);
    }

    /** Bounds the artifact as a whole: exceeding it raises {@link ArtifactLimitException}. */
    public static LimitedInputStream artifactBudget(InputStream in, long limit, String what) {
        return new LimitedInputStream(in, limit, what, true, Deadline.none());
    }

    /** Bounds the artifact as a whole in bytes and in time: past the deadline, {@link TimeLimitException}. */
    public static LimitedInputStream artifactBudget(InputStream in, long limit, String what, Deadline deadline) {
        return new LimitedInputStream(in, limit, what, true, deadline);
    }

    /**
     * Reads the whole stream into memory, failing once more than {@code limit} bytes arrive. Memory grows with what
     * arrives, not with the limit: most files read this way are small.
     */
    public static byte[] readAll(InputStream in, long limit, String what) throws IOException {
        int cap = (int) Math.min(limit, MAX_ARRAY_LENGTH - 1) + 1;
        byte[] bytes = in.readNBytes(cap);
        if (bytes.length == cap) {
            throw new LimitExceededException(what + " is larger than the limit of " + (cap - 1) + " bytes");
        }
        return bytes;
    }

    /** The largest array the JVM allocates ({@code ArraysSupport.SOFT_MAX_ARRAY_LENGTH}). */
    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        if (skipped > 0) {
            advance(skipped);
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void advance(long n) throws IOException {
        count += n;
        sinceDeadlineCheck += n;
        if (sinceDeadlineCheck >= DEADLINE_CHECK_BYTES) {
            sinceDeadlineCheck = 0;
            deadline.check(what);
        }
        if (count > limit) {
            String message = what + " exceeds the limit of " + limit + " bytes";
            throw artifactWide ? new ArtifactLimitException(message) : new LimitExceededException(message);
        }
    }
}
