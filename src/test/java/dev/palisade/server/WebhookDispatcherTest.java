package dev.palisade.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.palisade.server.DeliveryLog.Attempt;
import dev.palisade.server.DeliveryLog.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deliveries to a real HTTP receiver on 127.0.0.1. */
class WebhookDispatcherTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "test-secret-0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private HttpServer server;
    private ExecutorService serverThreads;
    private final CountDownLatch release = new CountDownLatch(1);
    private final Map<String, BlockingQueue<Received>> requests = new ConcurrentHashMap<>();
    private final RecordingLog deliveryLog = new RecordingLog();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final List<WebhookDispatcher> dispatchers = new ArrayList<>();

    record Received(String uri, Headers headers, byte[] body, long nanos) {}

    record Reply(int status, Map<String, String> headers, String body) {
        static Reply of(int status) {
            return new Reply(status, Map.of(), "");
        }
    }

    /** Every attempt, and a queue of the final ones to wait on. */
    static final class RecordingLog implements DeliveryLog {
        final List<Attempt> attempts = new CopyOnWriteArrayList<>();
        final BlockingQueue<Attempt> finals = new LinkedBlockingQueue<>();
        final BlockingQueue<Attempt> all = new LinkedBlockingQueue<>();

        @Override
        public void record(Attempt attempt) {
            attempts.add(attempt);
            all.add(attempt);
            if (attempt.outcome().isFinal()) {
                finals.add(attempt);
            }
        }

        Attempt awaitFinal(String deliveryId) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                for (Attempt a : attempts) {
                    if (a.deliveryId().equals(deliveryId) && a.outcome().isFinal()) {
                        return a;
                    }
                }
                long left = deadline - System.nanoTime();
                assertThat(left)
                        .as("time left to wait for delivery " + deliveryId)
                        .isPositive();
                finals.poll(left, TimeUnit.NANOSECONDS); // woken by any final attempt
            }
        }

        Attempt awaitAny() throws InterruptedException {
            Attempt a = all.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(a).as("an attempt").isNotNull();
            return a;
        }

        /** The attempts that carried this event: a dropped delivery's id is known only from here. */
        List<Attempt> carrying(String eventId) {
            return attempts.stream().filter(a -> a.eventIds().contains(eventId)).toList();
        }

        List<Attempt> of(String deliveryId) {
            return attempts.stream()
                    .filter(a -> a.deliveryId().equals(deliveryId))
                    .toList();
        }
    }

    @BeforeEach
    void startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        dispatchers.forEach(WebhookDispatcher::close);
        server.stop(0);
        serverThreads.shutdownNow();
    }

    /** Answers the n-th request (from 0) to this path with {@code replies.apply(n)}. */
    private String receiver(String path, IntFunction<Reply> replies) {
        AtomicInteger count = new AtomicInteger();
        BlockingQueue<Received> queue = requests.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
        server.createContext(path, exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            queue.add(new Received(
                    exchange.getRequestURI().toString(), exchange.getRequestHeaders(), body, System.nanoTime()));
            reply(exchange, replies.apply(count.getAndIncrement()));
        });
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private String statuses(String path, int... statuses) {
        return receiver(path, n -> Reply.of(statuses[Math.min(n, statuses.length - 1)]));
    }

    private static void reply(HttpExchange exchange, Reply reply) throws IOException {
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private List<Received> received(String path) {
        return List.copyOf(requests.getOrDefault(path, new LinkedBlockingQueue<>()));
    }

    private static WebhookDispatcher.Settings settings(
            Duration requestTimeout,
            Duration initialDelay,
            int maxAttempts,
            Duration maxDelay,
            int capacity,
            Duration closeWait) {
        return new WebhookDispatcher.Settings(
                requestTimeout, requestTimeout, initialDelay, 2.0, maxAttempts, maxDelay, capacity, 2, closeWait);
    }

    private static WebhookDispatcher.Settings fast() {
        return settings(
                Duration.ofSeconds(2), Duration.ofMillis(5), 6, Duration.ofSeconds(1), 10, Duration.ofSeconds(2));
    }

    private WebhookDispatcher dispatcher(WebhookDispatcher.Settings settings) {
        WebhookDispatcher d = new WebhookDispatcher(settings, deliveryLog, Clock.systemUTC(), logLines::add);
        dispatchers.add(d);
        return d;
    }

    private static List<ServerEvent> events(String... ids) {
        List<ServerEvent> events = new ArrayList<>();
        for (String id : ids) {
            events.add(WebhookPayloadsTest.finding(id, ServerEvent.Type.FINDING_NEW, "shop", "CVE-2021-44228", "t"));
        }
        return events;
    }

    private static String only(WebhookDispatcher.Enqueued enqueued) {
        assertThat(enqueued.deliveryIds()).hasSize(1);
        assertThat(enqueued.dropped()).isZero();
        return enqueued.deliveryIds().get(0);
    }

    @Test
    void shouldRetryAfterServerErrorsAndDeliverSignedBodies() throws Exception {
        String url = statuses("/flaky", 500, 503, 200);
        WebhookDispatcher dispatcher = dispatcher(fast());

        String id = only(dispatcher.submit(Webhook.of(7, url, SECRET), events("e1", "e2")));

        Attempt last = deliveryLog.awaitFinal(id);
        assertThat(last.outcome()).isEqualTo(Outcome.DELIVERED);
        List<Attempt> attempts = deliveryLog.of(id);
        assertThat(attempts).extracting(Attempt::attempt).containsExactly(1, 2, 3);
        assertThat(attempts).extracting(Attempt::status).containsExactly(500, 503, 200);
        assertThat(attempts)
                .extracting(Attempt::outcome)
                .containsExactly(Outcome.RETRYING, Outcome.RETRYING, Outcome.DELIVERED);
        assertThat(attempts.get(0).retryIn()).isNotNull().isPositive();
        assertThat(attempts.get(0).error()).isEqualTo("the receiver answered 500");
        assertThat(attempts).allSatisfy(a -> {
            assertThat(a.webhookId()).isEqualTo(7);
            assertThat(a.eventIds()).containsExactly("e1", "e2");
        });
        assertThat(dispatcher.pendingCount()).isZero();

        List<Received> got = received("/flaky");
        assertThat(got).hasSize(3);
        for (int i = 0; i < got.size(); i++) {
            Received r = got.get(i);
            assertThat(r.headers().getFirst("Content-Type")).isEqualTo("application/json");
            assertThat(r.headers().getFirst(WebhookSigner.DELIVERY_HEADER)).isEqualTo(id);
            assertThat(r.headers().getFirst(WebhookSigner.ATTEMPT_HEADER)).isEqualTo(Integer.toString(i + 1));
            assertThat(r.headers().getFirst(WebhookSigner.EVENTS_HEADER)).isEqualTo("finding.new");
            String signature = r.headers().getFirst(WebhookSigner.SIGNATURE_HEADER);
            assertThat(WebhookSigner.verify(SECRET, signature, r.body(), Instant.now(), Duration.ofMinutes(1)))
                    .isTrue();
            assertThat(WebhookSigner.verify(
                            "another-secret-0123456789", signature, r.body(), Instant.now(), Duration.ofMinutes(1)))
                    .isFalse();
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("events")).extracting(e -> e.get("id").asText()).containsExactly("e1", "e2");
        }
    }

    @Test
    void shouldNotRetryPermanentAnswersButRetryRequestTimeout() throws Exception {
        String gone = statuses("/gone", 410);
        String bad = receiver("/bad", n -> new Reply(400, Map.of(), "{\"error\":\"" + "x".repeat(10_000) + "\"}"));
        String slow = statuses("/slow", 408, 200);
        WebhookDispatcher dispatcher = dispatcher(fast());

        String goneId = only(dispatcher.submit(Webhook.of(1, gone, SECRET), events("e1")));
        String badId = only(dispatcher.submit(Webhook.of(2, bad, SECRET), events("e1")));
        String slowId = only(dispatcher.submit(Webhook.of(3, slow, SECRET), events("e1")));

        Attempt goneFinal = deliveryLog.awaitFinal(goneId);
        assertThat(goneFinal.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(goneFinal.attempt()).isEqualTo(1);
        assertThat(goneFinal.status()).isEqualTo(410);
        Attempt badFinal = deliveryLog.awaitFinal(badId);
        assertThat(badFinal.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(badFinal.attempt()).isEqualTo(1);
        assertThat(badFinal.error())
                .startsWith("the receiver answered 400: {\"error\":\"xxx")
                .hasSizeLessThan(WebhookDispatcher.MAX_EXCERPT_CHARS + 40);
        assertThat(deliveryLog.awaitFinal(slowId).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(deliveryLog.of(slowId)).extracting(Attempt::status).containsExactly(408, 200);
        assertThat(received("/gone")).hasSize(1);
        assertThat(received("/bad")).hasSize(1);
        assertThat(logLines).anySatisfy(l -> assertThat(l).contains("webhook 1", "failed after 1 attempt", "410"));
    }

    @Test
    void shouldWaitAsLongAsRetryAfterSaysWithinTheCap() throws Exception {
        String url = receiver("/busy", n -> n == 0 ? new Reply(429, Map.of("Retry-After", "120"), "") : Reply.of(204));
        Duration cap = Duration.ofMillis(300);
        WebhookDispatcher dispatcher =
                dispatcher(settings(Duration.ofSeconds(2), Duration.ofMillis(1), 3, cap, 10, Duration.ofSeconds(2)));

        String id = only(dispatcher.submit(Webhook.of(1, url, SECRET), events("e1")));

        assertThat(deliveryLog.awaitFinal(id).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(deliveryLog.of(id).get(0).retryIn()).isEqualTo(cap);
        List<Received> got = received("/busy");
        assertThat(got).hasSize(2);
        assertThat(Duration.ofNanos(got.get(1).nanos() - got.get(0).nanos())).isGreaterThanOrEqualTo(cap);
    }

    @Test
    void shouldComputeBackOffAndReadRetryAfter() {
        WebhookDispatcher.Settings s = WebhookDispatcher.Settings.defaults();
        assertThat(WebhookDispatcher.retryDelay(s, 1, null, 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(WebhookDispatcher.retryDelay(s, 1, null, 1.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(WebhookDispatcher.retryDelay(s, 3, null, 1.0)).isEqualTo(Duration.ofSeconds(16));
        assertThat(WebhookDispatcher.retryDelay(s, 5, null, 1.0)).isEqualTo(Duration.ofSeconds(256));
        assertThat(WebhookDispatcher.retryDelay(s, 9, null, 1.0)).isEqualTo(s.maxDelay());
        assertThat(WebhookDispatcher.retryDelay(s, 1, Duration.ofSeconds(30), 0.0))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(WebhookDispatcher.retryDelay(s, 1, Duration.ofDays(2), 0.0)).isEqualTo(s.maxDelay());

        Instant now = Instant.parse("2026-11-30T02:00:00Z");
        assertThat(WebhookDispatcher.parseRetryAfter(" 7 ", now)).isEqualTo(Duration.ofSeconds(7));
        assertThat(WebhookDispatcher.parseRetryAfter("Mon, 30 Nov 2026 02:01:30 GMT", now))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(WebhookDispatcher.parseRetryAfter("Mon, 30 Nov 2026 01:00:00 GMT", now))
                .isEqualTo(Duration.ZERO);
        assertThat(WebhookDispatcher.parseRetryAfter("soon", now)).isNull();
        assertThat(WebhookDispatcher.parseRetryAfter("-5", now)).isNull();
    }

    @Test
    void shouldNotFollowRedirects() throws Exception {
        String elsewhere = statuses("/elsewhere", 200);
        String url = receiver("/moved", n -> new Reply(302, Map.of("Location", elsewhere), ""));
        WebhookDispatcher dispatcher = dispatcher(fast());

        String id = only(dispatcher.submit(Webhook.of(1, url, SECRET), events("e1")));

        Attempt last = deliveryLog.awaitFinal(id);
        assertThat(last.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(last.status()).isEqualTo(302);
        assertThat(last.attempt()).isEqualTo(1);
        assertThat(last.error()).contains("redirect", "not followed");
        assertThat(received("/moved")).hasSize(1);
        assertThat(received("/elsewhere")).isEmpty();
    }

    @Test
    void shouldGiveUpOnAReceiverThatNeverAnswers() throws Exception {
        String url = hanging("/hang");
        WebhookDispatcher dispatcher = dispatcher(settings(
                Duration.ofMillis(300), Duration.ofMillis(5), 1, Duration.ofSeconds(1), 10, Duration.ofSeconds(2)));

        long start = System.nanoTime();
        String id = only(dispatcher.submit(Webhook.of(1, url, SECRET), events("e1")));

        Attempt last = deliveryLog.awaitFinal(id);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(last.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(last.status()).isNull();
        assertThat(last.error()).isEqualTo("no answer within 0.3 s");
    }

    @Test
    void shouldBoundTheTimeAnAnswersBodyMayTake() throws Exception {
        String failing = trickling("/trickle-500", 500);
        String ok = trickling("/trickle-200", 200);
        WebhookDispatcher dispatcher = dispatcher(settings(
                Duration.ofMillis(300), Duration.ofMillis(5), 1, Duration.ofSeconds(1), 10, Duration.ofSeconds(2)));

        String failingId = only(dispatcher.submit(Webhook.of(1, failing, SECRET), events("e1")));
        String okId = only(dispatcher.submit(Webhook.of(2, ok, SECRET), events("e1")));

        Attempt failed = deliveryLog.awaitFinal(failingId);
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.error()).isEqualTo("the answer did not end within 0.6 s");
        // a 2xx delivers as soon as its status arrives: its body is not read
        assertThat(deliveryLog.awaitFinal(okId).outcome()).isEqualTo(Outcome.DELIVERED);
    }

    /** Sends the status and the start of a body, then holds the rest until the test ends. */
    private String trickling(String path, int status) {
        BlockingQueue<Received> queue = requests.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
        server.createContext(path, exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            queue.add(new Received(exchange.getRequestURI().toString(), exchange.getRequestHeaders(), body, 0));
            exchange.sendResponseHeaders(status, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.close();
        });
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Holds every request until the test ends. */
    private String hanging(String path) {
        return receiver(path, n -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.of(200);
        });
    }

    @Test
    void shouldDropAndReportWhatDoesNotFitTheQueue() throws Exception {
        String url = hanging("/hang");
        WebhookDispatcher dispatcher = dispatcher(settings(
                Duration.ofSeconds(2), Duration.ofMillis(5), 1, Duration.ofSeconds(1), 1, Duration.ofSeconds(2)));
        Webhook hook = Webhook.of(4, url, SECRET);

        String first = only(dispatcher.submit(hook, events("e1")));
        WebhookDispatcher.Enqueued second = dispatcher.submit(hook, events("e2", "e3"));

        assertThat(second.deliveryIds()).isEmpty();
        assertThat(second.dropped()).isEqualTo(1);
        assertThat(dispatcher.droppedCount()).isEqualTo(1);
        // recorded before submit returned
        assertThat(deliveryLog.carrying("e2")).hasSize(1);
        Attempt dropped = deliveryLog.carrying("e2").get(0);
        assertThat(dropped.outcome()).isEqualTo(Outcome.DROPPED);
        assertThat(dropped.attempt()).isZero();
        assertThat(dropped.eventIds()).containsExactly("e2", "e3");
        assertThat(dropped.deliveryId()).isNotEqualTo(first);
        assertThat(dropped.error()).contains("1 deliveries are already waiting");
        assertThat(logLines).anySatisfy(l -> assertThat(l).contains("webhook 4", "dropped", "1 dropped since"));

        release.countDown();
        assertThat(deliveryLog.awaitFinal(first).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(dispatcher.submit(hook, events("e4")).deliveryIds()).hasSize(1);
    }

    @Test
    void shouldCloseBoundedWhileARetryIsPendingAndReportIt() throws Exception {
        String url = statuses("/down", 500);
        WebhookDispatcher dispatcher = dispatcher(settings(
                Duration.ofSeconds(2), Duration.ofSeconds(30), 6, Duration.ofMinutes(1), 10, Duration.ofSeconds(3)));
        String id = only(dispatcher.submit(Webhook.of(5, url, SECRET), events("e1")));
        assertThat(deliveryLog.awaitAny().outcome()).isEqualTo(Outcome.RETRYING);

        long start = System.nanoTime();
        List<String> undelivered = dispatcher.shutdown();

        // the retry is due after the close wait: nothing to wait for
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(undelivered).containsExactly(id);
        Attempt last = deliveryLog.awaitFinal(id);
        assertThat(last.outcome()).isEqualTo(Outcome.ABANDONED);
        assertThat(last.attempt()).isEqualTo(1);
        assertThat(last.error()).contains("shut down after 1 attempt");
        assertThat(logLines).anySatisfy(l -> assertThat(l).contains("1 webhook deliveries were not delivered"));
        assertThat(received("/down")).hasSize(1);

        WebhookDispatcher.Enqueued late = dispatcher.submit(Webhook.of(5, url, SECRET), events("e2"));
        assertThat(late.deliveryIds()).isEmpty();
        assertThat(late.dropped()).isEqualTo(1);
        assertThat(deliveryLog.carrying("e2"))
                .extracting(Attempt::outcome, Attempt::attempt)
                .containsExactly(tuple(Outcome.DROPPED, 0));
    }

    @Test
    void shouldCloseBoundedWhileAnAttemptHangs() throws Exception {
        String url = hanging("/hang");
        WebhookDispatcher dispatcher = dispatcher(settings(
                Duration.ofSeconds(10), Duration.ofMillis(5), 6, Duration.ofSeconds(1), 10, Duration.ofMillis(200)));
        String id = only(dispatcher.submit(Webhook.of(6, url, SECRET), events("e1")));
        assertThat(requests.get("/hang").poll(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isNotNull();

        long start = System.nanoTime();
        List<String> undelivered = dispatcher.shutdown();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        assertThat(undelivered).containsExactly(id);
        assertThat(deliveryLog.awaitFinal(id).outcome()).isEqualTo(Outcome.ABANDONED);
    }

    @Test
    void shouldKeepTheUrlsTokenAndTheSecretOutOfLogs() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String token = "T0KEN-in-the-query";
        String failing = statuses("/hooks/T0KEN-in-the-path", 500) + "?token=" + token;
        WebhookDispatcher dispatcher = dispatcher(settings(
                Duration.ofSeconds(2), Duration.ofMillis(5), 2, Duration.ofSeconds(1), 10, Duration.ofSeconds(2)));

        String refused = only(dispatcher.submit(
                Webhook.of(8, "http://127.0.0.1:" + closedPort + "/hooks/T0KEN-in-the-path?token=" + token, SECRET),
                events("e1")));
        String answered = only(dispatcher.submit(Webhook.of(9, failing, SECRET), events("e1")));

        Attempt refusedFinal = deliveryLog.awaitFinal(refused);
        assertThat(refusedFinal.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(refusedFinal.status()).isNull();
        assertThat(refusedFinal.error()).contains("cannot connect to http://127.0.0.1:" + closedPort + "/…");
        assertThat(deliveryLog.awaitFinal(answered).status()).isEqualTo(500);
        assertThat(received("/hooks/T0KEN-in-the-path").get(0).uri()).endsWith("?token=" + token);

        List<String> everything = new ArrayList<>(logLines);
        deliveryLog.attempts.forEach(a -> everything.add(String.valueOf(a.error())));
        assertThat(everything).isNotEmpty().allSatisfy(t -> assertThat(t).doesNotContain("T0KEN", SECRET));
    }

    @Test
    void shouldSendOnlyWantedEventsAtMostAHundredPerDelivery() throws Exception {
        String url = statuses("/ok", 200);
        WebhookDispatcher dispatcher = dispatcher(fast());
        Webhook onlyFailures = Webhook.of(1, url, SECRET, "palisade", List.of("scan.failed"));
        assertThat(dispatcher.submit(onlyFailures, events("e1", "e2")).deliveryIds())
                .isEmpty();

        String[] ids = new String[250];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "e" + i;
        }
        WebhookDispatcher.Enqueued enqueued = dispatcher.submit(Webhook.of(2, url, SECRET), events(ids));

        assertThat(enqueued.deliveryIds()).hasSize(3).doesNotHaveDuplicates();
        List<Integer> sizes = new ArrayList<>();
        for (String id : enqueued.deliveryIds()) {
            Attempt last = deliveryLog.awaitFinal(id);
            assertThat(last.outcome()).isEqualTo(Outcome.DELIVERED);
            sizes.add(last.eventIds().size());
        }
        assertThat(sizes).containsExactly(100, 100, 50);
        assertThat(received("/ok")).hasSize(3);
    }
}
