package dev.palisade.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Found by a red-team pass: an upload that ran the heap out threw OutOfMemoryError out of the server's scheduled
 * tasks, and a scheduled executor then cancels the task for good, silently. A task made {@code surviving} logs the
 * error and runs again at its next time.
 */
class SchedulerSurvivalTest {

    @Test
    void shouldRunAgainAfterAnErrorThrownOutOfTheTask() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        ServerLog log = (level, message) -> warnings.add(message);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch third = new CountDownLatch(3);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            scheduler.scheduleWithFixedDelay(
                    PalisadeServer.surviving(log, "the test task", () -> {
                        third.countDown();
                        if (runs.incrementAndGet() == 1) {
                            throw new OutOfMemoryError("Java heap space");
                        }
                    }),
                    0,
                    10,
                    TimeUnit.MILLISECONDS);

            assertThat(third.await(10, TimeUnit.SECONDS)).as("ran three times").isTrue();
        } finally {
            scheduler.shutdownNow();
        }
        assertThat(warnings)
                .contains(
                        "the test task failed: java.lang.OutOfMemoryError: Java heap space; it runs again at its next time");
    }
}
