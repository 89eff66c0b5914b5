package io.thrustline.reporting;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Kafka client metrics (kafka_consumer_*, kafka_producer_*) of whichever client a sink uses now: sinks
 * replace their consumer after a death and their dead-letter producer after a failure, and the series of a
 * closed client must go with it.
 */
final class ClientMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private KafkaClientMetrics current;

    /** @param registry where to report; null reports nothing */
    ClientMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    synchronized void watch(Consumer<?, ?> consumer) {
        replace(registry == null ? null : new KafkaClientMetrics(consumer));
    }

    synchronized void watch(Producer<?, ?> producer) {
        replace(registry == null ? null : new KafkaClientMetrics(producer));
    }

    private void replace(KafkaClientMetrics next) {
        if (current != null) {
            current.close();
        }
        current = next;
        if (next != null) {
            next.bindTo(registry);
        }
    }

    @Override
    public synchronized void close() {
        replace(null);
    }
}
