package io.thrustline.reporting;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.thrustline.reporting.webhooks.WebhookDispatcher;
import java.time.Duration;
import java.util.List;

/**
 * What /metrics reports: per sink the records stored and dead-lettered, the lag, retries after transient
 * failures, restarts after the sink died and whether it is stuck; HTTP latency by route and status; the JVM,
 * the connection pools and the sinks' Kafka clients.
 */
final class ReportingMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AutoCloseable jvm = io.thrustline.http.JvmMetrics.bindTo(registry);

    /** Where the pools (hikaricp_*) and the sinks' Kafka clients (kafka_consumer_*, kafka_producer_*) report too. */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    void watch(List<TopicSink<?>> sinks) {
        for (TopicSink<?> sink : sinks) {
            FunctionCounter.builder("thrustline.reporting.stored", sink, TopicSink::stored)
                    .description("Records written to PostgreSQL and committed").tag("sink", sink.toString()).register(registry);
            Gauge.builder("thrustline.reporting.lag", sink, s -> s.lag() == Long.MAX_VALUE ? Double.NaN : s.lag())
                    .description("Records behind the end of the topic").tag("sink", sink.toString()).register(registry);
            FunctionCounter.builder("thrustline.reporting.dead.lettered", sink, TopicSink::deadLettered)
                    .description("Records PostgreSQL can never store, sent to the reporting dead-letter topic").tag("sink", sink.toString())
                    .register(registry);
            FunctionCounter.builder("thrustline.reporting.retries", sink, TopicSink::retries)
                    .description("Batches retried after a transient failure (database, registry or broker unavailable)")
                    .tag("sink", sink.toString()).register(registry);
            FunctionCounter.builder("thrustline.reporting.restarts", sink, TopicSink::restarts)
                    .description("Consumers restarted after the sink died of an unexpected failure").tag("sink", sink.toString())
                    .register(registry);
            Gauge.builder("thrustline.reporting.stuck", sink, s -> s.stuck() ? 1 : 0)
                    .description("1 while the sink keeps failing on the same records").tag("sink", sink.toString()).register(registry);
        }
    }

    void watch(WebhookDispatcher dispatcher) {
        FunctionCounter.builder("thrustline.webhooks.delivered", dispatcher, WebhookDispatcher::delivered)
                .description("Webhook deliveries a receiver accepted").register(registry);
        FunctionCounter.builder("thrustline.webhooks.failed.attempts", dispatcher, WebhookDispatcher::failedAttempts)
                .description("Webhook attempts that failed (error answer, timeout, refused connection) and will be retried").register(registry);
        FunctionCounter.builder("thrustline.webhooks.dead.lettered", dispatcher, WebhookDispatcher::deadLettered)
                .description("Webhook deliveries given up after the retry window").register(registry);
    }

    void request(String route, int status, float millis) {
        Timer.builder("thrustline.reporting.requests").tag("route", route).tag("status", String.valueOf(status)).publishPercentileHistogram()
                .register(registry).record(Duration.ofNanos((long) (millis * 1_000_000)));
    }

    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        try {
            jvm.close();
        } catch (Exception ignored) {
            // nothing to do on the way out
        }
    }
}
