package dev.palisade.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@code GET /metrics} shows Prometheus: scans and their durations, the job queue's depth, the
 * vulnerability database's age, open findings by severity, re-matches, webhook deliveries, HTTP
 * requests, and the JVM's own. The gauges that read storage do so when scraped, never in between.
 */
final class ServerMetrics {
    /** What a gauge that reads storage or the database answers with. */
    interface Reading {
        double read() throws Exception;
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** A gauge read at each scrape; NaN (Prometheus's "no value") when the reading fails. */
    void gauge(String name, String description, Reading reading, String... tags) {
        Gauge.builder(name, reading, r -> {
                    try {
                        return r.read();
                    } catch (Exception e) {
                        return Double.NaN;
                    }
                })
                .description(description)
                .tags(tags)
                .strongReference(true) // the reading is referenced from nowhere else
                .register(registry);
    }

    /** How old the vulnerability database is, from its build time (RFC 3339), in seconds. */
    static double ageSeconds(String builtAt, Clock clock) {
        try {
            return Duration.between(Instant.parse(builtAt), clock.instant()).toSeconds();
        } catch (DateTimeParseException e) {
            return Double.NaN;
        }
    }

    /** A scan stored or refused: {@code source} upload or watch, {@code outcome} stored, refused or failed. */
    void scan(String source, String outcome, Duration took) {
        counter(
                        "palisade_scans",
                        "Scans the server stored, refused or could not run",
                        "source",
                        source,
                        "outcome",
                        outcome)
                .increment();
        Timer.builder("palisade_scan_duration")
                .description("How long a scan took, from receiving it to storing it")
                .tags("source", source)
                .publishPercentileHistogram()
                .register(registry)
                .record(took);
    }

    void rematch(int inventories, Duration took) {
        counter("palisade_rematched_inventories", "Stored inventories matched again after a database change")
                .increment(inventories);
        Timer.builder("palisade_rematch_duration")
                .description("How long a re-match after a database change took")
                .register(registry)
                .record(took);
    }

    void assessmentComputed() {
        counter("palisade_assessments_computed", "Portfolio assessments computed from the stored scans")
                .increment();
    }

    void webhook(String outcome) {
        counter("palisade_webhook_deliveries", "Webhook delivery attempts", "outcome", outcome)
                .increment();
    }

    void request(String method, String route, int status, Duration took) {
        Timer.builder("palisade_http_requests")
                .description("API requests by route and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .register(registry)
                .record(took);
    }

    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(
                name + String.join(",", tags),
                k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    /** The Prometheus text exposition format. */
    String scrape() {
        return registry.scrape();
    }
}
