package dev.palisade.vulndb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.testing.Scans;
import dev.palisade.vulndb.sqlite.DatabaseUpdater;
import dev.palisade.vulndb.sqlite.SqliteVulnerabilityStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Oversized records and concurrent updates. */
class UpdateRobustnessTest {
    @TempDir
    Path tmp;

    @Test
    void shouldSkipAndCountARecordOverTheSizeLimit() throws Exception {
        Path mirror = tmp.resolve("osv");
        String huge = "{\"id\":\"GHSA-huge\",\"modified\":\"2026-01-01T00:00:00Z\",\"details\":\""
                + "a".repeat(17 * 1024 * 1024) + "\"}";
        GeneratedMirror.writeSource(
                mirror, "npm", List.of(GeneratedMirror.advisory("GHSA-small", "npm", "left-pad"), huge));

        DatabaseUpdater.Result result = new DatabaseUpdater(tmp.resolve("cache"), Scans.FIXED, m -> {})
                .update(new DirectoryMirror(mirror), null, null, List.of("npm"), false);

        assertThat(result.sources()).singleElement().satisfies(s -> {
            assertThat(s.records()).isEqualTo(1);
            assertThat(s.malformed()).isEqualTo(1);
            assertThat(s.malformedExamples()).singleElement().satisfies(e -> assertThat(e)
                    .startsWith("record-1.json: "));
        });
    }

    /** A mirror whose first fetch waits until the test lets it go, to hold the update lock. */
    static final class HeldMirror implements Mirror {
        final Mirror delegate;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        HeldMirror(Mirror delegate) {
            this.delegate = delegate;
        }

        @Override
        public String location() {
            return delegate.location();
        }

        @Override
        public List<String> ecosystems() throws IOException {
            return delegate.ecosystems();
        }

        @Override
        public Fetch fetch(String path, @Nullable Validators previous, Path downloads) throws IOException {
            entered.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("the test never released the mirror");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return delegate.fetch(path, previous, downloads);
        }
    }

    @Test
    void shouldWaitForAnotherUpdateInsteadOfFailing() throws Exception {
        Path mirror = tmp.resolve("osv");
        GeneratedMirror.writeSource(mirror, "npm", List.of(GeneratedMirror.advisory("GHSA-small", "npm", "left-pad")));
        Path cache = tmp.resolve("cache");
        HeldMirror held = new HeldMirror(new DirectoryMirror(mirror));
        List<String> secondProgress = new CopyOnWriteArrayList<>();

        CompletableFuture<DatabaseUpdater.Result> first =
                CompletableFuture.supplyAsync(() -> update(new DatabaseUpdater(cache, Scans.FIXED, m -> {}), held));
        CompletableFuture<DatabaseUpdater.Result> second;
        boolean secondDoneWhileFirstHeld;
        try {
            assertThat(held.entered.await(30, TimeUnit.SECONDS)).isTrue();
            second = CompletableFuture.supplyAsync(() ->
                    update(new DatabaseUpdater(cache, Scans.FIXED, secondProgress::add), new DirectoryMirror(mirror)));
            Thread.sleep(500);
            secondDoneWhileFirstHeld = second.isDone();
        } finally {
            held.release.countDown();
        }

        assertThat(secondDoneWhileFirstHeld)
                .as("the second update waits for the first")
                .isFalse();
        assertThat(first.get(30, TimeUnit.SECONDS).rebuilt()).isTrue();
        assertThat(second.get(30, TimeUnit.SECONDS).rebuilt())
                .as("the first one built it")
                .isFalse();
        assertThat(secondProgress).anySatisfy(m -> assertThat(m).startsWith("waiting for another Palisade process"));
        try (SqliteVulnerabilityStore store =
                SqliteVulnerabilityStore.open(cache.resolve(DatabaseUpdater.DATABASE_FILE))) {
            assertThat(store.advisories("npm", "left-pad"))
                    .extracting(Advisory::id)
                    .containsExactly("GHSA-small");
        }
    }

    @Test
    void shouldGiveUpWaitingAfterTheLockTimeout() throws Exception {
        Path mirror = tmp.resolve("osv");
        GeneratedMirror.writeSource(mirror, "npm", List.of(GeneratedMirror.advisory("GHSA-small", "npm", "left-pad")));
        Path cache = tmp.resolve("cache");
        HeldMirror held = new HeldMirror(new DirectoryMirror(mirror));
        CompletableFuture<DatabaseUpdater.Result> first =
                CompletableFuture.supplyAsync(() -> update(new DatabaseUpdater(cache, Scans.FIXED, m -> {}), held));
        try {
            assertThat(held.entered.await(30, TimeUnit.SECONDS)).isTrue();
            DatabaseUpdater impatient =
                    new DatabaseUpdater(cache, Scans.FIXED, m -> {}, Duration.ofMillis(300), m -> {});

            long start = System.nanoTime();
            assertThatThrownBy(() -> impatient.update(new DirectoryMirror(mirror), null, null, List.of("npm"), false))
                    .hasMessageStartingWith("another Palisade process is still updating the database");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        } finally {
            held.release.countDown();
            first.get(30, TimeUnit.SECONDS);
        }
    }

    static DatabaseUpdater.Result update(DatabaseUpdater updater, Mirror mirror) {
        try {
            return updater.update(mirror, null, null, List.of("npm"), false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
