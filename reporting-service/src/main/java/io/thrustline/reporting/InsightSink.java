package io.thrustline.reporting;

import io.thrustline.schemas.Insight;
import io.thrustline.schemas.Topic;
import java.time.Duration;
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
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies training.insights.v1 into PostgreSQL. Each polled batch is upserted in one transaction and only
 * then are its offsets committed: a crash in between replays the batch, and the upsert makes the replay
 * harmless. Nothing is lost, nothing doubled.
 */
final class InsightSink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InsightSink.class);

    private final KafkaConsumer<String, Insight> consumer;
    private final Jdbi jdbi;
    private final Thread thread;
    private volatile boolean running = true;

    InsightSink(ReportingConfig config, Topic<String, Insight> topic, Jdbi jdbi) {
        this.jdbi = jdbi;
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // streams-processor writes in transactions: never store what an aborted transaction wrote
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        // A member that died without leaving (kill -9) holds its partitions until this timeout passes.
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.consumerSessionTimeout().toMillis());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "thrustline-reporting-insights");
        this.consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        consumer.subscribe(List.of(topic.name()));
        this.thread = new Thread(this::run, "insight-sink");
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, Insight> records;
                try {
                    records = consumer.poll(Duration.ofMillis(500));
                } catch (RecordDeserializationException e) {
                    log.error("skipping undecodable record at {} offset {}: {}", e.topicPartition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                if (!records.isEmpty()) {
                    store(records);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void store(ConsumerRecords<String, Insight> records) {
        // Within a batch the last record per insight wins: an upsert, or a withdrawal.
        var latest = new java.util.LinkedHashMap<String, Insight>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, Insight> record : records) {
            if (record.value() != null) {
                latest.remove(record.value().getInsightId());
                latest.put(record.value().getInsightId(), record.value());
            }
            var partition = new TopicPartition(record.topic(), record.partition());
            first.putIfAbsent(partition, record.offset());
            next.put(partition, new OffsetAndMetadata(record.offset() + 1));
        }
        List<InsightRow> upserts = latest.values().stream().filter(i -> !i.getRetracted()).map(InsightRow::of).toList();
        List<String> withdrawn = latest.values().stream().filter(Insight::getRetracted).map(Insight::getInsightId).toList();
        try {
            jdbi.useTransaction(handle -> {
                var repository = handle.attach(InsightRepository.class);
                if (!upserts.isEmpty()) {
                    repository.upsert(upserts);
                }
                if (!withdrawn.isEmpty()) {
                    repository.delete(withdrawn);
                }
            });
        } catch (RuntimeException e) {
            // Not stored, so not committed: rewind and try the same records again.
            log.warn("storing {} insights failed, retrying: {}", latest.size(), e.getMessage());
            first.forEach(consumer::seek);
            sleepQuietly(Duration.ofSeconds(1));
            return;
        }
        consumer.commitSync(next);
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
