package dev.palisade.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Optional;

/**
 * Keeps a run's heap near what it holds alive, under {@code -XX:SoftMaxHeapSize}, for the serial collector, which
 * ignores that option. The serial collector grows its old generation up to {@code -Xmx} before it ever collects it,
 * so a scan that keeps 60 MB alive but promotes a few hundred megabytes of short-lived data over its run (file lists
 * of finished layers, central directories of finished jars) ends with all of {@code -Xmx} in memory. The launcher
 * sets {@code -Xmx} high enough for the largest file Palisade reads and a soft maximum for the usual case; this thread
 * watches the old generation and collects it when the heap would pass the soft maximum. When what stays alive after a
 * collection is itself near the limit (a huge lock file being read), the limit follows it upwards, to half as much
 * again as survived, so that collections stay proportional to the work and never run back to back; a raised limit is
 * looked at again a while later (ten times the collection's length, at least a second), and comes down once the data
 * is gone. Only a daemon thread is added: with another collector, with {@code -XX:+DisableExplicitGC}, or without a
 * soft maximum below {@code -Xmx}, nothing runs.
 */
final class HeapFootprint {
    static final String THREAD_NAME = "palisade-heap-footprint";
    /** How often the old generation is looked at: promotion runs at tens of megabytes a second at most. */
    static final long POLL_MILLIS = 20;
    /** How long a run goes before it is watched: it promotes tens of megabytes a second at most. */
    static final long START_AFTER_MILLIS = 1000;
    /** The least time between a collection and the next look at a raised limit. */
    static final long MIN_RECHECK_NANOS = 1_000_000_000L;

    private final MemoryPoolMXBean oldGeneration;
    /** The old generation's share of the soft maximum: the soft maximum less the young generation's most. */
    private final long baseLimit;

    private HeapFootprint(MemoryPoolMXBean oldGeneration, long baseLimit) {
        this.oldGeneration = oldGeneration;
        this.baseLimit = baseLimit;
    }

    /**
     * Starts the watch as a daemon thread, which first waits {@code delayMillis}: a short run ends before its old
     * generation could matter, and never loads the management classes that looking at the collector needs (25-45 ms
     * of CPU, beside a start-up that has two cores for itself and the compilers). After that it ends at once unless the
     * serial collector runs with a soft maximum below its maximum.
     */
    static Thread start(long delayMillis) {
        Thread thread = new Thread(
                () -> {
                    try {
                        Thread.sleep(delayMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                    forThisJvm().ifPresent(HeapFootprint::watch);
                },
                THREAD_NAME);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((failed, error) -> {}); // a failed watch leaves the collector as it is
        thread.start();
        return thread;
    }

    static Optional<HeapFootprint> forThisJvm() {
        long softMax = softMaxHeapSize();
        long max = Runtime.getRuntime().maxMemory();
        if (softMax <= 0 || softMax >= max) {
            return Optional.empty();
        }
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        MemoryPoolMXBean tenured = null;
        long young = 0;
        for (MemoryPoolMXBean pool : pools) {
            if (pool.getType() != MemoryType.HEAP) {
                continue;
            }
            switch (pool.getName()) {
                case "Tenured Gen" -> tenured = pool;
                case "Eden Space", "Survivor Space" ->
                    young += Math.max(0, pool.getUsage().getMax());
                default -> {
                    return Optional.empty(); // another collector: it keeps its own footprint
                }
            }
        }
        long base = softMax - young;
        if (tenured == null || base <= 0) {
            return Optional.empty();
        }
        return Optional.of(new HeapFootprint(tenured, base));
    }

    /** The soft maximum, or 0 when there is none to apply: not HotSpot, or collections cannot be asked for. */
    private static long softMaxHeapSize() {
        try {
            HotSpotDiagnosticMXBean diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (Boolean.parseBoolean(
                    diagnostics.getVMOption("DisableExplicitGC").getValue())) {
                return 0;
            }
            return Long.parseLong(diagnostics.getVMOption("SoftMaxHeapSize").getValue());
        } catch (RuntimeException e) {
            return 0; // not HotSpot, or no such option
        }
    }

    /**
     * The old generation's limit after a collection left {@code survived} bytes in it: the base limit, or half as
     * much again as survived when that is more. Each collection costs about what survives it, and the next one comes
     * only after at least half that much (or a third of the base limit) has been promoted, so collecting costs at
     * most about twice what promoting did; the look at a raised limit adds at most a tenth of the run.
     */
    static long nextLimit(long baseLimit, long survived) {
        return Math.max(baseLimit, survived + survived / 2);
    }

    private void watch() {
        long limit = baseLimit;
        long lastCollection = System.nanoTime();
        long recheckAfter = 0;
        while (true) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long used = oldGeneration.getUsage().getUsed();
            // a raised limit comes down only at a collection: once what raised it may be gone, look again, but no
            // sooner than ten times the last collection's length after it, so that a large live set costs at most
            // a tenth of the run
            boolean raisedAndStale =
                    limit > baseLimit && used > baseLimit && System.nanoTime() - lastCollection > recheckAfter;
            if (used > limit || raisedAndStale) {
                long started = System.nanoTime();
                System.gc();
                lastCollection = System.nanoTime();
                recheckAfter = Math.max(MIN_RECHECK_NANOS, 10 * (lastCollection - started));
                limit = nextLimit(baseLimit, oldGeneration.getUsage().getUsed());
            }
        }
    }
}
