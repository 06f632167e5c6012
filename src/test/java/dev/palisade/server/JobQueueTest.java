package dev.palisade.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job queue on the embedded store: leases, a dead worker's job taken over, no result stored twice. */
class JobQueueTest {
    private static final Duration LEASE = Duration.ofMinutes(10);

    @TempDir
    Path temp;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T10:00:00Z"));
    private HikariDataSource pool;
    private JobQueue jobs;

    @BeforeEach
    void open() throws Exception {
        pool = new Storage.Sqlite(temp.resolve("server.sqlite")).open();
        jobs = new JobQueue(pool, clock());
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private static JobQueue.NewJob image(String target) {
        return new JobQueue.NewJob(
                null, "shop", target, "container", "registry.example/app@sha256:" + "a".repeat(64), "1.0", null);
    }

    @Test
    void shouldQueueAnImageOnceWhileItIsQueuedOrRunning() throws Exception {
        assertThat(jobs.enqueue(image("web"))).isTrue();
        assertThat(jobs.enqueue(image("web"))).isFalse();
        assertThat(jobs.enqueue(image("api"))).isTrue();
        assertThat(jobs.depth()).isEqualTo(2);
    }

    @Test
    void shouldLetAnotherWorkerTakeOverAJobWhoseLeaseRanOutAndRefuseTheFirstWorkersResult() throws Exception {
        jobs.enqueue(image("web"));
        JobQueue.Job first = jobs.claim("a", LEASE).orElseThrow();
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(jobs.claim("b", LEASE)).isEmpty();

        now.set(now.get().plus(LEASE).plusSeconds(1)); // worker a died: nothing renewed its lease
        JobQueue.Job taken = jobs.claim("b", LEASE).orElseThrow();
        assertThat(taken.id()).isEqualTo(first.id());
        assertThat(taken.attempts()).isEqualTo(2);

        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            assertThat(jobs.complete(c, first.id(), "a", 1)).isFalse(); // a's late result is refused
            c.rollback();
        }
        assertThat(jobs.renew(first.id(), "a", LEASE)).isFalse();
        assertThat(jobs.renew(first.id(), "b", LEASE)).isTrue();
    }

    @Test
    void shouldRetryAFailedScanAfterABackOffThenFailForGood() throws Exception {
        jobs.enqueue(image("web"));
        for (int attempt = 1; attempt <= JobQueue.MAX_ATTEMPTS; attempt++) {
            JobQueue.Job job = jobs.claim("a", LEASE).orElseThrow();
            assertThat(job.attempts()).isEqualTo(attempt);
            boolean last = jobs.failed(job, "a", "registry unreachable", false);
            assertThat(last).isEqualTo(attempt == JobQueue.MAX_ATTEMPTS);
            assertThat(jobs.claim("a", LEASE)).as("not before the back-off").isEmpty();
            now.set(now.get().plus(Duration.ofMinutes(30)));
        }
        assertThat(jobs.claim("a", LEASE)).isEmpty();
        assertThat(jobs.list(JobQueue.State.FAILED, 0, 10)).singleElement().satisfies(j -> assertThat(j.error())
                .isEqualTo("registry unreachable"));
    }

    @Test
    void shouldPutBackTheJobsOfAStoppedOrDeadWorkerAtOnce() throws Exception {
        jobs.enqueue(image("web"));
        jobs.enqueue(image("api"));
        jobs.claim("a", LEASE).orElseThrow();
        jobs.claim("dead", LEASE).orElseThrow();
        assertThat(jobs.requeue("a")).isEqualTo(1);
        assertThat(jobs.requeueDead(worker -> worker.equals("dead"))).isEqualTo(1);
        JobQueue.Job again = jobs.claim("b", LEASE).orElseThrow();
        assertThat(again.attempts()).as("a stop is not a failed attempt").isEqualTo(1);
        assertThat(jobs.claim("b", LEASE)).isPresent();
    }

    @Test
    void shouldTellAProcessOfThisMachineThatIsGoneFromOneThatRuns() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        assertThat(PalisadeServer.deadHere(host + ":" + exited.pid() + ":x")).isTrue();
        assertThat(PalisadeServer.deadHere(host + ":" + ProcessHandle.current().pid() + ":x"))
                .isFalse();
        assertThat(PalisadeServer.deadHere("elsewhere.example:" + exited.pid() + ":x"))
                .isFalse();
        assertThat(PalisadeServer.deadHere("garbage")).isFalse();
    }

    private Clock clock() {
        return new Clock() {
            @Override
            public Instant instant() {
                return now.get();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
    }
}
