package io.thrustline.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * What /metrics reports: sets accepted per integration, requests rejected by reason, request latency, the JVM
 * and the producer's own Kafka client metrics.
 */
final class IngestMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final java.util.List<AutoCloseable> bound = new java.util.concurrent.CopyOnWriteArrayList<>();

    IngestMetrics() {
        bound.add(io.thrustline.http.JvmMetrics.bindTo(registry));
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Closed with the metrics. */
    void bound(AutoCloseable binder) {
        bound.add(binder);
    }

    @Override
    public void close() {
        for (AutoCloseable b : bound) {
            try {
                b.close();
            } catch (Exception ignored) {
                // nothing to do on the way out
            }
        }
    }

    void accepted(String integration, int sets) {
        Counter.builder("thrustline.ingest.sets.accepted").description("Sets and completions acknowledged by Kafka")
                .tag("integration", integration).register(registry).increment(sets);
    }

    void request(String endpoint, int status, float millis) {
        Timer.builder("thrustline.ingest.requests").description("HTTP requests by endpoint and status")
                .tag("endpoint", endpoint).tag("status", String.valueOf(status))
                .publishPercentileHistogram().register(registry).record(Duration.ofNanos((long) (millis * 1_000_000)));
        String reason = switch (status) {
            case 400 -> "invalid";
            case 401 -> "unauthorized";
            case 408 -> "timeout";
            case 409 -> "conflict";
            case 413 -> "too_large";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            default -> null;
        };
        if (reason != null) {
            Counter.builder("thrustline.ingest.rejected").description("Requests refused, by reason")
                    .tag("reason", reason).register(registry).increment();
        }
    }

    String scrape() {
        return registry.scrape();
    }
}
