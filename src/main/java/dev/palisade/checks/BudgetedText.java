package dev.palisade.checks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.jspecify.annotations.Nullable;

/**
 * Text that a regular expression reads through, which stops the match once its time is up. A pattern
 * that backtracks reads characters all the while, so checking the clock every few thousand reads bounds
 * the time of any pattern, however it was written. The clock is the thread's CPU time where the JVM
 * has one, so that a busy machine does not cut short a rule that would have finished.
 */
final class BudgetedText implements CharSequence {
    private static final int READS_BETWEEN_CHECKS = 4096;
    /** Looked up once: a rule's budget starts on every file it runs on. Null where CPU time is not measured. */
    private static final @Nullable ThreadMXBean THREADS = cpuTimeOfThreads();

    private final String text;
    private final long deadline;
    private int reads;

    /** Thrown out of a match whose time is up; without a stack trace, as it is expected and caught. */
    static final class OutOfTime extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfTime() {
            super("out of time", null, false, false);
        }
    }

    /** The current thread's CPU time in nanoseconds, or the wall clock where CPU time is not measured. */
    static long now() {
        return THREADS != null ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static @Nullable ThreadMXBean cpuTimeOfThreads() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads : null;
    }

    /** {@code deadlineNanos} on the clock of {@link #now()}. */
    BudgetedText(String text, long deadlineNanos) {
        this.text = text;
        this.deadline = deadlineNanos;
    }

    @Override
    public char charAt(int index) {
        if (++reads >= READS_BETWEEN_CHECKS) {
            reads = 0;
            if (now() - deadline > 0) {
                throw new OutOfTime();
            }
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.substring(start, end);
    }

    @Override
    public String toString() {
        return text;
    }
}
