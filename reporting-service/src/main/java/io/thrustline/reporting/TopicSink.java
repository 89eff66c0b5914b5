package io.thrustline.reporting;

import io.thrustline.reporting.DeadLetters.Refused;
import io.thrustline.reporting.FailureClassifier.Kind;
import io.micrometer.core.instrument.MeterRegistry;
import io.thrustline.ops.Fatal;
import io.thrustline.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one topic into PostgreSQL. Each polled batch is written in one transaction and only then are its
 * offsets committed: a crash in between replays the batch, and the writers' upserts make the replay
 * harmless. Nothing is lost, nothing doubled.
 *
 * <p>A record that can never be stored (undecodable, or refused by PostgreSQL for its data) goes to the
 * reporting dead-letter topic, acknowledged there before the offsets move, and the rest of its batch is
 * stored. Anything that will pass (database, registry or broker unavailable) is retried on the same records
 * with a growing wait; meanwhile the sink is stuck. An unexpected failure ends the consumer, and a new one
 * starts after the same wait.
 */
final class TopicSink<V> implements AutoCloseable {

    /** Writes one polled batch inside the caller's transaction; must be idempotent. */
    @FunctionalInterface
    interface BatchWriter<V> {
        void write(Handle handle, List<V> values);
    }

    private static final Logger log = LoggerFactory.getLogger(TopicSink.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final String name;
    private final ReportingConfig config;
    private final Topic<String, V> topic;
    private final Deserializer<V> values;
    private final Jdbi jdbi;
    private final BatchWriter<V> writer;
    private final Runnable betweenCommits;
    private final Fatal fatal;
    private final ClientMetrics consumerMetrics;
    private final DeadLetters deadLetters;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean running = true;
    private volatile long lag = Long.MAX_VALUE;
    /** Failures since the last batch that went through; above zero the sink is stuck. */
    private volatile int failuresInARow;
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();

    /**
     * @param betweenCommits runs after the database commit and before the offset commit; the crash-safety
     *                       tests throw from here, every other caller passes a no-op
     */
    TopicSink(String name, ReportingConfig config, Topic<String, V> topic, Jdbi jdbi, BatchWriter<V> writer, Runnable betweenCommits) {
        this(name, config, topic, jdbi, writer, betweenCommits, null, Fatal.LOG_ONLY);
    }

    /**
     * @param registry where its consumer's and dead-letter producer's Kafka client metrics go; null for none
     * @param fatal    told when Kafka refuses the sink for good (credentials, permissions); the sink then stops
     */
    TopicSink(String name, ReportingConfig config, Topic<String, V> topic, Jdbi jdbi, BatchWriter<V> writer, Runnable betweenCommits,
            MeterRegistry registry, Fatal fatal) {
        this.name = name;
        this.fatal = fatal;
        this.consumerMetrics = new ClientMetrics(registry);
        this.config = config;
        this.topic = topic;
        this.values = topic.valueSerde().deserializer();
        this.jdbi = jdbi;
        this.writer = writer;
        this.betweenCommits = betweenCommits;
        this.deadLetters = new DeadLetters(config.kafka(), name, registry);
        this.consumer = newConsumer(); // the first one here, so that bad settings fail the start
        this.thread = new Thread(this::supervise, "sink-" + name);
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        var props = new Properties();
        props.putAll(config.kafka().common()); // security, rack, timeouts: then what the sink relies on
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup() + "-" + name);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // streams-processor writes in transactions: never store what an aborted transaction wrote
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        // A member that died without leaving (kill -9) holds its partitions until this timeout passes.
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.consumerSessionTimeout().toMillis());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "thrustline-reporting-" + name);
        // Bytes, decoded here: an undecodable record must reach the dead-letter topic exactly as it came.
        var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic.name()));
        consumerMetrics.watch(consumer);
        return consumer;
    }

    void start() {
        thread.start();
    }

    /** Records behind the end of the topic after the last poll; unknown (max) until its partitions are assigned and positioned. */
    long lag() {
        return lag;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Failing on the same records (or restarting after a death) since the last batch that went through. */
    boolean stuck() {
        return failuresInARow > 0;
    }

    boolean healthy() {
        return thread.isAlive() && !stuck();
    }

    /** Records written to PostgreSQL and committed since start. */
    long stored() {
        return stored.get();
    }

    /** Attempts that failed transiently and were retried. */
    long retries() {
        return retries.get();
    }

    /** Records sent to the dead-letter topic. */
    long deadLettered() {
        return deadLettered.get();
    }

    /** Consumers replaced after the sink died of an unexpected failure. */
    long restarts() {
        return restarts.get();
    }

    /** Runs consumers one after another: a new one, after a wait, whenever the last one died. */
    private void supervise() {
        try {
            while (running) {
                try {
                    consume(consumer);
                } catch (WakeupException e) {
                    // close() woke the consumer: stop
                } catch (RuntimeException e) {
                    if (running && Fatal.isPermanent(e)) {
                        // Refused credentials or permissions: every new consumer would be refused the same way.
                        running = false;
                        failuresInARow++;
                        fatal.died("reporting-service: the " + name + " sink stopped: Kafka refused it for good: " + Fatal.describe(e), e);
                    } else if (running) {
                        restarts.incrementAndGet();
                        Duration wait = failed();
                        log.error("{} sink died; a new consumer starts in {} ms", name, wait.toMillis(), e);
                        pause(wait);
                    }
                } finally {
                    consumer.close(Duration.ofSeconds(5)); // never commits: offsets move only in store()
                }
                if (running) {
                    consumer = newConsumer();
                    if (!running) {
                        consumer.wakeup(); // close() may have missed the new consumer
                    }
                }
            }
        } finally {
            consumerMetrics.close();
            deadLetters.close();
        }
    }

    private void consume(KafkaConsumer<byte[], byte[]> consumer) {
        while (running) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            if (!records.isEmpty()) {
                try {
                    store(consumer, records);
                    failuresInARow = 0;
                } catch (TransientFailure e) {
                    if (Fatal.isPermanent(e)) {
                        throw new KafkaException(e.getMessage(), e); // not transient after all: the supervisor reports it
                    }
                    Duration wait = failed();
                    retries.incrementAndGet();
                    log.warn("{}: {} records not stored, retrying in {} ms: {}", name, records.count(), wait.toMillis(), e.getMessage());
                    rewind(consumer, records);
                    pause(wait);
                }
            } else if (caughtUp(consumer)) {
                failuresInARow = 0; // nothing left that could be failing
            }
            lag = lagOf(consumer);
        }
    }

    /** Stores the batch, dead-letters its poison, then commits its offsets; or throws and commits nothing. */
    private void store(KafkaConsumer<byte[], byte[]> consumer, ConsumerRecords<byte[], byte[]> records) throws TransientFailure {
        var decoded = new ArrayList<Decoded<V>>(records.count());
        var refused = new ArrayList<Refused>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            next.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            if (record.value() == null) {
                continue; // a tombstone: nothing to store
            }
            try {
                decoded.add(new Decoded<>(record, values.deserialize(record.topic(), record.headers(), record.value())));
            } catch (RuntimeException e) {
                if (FailureClassifier.ofDecoding(e) == Kind.TRANSIENT) {
                    throw new TransientFailure("the schema registry is unavailable", e);
                }
                refused.add(new Refused(record, e));
            }
        }
        List<Refused> refusedByDatabase = storeAll(decoded);
        refused.addAll(refusedByDatabase);
        try {
            deadLetters.send(refused);
        } catch (KafkaException e) {
            throw new TransientFailure("the dead-letter topic is unavailable", e);
        }
        for (Refused r : refused) {
            log.warn("{}: dead-lettered {}-{}@{}: {}", name, r.record().topic(), r.record().partition(), r.record().offset(), r.error().toString());
        }
        deadLettered.addAndGet(refused.size());
        betweenCommits.run();
        try {
            consumer.commitSync(next);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            throw new TransientFailure("offsets not committed", e);
        }
        stored.addAndGet(decoded.size() - refusedByDatabase.size());
    }

    /**
     * Writes the records in one transaction; when PostgreSQL refuses one of them for its data, writes each
     * half in its own transaction, down to the single records it refuses. Returns those.
     */
    private List<Refused> storeAll(List<Decoded<V>> records) throws TransientFailure {
        if (records.isEmpty()) {
            return List.of();
        }
        try {
            jdbi.useTransaction(handle -> {
                limitWaiting(handle);
                writer.write(handle, records.stream().map(Decoded::value).toList());
            });
            return List.of();
        } catch (RuntimeException e) {
            switch (FailureClassifier.ofStoring(e)) {
                case TRANSIENT -> throw new TransientFailure("PostgreSQL is unavailable", e);
                case UNEXPECTED -> throw e;
                case POISON -> {
                    if (records.size() == 1) {
                        return List.of(new Refused(records.getFirst().record(), e));
                    }
                    int half = records.size() / 2;
                    var refused = new ArrayList<>(storeAll(records.subList(0, half)));
                    refused.addAll(storeAll(records.subList(half, records.size())));
                    return refused;
                }
                default -> throw new IllegalStateException("unknown failure kind", e);
            }
        }
    }

    /** A lock held elsewhere or a hung server must surface as a failure, never as a sink silently waiting. */
    private void limitWaiting(Handle handle) {
        String millis = String.valueOf(config.sink().writeTimeout().toMillis());
        handle.createQuery("select set_config('statement_timeout', :ms, true), set_config('lock_timeout', :ms, true)")
                .bind("ms", millis).mapTo(String.class).one();
    }

    /** Back to the first record of the batch in each partition still ours, to read the same records again. */
    private static void rewind(KafkaConsumer<byte[], byte[]> consumer, ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, records.records(partition).getFirst().offset());
            }
        }
    }

    /**
     * Records behind the ends of the assigned partitions; unknown (max) while nothing is assigned or a partition's
     * position is not known yet, so an unassigned sink never passes for caught up.
     */
    static long lagOf(Consumer<byte[], byte[]> consumer) {
        var assigned = consumer.assignment();
        long total = 0;
        for (TopicPartition p : assigned) {
            var lag = consumer.currentLag(p);
            if (lag.isEmpty()) {
                return Long.MAX_VALUE;
            }
            total += lag.getAsLong();
        }
        return assigned.isEmpty() ? Long.MAX_VALUE : total;
    }

    /** Every assigned partition read to its end, as far as the consumer knows. */
    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer) {
        var assigned = consumer.assignment();
        return !assigned.isEmpty() && assigned.stream().allMatch(p -> consumer.currentLag(p).orElse(-1) == 0);
    }

    /** Counts a failure and says how long to wait before the next attempt. */
    private Duration failed() {
        failuresInARow++;
        return config.sink().backoff(failuresInARow);
    }

    /** Waits, unless the sink is closing. */
    private void pause(Duration wait) {
        try {
            closing.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        closing.countDown();
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A record and its decoded value. */
    private record Decoded<V>(ConsumerRecord<byte[], byte[]> record, V value) {}

    /** Will pass by itself: retry the same records. */
    private static final class TransientFailure extends Exception {
        TransientFailure(String message, Throwable cause) {
            super(message + ": " + cause.getMessage(), cause);
        }
    }
}
