package io.thrustline.ops;

import io.thrustline.schemas.DeadLetterHeaders;
import io.thrustline.schemas.KafkaSettings;
import io.thrustline.schemas.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code ./thrustline dlq list|redrive}: what the two dead-letter topics hold, and sending chosen dead letters back to
 * the topic they came from once what refused them is fixed (a catalog entry added, a database column widened).
 *
 * <pre>
 * ./thrustline dlq list events|reporting [--limit N]
 * ./thrustline dlq redrive events|reporting --partition P --offset O [--to-offset O2]
 * </pre>
 *
 * A redriven record keeps its key and bytes and gains {@link DeadLetterHeaders#REDRIVEN_FROM}. Redriving twice is
 * harmless: downstream the first copy of an event wins and insights and balances are upserts. A record that is still
 * refused goes back to its dead-letter topic with the reason. Reads only what is committed.
 */
public final class DeadLetterCommand {

    /** Which dead-letter topic, and the headers its writer names the source and the reason with. */
    enum Queue {
        EVENTS(Topics.DEAD_LETTERS, DeadLetterHeaders.STREAMS_TOPIC, DeadLetterHeaders.STREAMS_PARTITION, DeadLetterHeaders.STREAMS_OFFSET,
                DeadLetterHeaders.STREAMS_MESSAGE),
        REPORTING(Topics.REPORTING_DEAD_LETTERS, DeadLetterHeaders.SOURCE_TOPIC, DeadLetterHeaders.SOURCE_PARTITION,
                DeadLetterHeaders.SOURCE_OFFSET, DeadLetterHeaders.ERROR_MESSAGE);

        final String topic;
        final String sourceTopic;
        final String sourcePartition;
        final String sourceOffset;
        final String reason;

        Queue(String topic, String sourceTopic, String sourcePartition, String sourceOffset, String reason) {
            this.topic = topic;
            this.sourceTopic = sourceTopic;
            this.sourcePartition = sourcePartition;
            this.sourceOffset = sourceOffset;
            this.reason = reason;
        }

        static Queue parse(String name) {
            return switch (name) {
                case "events" -> EVENTS;
                case "reporting" -> REPORTING;
                default -> throw new IllegalArgumentException("name the dead-letter topic: events (" + Topics.DEAD_LETTERS + ") or reporting ("
                        + Topics.REPORTING_DEAD_LETTERS + "), not '" + name + "'");
            };
        }
    }

    static final String USAGE = "usage: ./thrustline dlq list events|reporting [--limit N]\n"
            + "       ./thrustline dlq redrive events|reporting --partition P --offset O [--to-offset O2]";

    private DeadLetterCommand() {}

    public static void main(String[] args) {
        int status;
        try {
            status = run(List.of(args), System.getenv(), System.out, System.err);
        } catch (Exception e) {
            System.err.println("thrustline dlq: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    /** @return 0 done, 2 a usage mistake (said on {@code err}) */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.size() < 2 || !(args.get(0).equals("list") || args.get(0).equals("redrive"))) {
            err.println(USAGE);
            return 2;
        }
        Queue queue;
        int limit = 100;
        Integer partition = null;
        Long offset = null;
        Long toOffset = null;
        try {
            queue = Queue.parse(args.get(1));
            for (int i = 2; i < args.size(); i += 2) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(args.get(i) + " needs a value");
                }
                String value = args.get(i + 1);
                switch (args.get(i)) {
                    case "--limit" -> limit = Integer.parseInt(value);
                    case "--partition" -> partition = Integer.parseInt(value);
                    case "--offset" -> offset = Long.parseLong(value);
                    case "--to-offset" -> toOffset = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option " + args.get(i));
                }
            }
            if (args.get(0).equals("redrive") && (partition == null || offset == null)) {
                throw new IllegalArgumentException("redrive needs --partition and --offset (see ./thrustline dlq list)");
            }
        } catch (IllegalArgumentException e) {
            err.println("thrustline dlq: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        KafkaSettings kafka = KafkaSettings.fromEnv(env);
        if (args.get(0).equals("list")) {
            int[] shown = {0};
            int max = limit;
            read(kafka, queue, null, 0, Long.MAX_VALUE, r -> {
                if (shown[0]++ < max) {
                    out.println(describe(queue, r));
                }
            });
            out.println(shown[0] + " dead letter(s) on " + queue.topic + (shown[0] > max ? ", the first " + max + " shown" : ""));
            return 0;
        }
        var chosen = new ArrayList<ConsumerRecord<byte[], byte[]>>();
        long last = toOffset == null ? offset : toOffset;
        read(kafka, queue, partition, offset, last, chosen::add);
        if (chosen.isEmpty()) {
            err.println("thrustline dlq: nothing on " + queue.topic + " partition " + partition + " from offset " + offset + " to " + last);
            return 2;
        }
        Map<String, Object> props = kafka.common();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "thrustline-dlq-redrive");
        try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<byte[], byte[]> r : chosen) {
                String target = header(r, queue.sourceTopic);
                if (target == null) {
                    throw new IllegalStateException(place(queue, r) + " does not say which topic it came from (" + queue.sourceTopic + ")");
                }
                var headers = new RecordHeaders();
                for (Header h : r.headers()) {
                    if (!h.key().startsWith("__streams.errors.") && !h.key().startsWith("thrustline.error.") && !h.key().startsWith("thrustline.source.")
                            && !h.key().equals(DeadLetterHeaders.SINK)) {
                        headers.add(h); // the original record's own headers, not the reasons it was refused
                    }
                }
                headers.add(DeadLetterHeaders.REDRIVEN_FROM, place(queue, r).getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(target, null, r.key(), r.value(), headers)).get();
                out.println("redriven " + place(queue, r) + " -> " + target);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while redriving", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Kafka refused a redriven record: " + e.getCause().getMessage(), e);
        }
        out.println(chosen.size() + " dead letter(s) sent back");
        return 0;
    }

    /** Every committed record of the queue (or of one partition between two offsets, both included), in order. */
    private static void read(KafkaSettings kafka, Queue queue, Integer onlyPartition, long fromOffset, long toOffset,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> props = kafka.common();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "thrustline-dlq");
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(queue.topic, Duration.ofSeconds(15)).stream()
                    .filter(p -> onlyPartition == null || p.partition() == onlyPartition)
                    .map(p -> new TopicPartition(queue.topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException(queue.topic + " has no partition " + onlyPartition);
            }
            consumer.assign(partitions);
            partitions.forEach(p -> consumer.seek(p, fromOffset));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(15));
            var remaining = new ArrayList<>(partitions.stream().filter(p -> ends.get(p) > fromOffset).toList());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() <= toOffset) {
                        each.accept(r);
                    }
                }
                remaining.removeIf(p -> consumer.position(p) >= ends.get(p) || consumer.position(p) > toOffset);
            }
        }
    }

    static String describe(Queue queue, ConsumerRecord<byte[], byte[]> r) {
        String from = header(r, queue.sourceTopic) == null ? "?" : header(r, queue.sourceTopic) + "@" + header(r, queue.sourcePartition) + ":"
                + header(r, queue.sourceOffset);
        String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
        return place(queue, r) + "  " + Instant.ofEpochMilli(r.timestamp()) + "  key=" + key + "  from " + from + "  "
                + (header(r, queue.reason) == null ? "(no reason given)" : header(r, queue.reason))
                + (header(r, DeadLetterHeaders.REDRIVEN_FROM) == null ? "" : "  (redriven from " + header(r, DeadLetterHeaders.REDRIVEN_FROM) + ")");
    }

    private static String place(Queue queue, ConsumerRecord<byte[], byte[]> r) {
        return queue.topic + "@" + r.partition() + ":" + r.offset();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
