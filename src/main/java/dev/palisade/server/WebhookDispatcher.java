package dev.palisade.server;

import dev.palisade.server.DeliveryLog.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Delivers events to webhooks in the background: signed POSTs ({@link WebhookSigner}), retried with
 * exponential back-off and jitter, every attempt recorded in a {@link DeliveryLog}.
 *
 * <p>A 2xx answer delivers. A redirect or a 4xx other than 408 and 429 fails for good: asking again
 * would get the same answer. Other answers, time-outs and network errors are tried again, up to
 * {@link Settings#maxAttempts()}, after {@code initialDelay * factor^(n-1)}, between half and all of it
 * at random so that many deliveries do not retry in step, and not sooner than a 429's or 503's
 * {@code Retry-After} (within {@link Settings#maxDelay()}). Redirects are not followed: the signature
 * covers the body, not where it ends up.
 *
 * <p>{@link #submit} never blocks: at most {@link Settings#queueCapacity()} deliveries wait or run at
 * a time, and one more is dropped, counted, logged and recorded as {@link DeliveryLog.Outcome#DROPPED}.
 * {@link #close()} lets due attempts finish for at most {@link Settings#closeWait()}, then records
 * what is left as {@link DeliveryLog.Outcome#ABANDONED}.
 */
public final class WebhookDispatcher implements AutoCloseable {
    /** Events per delivery; more are split into several deliveries, so that bodies stay small. */
    public static final int MAX_EVENTS_PER_DELIVERY = 100;

    /** What is read of an answer: enough for an error message, not a way to fill the memory. */
    static final int MAX_RESPONSE_BYTES = 4096;

    static final int MAX_EXCERPT_CHARS = 200;
    private static final int MAX_ERROR_CHARS = 400;
    /** How long {@link #shutdown()} waits for interrupted attempts to end after its wait. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(1);

    /**
     * How deliveries are made.
     *
     * @param connectTimeout for the TCP and TLS connection
     * @param requestTimeout from sending the request to the end of the (bounded) answer
     * @param initialDelay before the second attempt
     * @param backoffFactor by which each later delay grows
     * @param maxAttempts requests per delivery, the first one included
     * @param maxDelay the longest wait between two attempts, {@code Retry-After} included
     * @param queueCapacity deliveries waiting or running at a time
     * @param workers threads sending requests
     * @param closeWait how long {@link #close()} lets due attempts finish
     */
    public record Settings(
            Duration connectTimeout,
            Duration requestTimeout,
            Duration initialDelay,
            double backoffFactor,
            int maxAttempts,
            Duration maxDelay,
            int queueCapacity,
            int workers,
            Duration closeWait) {
        public Settings {
            requirePositive(connectTimeout, "connectTimeout");
            requirePositive(requestTimeout, "requestTimeout");
            requirePositive(initialDelay, "initialDelay");
            requirePositive(maxDelay, "maxDelay");
            Objects.requireNonNull(closeWait, "closeWait");
            if (closeWait.isNegative()) {
                throw new IllegalArgumentException("closeWait cannot be negative");
            }
            if (!(backoffFactor >= 1.0) || Double.isInfinite(backoffFactor)) {
                throw new IllegalArgumentException("the back-off factor must be at least 1");
            }
            if (maxAttempts < 1 || queueCapacity < 1 || workers < 1) {
                throw new IllegalArgumentException("attempts, queue capacity and workers must be at least 1");
            }
        }

        /** 10 s time-outs; 6 attempts 1 s, 4 s, 16 s, 64 s and 256 s apart; 1,000 deliveries queued. */
        public static Settings defaults() {
            return new Settings(
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(1),
                    4.0,
                    6,
                    Duration.ofMinutes(10),
                    1000,
                    2,
                    Duration.ofSeconds(10));
        }

        private static void requirePositive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
        }
    }

    /**
     * What {@link #submit} did with the events.
     *
     * @param deliveryIds the deliveries now queued (none when the webhook wants none of the events)
     * @param dropped deliveries not queued because the queue was full or the dispatcher closed
     */
    public record Enqueued(List<String> deliveryIds, int dropped) {
        public Enqueued {
            deliveryIds = List.copyOf(deliveryIds);
        }
    }

    private final Settings settings;
    private final DeliveryLog deliveryLog;
    private final Clock clock;
    private final Consumer<String> log;
    private final HttpClient client;
    private final ScheduledThreadPoolExecutor executor;
    /** One permit per delivery waiting or running: this, not the executor's queue, bounds the work. */
    private final Semaphore capacity;

    private final Map<String, Delivery> pending = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    private final Object changes = new Object();

    private static final class Delivery {
        final Webhook webhook;
        final String id;
        final List<String> eventIds;
        final String eventTypes;
        final byte[] body;
        final AtomicInteger attempts = new AtomicInteger();
        /** Guarded by this: once true, nothing more is recorded for this delivery. */
        boolean finished;
        /** When the next attempt is due, by {@link System#nanoTime()}. */
        volatile long nextAttemptNanos;

        Delivery(Webhook webhook, String id, List<ServerEvent> events, byte[] body) {
            this.webhook = webhook;
            this.id = id;
            this.eventIds = events.stream().map(ServerEvent::id).toList();
            this.eventTypes = events.stream()
                    .map(e -> e.type().wireName())
                    .distinct()
                    .sorted()
                    .collect(Collectors.joining(","));
            this.body = body;
            this.nextAttemptNanos = System.nanoTime();
        }
    }

    public WebhookDispatcher(Settings settings, DeliveryLog deliveryLog, Clock clock, Consumer<String> log) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.deliveryLog = Objects.requireNonNull(deliveryLog, "deliveryLog");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(settings.workers(), r -> {
            Thread t = new Thread(r, "palisade-webhook-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.capacity = new Semaphore(settings.queueCapacity());
    }

    /**
     * Queues the events this webhook wants for delivery, at most {@link #MAX_EVENTS_PER_DELIVERY} per
     * delivery. Returns at once; the body is built here, so the events may change afterwards.
     */
    public Enqueued submit(Webhook webhook, List<ServerEvent> events) {
        List<ServerEvent> wanted =
                events.stream().filter(e -> webhook.wants(e.type())).toList();
        List<String> queued = new ArrayList<>();
        int droppedNow = 0;
        Instant now = clock.instant();
        for (int from = 0; from < wanted.size(); from += MAX_EVENTS_PER_DELIVERY) {
            List<ServerEvent> chunk = wanted.subList(from, Math.min(wanted.size(), from + MAX_EVENTS_PER_DELIVERY));
            Delivery delivery = new Delivery(
                    webhook, UUID.randomUUID().toString(), chunk, WebhookPayloads.body(webhook.format(), chunk, now));
            if (closed) {
                drop(delivery, "not sent: the server is shutting down");
                droppedNow++;
                continue;
            }
            if (!capacity.tryAcquire()) {
                drop(
                        delivery,
                        "not sent: " + settings.queueCapacity() + " deliveries are already waiting (the receivers are"
                                + " slow or down)");
                droppedNow++;
                continue;
            }
            pending.put(delivery.id, delivery);
            try {
                executor.execute(() -> attempt(delivery));
                queued.add(delivery.id);
            } catch (RejectedExecutionException e) {
                // closed since the check above; shutdown() may already have recorded it as abandoned
                dropped.incrementAndGet();
                conclude(
                        delivery,
                        attemptRecord(
                                delivery, 0, null, "not sent: the server is shutting down", Outcome.DROPPED, null));
                droppedNow++;
            }
        }
        return new Enqueued(queued, droppedNow);
    }

    /** Deliveries dropped since this dispatcher started, because the queue was full or it was closed. */
    public long droppedCount() {
        return dropped.get();
    }

    /** Deliveries waiting or running. */
    public int pendingCount() {
        return pending.size();
    }

    private void drop(Delivery delivery, String reason) {
        long total = dropped.incrementAndGet();
        log.accept("webhook " + delivery.webhook.id() + " (" + delivery.webhook.displayUrl() + "): delivery "
                + delivery.id + " of " + delivery.eventIds.size() + " events dropped, " + reason + "; " + total
                + " dropped since the server started");
        record(attemptRecord(delivery, 0, null, reason, Outcome.DROPPED, null));
    }

    private void attempt(Delivery delivery) {
        synchronized (delivery) {
            if (delivery.finished) {
                return;
            }
        }
        int number = delivery.attempts.incrementAndGet();
        Instant at = clock.instant();
        Answer answer;
        try {
            answer = send(delivery, number, at);
        } catch (InterruptedException e) {
            // shutdown() records the delivery as abandoned
            Thread.currentThread().interrupt();
            return;
        }
        if (answer.delivered()) {
            conclude(delivery, attemptRecord(delivery, number, answer.status(), null, Outcome.DELIVERED, null));
            return;
        }
        if (answer.permanent() || number >= settings.maxAttempts()) {
            conclude(
                    delivery,
                    attemptRecord(delivery, number, answer.status(), answer.error(), Outcome.FAILED, null),
                    "webhook " + delivery.webhook.id() + " (" + delivery.webhook.displayUrl() + "): delivery "
                            + delivery.id + " failed after " + number + (number == 1 ? " attempt: " : " attempts: ")
                            + answer.error());
            return;
        }
        Duration delay = retryDelay(
                settings,
                number,
                answer.retryAfter(),
                ThreadLocalRandom.current().nextDouble());
        synchronized (delivery) {
            if (delivery.finished) {
                return;
            }
            record(attemptRecord(delivery, number, answer.status(), answer.error(), Outcome.RETRYING, delay));
            delivery.nextAttemptNanos = System.nanoTime() + delay.toNanos();
        }
        try {
            executor.schedule(() -> attempt(delivery), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing: shutdown() records the delivery as abandoned
        }
        signalChange();
    }

    private record Answer(
            boolean delivered,
            boolean permanent,
            @Nullable Integer status,
            @Nullable String error,
            @Nullable Duration retryAfter) {}

    private Answer send(Delivery delivery, int number, Instant at) throws InterruptedException {
        Webhook webhook = delivery.webhook;
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(webhook.url())
                    .timeout(settings.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Palisade-Webhooks")
                    .header(
                            WebhookSigner.SIGNATURE_HEADER,
                            WebhookSigner.signatureHeader(webhook.secret(), at.getEpochSecond(), delivery.body))
                    .header(WebhookSigner.DELIVERY_HEADER, delivery.id)
                    .header(WebhookSigner.ATTEMPT_HEADER, Integer.toString(number))
                    .header(WebhookSigner.EVENTS_HEADER, delivery.eventTypes)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body))
                    .build();
        } catch (IllegalArgumentException e) {
            return new Answer(false, true, null, "the URL cannot be requested", null);
        }
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(
                request, info -> new BoundedBody(delivered(info.statusCode()) ? 0 : MAX_RESPONSE_BYTES));
        // the client's own time-out ends at the answer's headers; this one bounds the body too
        Duration wait = settings.connectTimeout().plus(settings.requestTimeout());
        try {
            HttpResponse<byte[]> response = exchange.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            List<String> retryAfter = response.headers().allValues("Retry-After");
            return classify(
                    response.statusCode(), response.body(), retryAfter.isEmpty() ? null : retryAfter.get(0), at);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return new Answer(false, false, null, "the answer did not end within " + seconds(wait), null);
        } catch (ExecutionException e) {
            return new Answer(false, false, null, describe(e.getCause(), webhook), null);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        }
    }

    private Answer classify(int status, byte[] body, @Nullable String retryAfterHeader, Instant at) {
        if (delivered(status)) {
            return new Answer(true, false, status, null, null);
        }
        if (status >= 300 && status < 400) {
            return new Answer(
                    false,
                    true,
                    status,
                    "the receiver answered " + status + ", a redirect, which is not followed: register the URL it"
                            + " points to",
                    null);
        }
        String excerpt = excerpt(body);
        String error = "the receiver answered " + status + (excerpt.isEmpty() ? "" : ": " + excerpt);
        boolean retryable = status == 408 || status == 429 || status >= 500 || status < 200;
        Duration retryAfter = null;
        if (status == 429 || status == 503) {
            retryAfter = retryAfterHeader == null ? null : parseRetryAfter(retryAfterHeader, at);
        }
        return new Answer(false, !retryable, status, error, retryAfter);
    }

    /** A 2xx answer delivers, whatever its body, which is then not read. */
    private static boolean delivered(int status) {
        return status >= 200 && status < 300;
    }

    /** A {@code Retry-After} value: seconds, or an HTTP date; null when it is neither. */
    static @Nullable Duration parseRetryAfter(String value, Instant now) {
        String v = value.trim();
        if (v.matches("[0-9]{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            Duration until = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The wait after attempt {@code attemptsMade}: {@code initialDelay * factor^(attemptsMade-1)} within
     * {@code maxDelay}, scaled by a random 50-100 %, and not less than {@code retryAfter} within
     * {@code maxDelay}.
     *
     * @param random in [0, 1)
     */
    static Duration retryDelay(Settings settings, int attemptsMade, @Nullable Duration retryAfter, double random) {
        double base = settings.initialDelay().toNanos() * Math.pow(settings.backoffFactor(), attemptsMade - 1);
        double capped = Math.min(base, settings.maxDelay().toNanos());
        Duration delay = Duration.ofNanos(Math.max(1, (long) (capped * (0.5 + 0.5 * random))));
        if (retryAfter != null) {
            Duration wanted = retryAfter.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : retryAfter;
            if (wanted.compareTo(delay) > 0) {
                delay = wanted;
            }
        }
        return delay;
    }

    /**
     * Stops taking deliveries, lets the attempts due within {@link Settings#closeWait()} run, then stops
     * the rest and records them as {@link DeliveryLog.Outcome#ABANDONED}.
     *
     * @return the ids of the deliveries given up; empty when everything was delivered or failed for good
     */
    public List<String> shutdown() {
        if (!closing.compareAndSet(false, true)) {
            return List.of();
        }
        closed = true;
        long deadline = System.nanoTime() + settings.closeWait().toNanos();
        boolean interrupted = false;
        synchronized (changes) {
            while (anyAttemptDueBefore(deadline)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    changes.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
        }
        executor.shutdownNow();
        try {
            if (!interrupted) {
                executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        List<String> abandoned = new ArrayList<>();
        for (Delivery delivery : List.copyOf(pending.values())) {
            int made = delivery.attempts.get();
            String error = made == 0
                    ? "not delivered: the server shut down before the first attempt"
                    : "not delivered: the server shut down after " + made + (made == 1 ? " attempt" : " attempts");
            if (conclude(delivery, attemptRecord(delivery, made, null, error, Outcome.ABANDONED, null))) {
                abandoned.add(delivery.id);
            }
        }
        if (!abandoned.isEmpty()) {
            log.accept(abandoned.size() + " webhook deliveries were not delivered before the server stopped");
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return abandoned;
    }

    /** {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    private boolean anyAttemptDueBefore(long deadline) {
        for (Delivery delivery : pending.values()) {
            if (delivery.nextAttemptNanos - deadline <= 0) {
                return true;
            }
        }
        return false;
    }

    private void signalChange() {
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    private DeliveryLog.Attempt attemptRecord(
            Delivery delivery,
            int number,
            @Nullable Integer status,
            @Nullable String error,
            Outcome outcome,
            @Nullable Duration retryIn) {
        return new DeliveryLog.Attempt(
                delivery.webhook.id(),
                delivery.id,
                delivery.eventIds,
                number,
                clock.instant(),
                status,
                error,
                outcome,
                retryIn);
    }

    /** Records a delivery's attempt unless it already finished; true when recorded. */
    private boolean conclude(Delivery delivery, DeliveryLog.Attempt attempt) {
        return conclude(delivery, attempt, null);
    }

    /** The same, and the log line first, so that whoever sees the attempt also finds the line. */
    private boolean conclude(Delivery delivery, DeliveryLog.Attempt attempt, @Nullable String logLine) {
        synchronized (delivery) {
            if (delivery.finished) {
                return false;
            }
            delivery.finished = attempt.outcome().isFinal();
            // the queue's place is free before the final attempt is recorded: whoever sees it may submit
            if (delivery.finished && pending.remove(delivery.id) != null) {
                capacity.release();
            }
            if (logLine != null) {
                log.accept(logLine);
            }
            record(attempt);
        }
        signalChange();
        return true;
    }

    private void record(DeliveryLog.Attempt attempt) {
        try {
            deliveryLog.record(attempt);
        } catch (RuntimeException e) {
            log.accept("cannot record webhook delivery " + attempt.deliveryId() + ": " + e.getMessage());
        }
    }

    /** A cause as people read it, without the URL's path or query, which may hold a token. */
    private String describe(@Nullable Throwable cause, Webhook webhook) {
        Throwable e = cause;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "could not connect within " + seconds(settings.connectTimeout());
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + seconds(settings.requestTimeout());
        }
        if (e instanceof ConnectException) {
            return "cannot connect to " + webhook.displayUrl() + " (connection refused or unreachable)";
        }
        if (e instanceof UnknownHostException || e instanceof UnresolvedAddressException) {
            return "unknown host " + webhook.url().getHost();
        }
        String message = e == null ? null : e.getMessage();
        String detail = message == null ? "" : ": " + scrub(message, webhook);
        if (e instanceof SSLException) {
            return "TLS failed" + detail;
        }
        if (e instanceof IOException) {
            return "network error" + detail;
        }
        return "delivery failed" + detail;
    }

    private static String scrub(String message, Webhook webhook) {
        URI url = webhook.url();
        String scrubbed = message.replace(url.toString(), webhook.displayUrl());
        for (String part : new String[] {url.getRawQuery(), url.getRawPath(), url.getQuery(), url.getPath()}) {
            if (part != null && part.length() > 1) {
                scrubbed = scrubbed.replace(part, "/…");
            }
        }
        scrubbed = scrubbed.replace(webhook.secret(), "…").replaceAll("\\p{Cntrl}", " ");
        return scrubbed.length() <= MAX_ERROR_CHARS ? scrubbed : scrubbed.substring(0, MAX_ERROR_CHARS) + "…";
    }

    /** The start of an answer's body, one line of printable text. */
    static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8)
                .replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]+", " ")
                .trim();
        if (text.length() <= MAX_EXCERPT_CHARS) {
            return text;
        }
        int end = MAX_EXCERPT_CHARS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }

    /** Keeps the first {@code limit} bytes of an answer and stops reading there. */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private Flow.@Nullable Subscription subscription;

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (limit == 0) {
                s.cancel();
                result.complete(new byte[0]);
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int take = Math.min(item.remaining(), limit - buffer.size());
                byte[] chunk = new byte[take];
                item.get(chunk);
                buffer.write(chunk, 0, take);
            }
            Flow.Subscription s = subscription;
            if (s == null) {
                return;
            }
            if (buffer.size() >= limit) {
                s.cancel();
                result.complete(buffer.toByteArray());
            } else {
                s.request(1);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}
