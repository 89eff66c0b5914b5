package io.thrustline.testing;

import io.thrustline.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a test checks a topic by: every committed record of every partition, from the start up to the end as it
 * stands when the read begins (read_committed, so an aborted transaction's records never count).
 */
public final class TopicReader {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private TopicReader() {}

    /** The records as they are on the topic: bytes, headers and all. */
    public static List<ConsumerRecord<byte[], byte[]>> records(String bootstrapServers, String topic) {
        var props = Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(topic + " could not be read to its end within " + PATIENCE);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The values, decoded as the pipeline decodes them (through the registry, for the Avro topics). */
    public static <V> List<V> values(String bootstrapServers, Topic<String, V> topic) {
        try (var values = topic.valueSerde().deserializer()) {
            return records(bootstrapServers, topic.name()).stream().map(r -> values.deserialize(topic.name(), r.headers(), r.value())).toList();
        }
    }
}
