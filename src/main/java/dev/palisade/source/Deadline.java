package dev.palisade.source;

import java.time.Duration;

/**
 * When a scan must stop (--timeout), on the monotonic clock. Readers check it as bytes pass and
 * between files; past it they throw {@link TimeLimitException}, which stops the artifact the way a
 * size limit does: results so far are kept and the scan is reported as cut short.
 */
public final class Deadline {
    private static final Deadline NONE = new Deadline(Long.MAX_VALUE, Duration.ZERO);

    private final long endNanos;
    private final Duration budget;

    private Deadline(long endNanos, Duration budget) {
        this.endNanos = endNanos;
        this.budget = budget;
    }

    /** A deadline that never passes: limits that have not been started. */
    public static Deadline none() {
        return NONE;
    }

    /** {@code budget} from now. */
    public static Deadline after(Duration budget) {
        long now = System.nanoTime();
        long nanos = budget.toNanos();
        return new Deadline(nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos, budget);
    }

    public boolean expired() {
        return endNanos != Long.MAX_VALUE && System.nanoTime() - endNanos > 0;
    }

    /** Throws once the deadline has passed; {@code what} names the work that was going on. */
    public void check(String what) throws TimeLimitException {
        if (expired()) {
            throw new TimeLimitException("the scan took longer than its timeout of " + describe(budget)
                    + " (--timeout) while reading " + what);
        }
    }

    /** The time left, zero once passed; {@link Duration#ofSeconds(long) Long.MAX_VALUE} seconds without a deadline. */
    public Duration remaining() {
        if (endNanos == Long.MAX_VALUE) {
            return Duration.ofSeconds(Long.MAX_VALUE);
        }
        long left = endNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    public Duration budget() {
        return budget;
    }

    static String describe(Duration d) {
        long seconds = d.toSeconds();
        return seconds >= 60 && seconds % 60 == 0
                ? seconds / 60 + "m"
                : d.toMillis() % 1000 == 0 ? seconds + "s" : d.toMillis() + "ms";
    }

    @Override
    public String toString() {
        return this == NONE ? "no deadline" : "deadline after " + describe(budget);
    }
}
