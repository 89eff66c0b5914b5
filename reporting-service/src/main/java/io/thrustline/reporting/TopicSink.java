package io.thrustline.reporting;

import io.thrustline.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one topic into PostgreSQL. Each polled batch is written in one transaction and only then are its
 * offsets committed: a crash in between replays the batch, and the writers' upserts make the replay
 * harmless. Nothing is lost, nothing doubled.
 */
final class TopicSink<V> implements AutoCloseable {

    /** Writes one polled batch inside the caller's transaction; must be idempotent. */
    @FunctionalInterface
    interface BatchWriter<V> {
        void write(Handle handle, List<V> values);
    }

    private static final Logger log = LoggerFactory.getLogger(TopicSink.class);

    private final String name;
    private final KafkaConsumer<String, V> consumer;
    private final Jdbi jdbi;
    private final BatchWriter<V> writer;
    private final Runnable betweenCommits;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lag = Long.MAX_VALUE;
    private final java.util.concurrent.atomic.AtomicLong stored = new java.util.concurrent.atomic.AtomicLong();
    private volatile Throwable failure;

    /**
     * @param betweenCommits runs after the database commit and before the offset commit; the crash-safety
     *                       test throws from here, every other caller passes a no-op
     */
    TopicSink(String name, ReportingConfig config, Topic<String, V> topic, Jdbi jdbi, BatchWriter<V> writer, Runnable betweenCommits) {
        this.name = name;
        this.jdbi = jdbi;
        this.writer = writer;
        this.betweenCommits = betweenCommits;
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup() + "-" + name);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // streams-processor writes in transactions: never store what an aborted transaction wrote
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        // A member that died without leaving (kill -9) holds its partitions until this timeout passes.
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.consumerSessionTimeout().toMillis());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "thrustline-reporting-" + name);
        this.consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        consumer.subscribe(List.of(topic.name()));
        this.thread = new Thread(this::run, "sink-" + name);
    }

    void start() {
        thread.start();
    }

    /** Records behind the end of the topic after the last poll; unknown (max) until the first one. */
    long lag() {
        return lag;
    }

    @Override
    public String toString() {
        return name;
    }

    boolean healthy() {
        return thread.isAlive() && failure == null;
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, V> records;
                try {
                    records = consumer.poll(Duration.ofMillis(500));
                } catch (RecordDeserializationException e) {
                    log.error("{}: skipping undecodable record at {} offset {}: {}", name, e.topicPartition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                if (!records.isEmpty()) {
                    store(records);
                }
                lag = consumer.assignment().stream().mapToLong(p -> consumer.currentLag(p).orElse(0)).sum();
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (RuntimeException e) {
            failure = e;
            log.error("{} sink stopped: {}", name, e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(5)); // never commits: offsets move only in store()
        }
    }

    private void store(ConsumerRecords<String, V> records) {
        var values = new ArrayList<V>(records.count());
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, V> record : records) {
            if (record.value() != null) {
                values.add(record.value());
            }
            var partition = new TopicPartition(record.topic(), record.partition());
            first.putIfAbsent(partition, record.offset());
            next.put(partition, new OffsetAndMetadata(record.offset() + 1));
        }
        try {
            jdbi.useTransaction(handle -> writer.write(handle, values));
        } catch (RuntimeException e) {
            // Not stored, so not committed: rewind and try the same records again.
            log.warn("{}: storing {} records failed, retrying: {}", name, values.size(), e.getMessage());
            first.forEach(consumer::seek);
            sleepQuietly(Duration.ofSeconds(1));
            return;
        }
        betweenCommits.run();
        consumer.commitSync(next);
        stored.addAndGet(values.size());
    }

    /** Records written to PostgreSQL and committed since start. */
    long stored() {
        return stored.get();
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
