package io.thrustline.reporting;

import static io.thrustline.schemas.DeadLetterHeaders.ERROR_CLASS;
import static io.thrustline.schemas.DeadLetterHeaders.ERROR_MESSAGE;
import static io.thrustline.schemas.DeadLetterHeaders.ERROR_SQLSTATE;
import static io.thrustline.schemas.DeadLetterHeaders.SINK;
import static io.thrustline.schemas.DeadLetterHeaders.SOURCE_OFFSET;
import static io.thrustline.schemas.DeadLetterHeaders.SOURCE_PARTITION;
import static io.thrustline.schemas.DeadLetterHeaders.SOURCE_TOPIC;

import io.thrustline.schemas.KafkaSettings;
import io.thrustline.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends records PostgreSQL can never store to the reporting dead-letter topic: the original key, value and
 * headers untouched, the error and the record's origin in added headers. The producer is idempotent with
 * acks=all and made on first use: most sinks never need it.
 */
final class DeadLetters implements AutoCloseable {


    private static final int MAX_MESSAGE = 2000;

    /** A record and why it can never be stored. */
    record Refused(ConsumerRecord<byte[], byte[]> record, Throwable error) {}

    private final KafkaSettings kafka;
    private final String sink;
    private final ClientMetrics metrics;
    private KafkaProducer<byte[], byte[]> producer;

    DeadLetters(KafkaSettings kafka, String sink) {
        this(kafka, sink, null);
    }

    /** @param registry where the producer's Kafka client metrics go; null for none */
    DeadLetters(KafkaSettings kafka, String sink, io.micrometer.core.instrument.MeterRegistry registry) {
        this.kafka = kafka;
        this.sink = sink;
        this.metrics = new ClientMetrics(registry);
    }

    /**
     * Returns once the broker has acknowledged every one of them, so the caller may commit their offsets.
     *
     * @throws KafkaException when any was not acknowledged; the caller retries them all (a duplicate dead
     *                        letter is harmless, a lost one is not)
     */
    void send(List<Refused> refused) {
        if (refused.isEmpty()) {
            return;
        }
        try {
            var acks = new ArrayList<Future<RecordMetadata>>(refused.size());
            for (Refused r : refused) {
                acks.add(producer().send(deadLetter(r)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (ExecutionException | KafkaException e) {
            discardProducer(); // an idempotent producer can be left unusable: start the retry afresh
            throw new KafkaException("dead letters of " + sink + " not acknowledged", e instanceof ExecutionException ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while sending dead letters of " + sink, e);
        }
    }

    private ProducerRecord<byte[], byte[]> deadLetter(Refused refused) {
        ConsumerRecord<byte[], byte[]> source = refused.record();
        var headers = new RecordHeaders(source.headers().toArray());
        Throwable error = FailureClassifier.findCause(refused.error(), SQLException.class).map(Throwable.class::cast).orElse(refused.error());
        headers.add(ERROR_CLASS, utf8(error.getClass().getName()));
        headers.add(ERROR_MESSAGE, utf8(truncate(describe(error))));
        FailureClassifier.sqlState(error).ifPresent(state -> headers.add(ERROR_SQLSTATE, utf8(state)));
        headers.add(SOURCE_TOPIC, utf8(source.topic()));
        headers.add(SOURCE_PARTITION, utf8(String.valueOf(source.partition())));
        headers.add(SOURCE_OFFSET, utf8(String.valueOf(source.offset())));
        headers.add(SINK, utf8(sink));
        return new ProducerRecord<>(Topics.REPORTING_DEAD_LETTERS, null, source.key(), source.value(), headers);
    }

    /** The error's message and, when different, its root cause's: "cannot read Avro" alone says too little. */
    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(error.getMessage());
        return root == error ? message : message + " (caused by " + root.getClass().getName() + ": " + root.getMessage() + ")";
    }

    private static String truncate(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            var props = new Properties();
            props.putAll(kafka.common());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "thrustline-reporting-dlq-" + sink);
            producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
            metrics.watch(producer);
        }
        return producer;
    }

    private void discardProducer() {
        if (producer != null) {
            producer.close(java.time.Duration.ZERO);
            producer = null;
        }
    }

    @Override
    public void close() {
        metrics.close();
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
            producer = null;
        }
    }
}
