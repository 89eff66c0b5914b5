package io.thrustline.reporting;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;

/** What /metrics reports: records stored and lag per sink, and HTTP latency by route and status. */
final class ReportingMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    ReportingMetrics(List<TopicSink<?>> sinks) {
        for (TopicSink<?> sink : sinks) {
            FunctionCounter.builder("thrustline.reporting.stored", sink, TopicSink::stored)
                    .description("Records written to PostgreSQL and committed").tag("sink", sink.toString()).register(registry);
            Gauge.builder("thrustline.reporting.lag", sink, s -> s.lag() == Long.MAX_VALUE ? Double.NaN : s.lag())
                    .description("Records behind the end of the topic").tag("sink", sink.toString()).register(registry);
        }
    }

    void request(String route, int status, float millis) {
        Timer.builder("thrustline.reporting.requests").tag("route", route).tag("status", String.valueOf(status)).publishPercentileHistogram()
                .register(registry).record(Duration.ofNanos((long) (millis * 1_000_000)));
    }

    String scrape() {
        return registry.scrape();
    }
}
