package dev.palisade.server;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link WebhookDispatcher} records every attempt to deliver, and every delivery it gave up on
 * without an attempt. Called from the dispatcher's threads, concurrently, and for a dropped delivery
 * from the thread that submitted it: implementations must be thread-safe and should be quick. An
 * exception thrown here is logged and otherwise ignored.
 */
@FunctionalInterface
public interface DeliveryLog {

    void record(Attempt attempt);

    /** What became of an attempt, and so of its delivery. */
    enum Outcome {
        /** The receiver answered 2xx: the delivery is done. */
        DELIVERED(true, true),
        /** It failed and will be tried again after {@link Attempt#retryIn()}. */
        RETRYING(false, false),
        /** It failed for good: a permanent answer (4xx, a redirect) or the last attempt failed. */
        FAILED(true, false),
        /** Never sent: the queue was full, or the dispatcher closed (attempt 0). */
        DROPPED(true, false),
        /** A retry was still due when the dispatcher closed; the delivery was given up. */
        ABANDONED(true, false);

        private final boolean finished;
        private final boolean delivered;

        Outcome(boolean finished, boolean delivered) {
            this.finished = finished;
            this.delivered = delivered;
        }

        /** Whether nothing more will be tried for this delivery. */
        public boolean isFinal() {
            return finished;
        }

        public boolean delivered() {
            return delivered;
        }
    }

    /**
     * One attempt, or the end of a delivery.
     *
     * @param deliveryId the same for every attempt of one delivery; sent as {@code X-Palisade-Delivery}
     * @param eventIds the events this delivery carries
     * @param attempt 1 for the first request; for {@link Outcome#DROPPED} 0, for {@link Outcome#ABANDONED}
     *     the number of requests made
     * @param status the HTTP status the receiver answered, null when there was no answer
     * @param error why it failed, for people (never the secret, nor the URL's path or query); null when
     *     delivered. A failed answer's first few hundred characters are included, cleaned of control
     *     characters.
     * @param retryIn when the next attempt is due, for {@link Outcome#RETRYING}
     */
    record Attempt(
            long webhookId,
            String deliveryId,
            List<String> eventIds,
            int attempt,
            Instant time,
            @Nullable Integer status,
            @Nullable String error,
            Outcome outcome,
            @Nullable Duration retryIn) {
        public Attempt {
            Objects.requireNonNull(deliveryId, "deliveryId");
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(outcome, "outcome");
            eventIds = List.copyOf(eventIds);
        }
    }
}
