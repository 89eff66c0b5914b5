package io.thrustline.bench;

import io.thrustline.schemas.Topics;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.seeds.Seeds;
import io.thrustline.streams.Retention;
import io.thrustline.streams.RulesTopology;
import io.thrustline.streams.StreamsProcessorConfig;
import io.thrustline.streams.StreamsProcessorService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import io.thrustline.infrastructure.Infrastructure;
import io.thrustline.infrastructure.StackConfig;

/**
 * Sets per second through the rules topology (registry Avro, dedupe, RocksDB stores, exactly-once) against
 * a pass-through exactly-once topology over the same records, on the same broker, in the same run.
 * Usage: ./thrustline bench rules [athletes] [rounds] [streamThreads]; both topologies run with the same settings.
 */
public final class RulesThroughputBenchmark {

    private static final String PASS_THROUGH_OUT = "bench.passthrough.v1";

    public static void main(String[] args) throws Exception {
        int athletes = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Path dir = BenchStack.scratch("rules");
        StackConfig config = BenchStack.config(dir);
        try (var infrastructure = Infrastructure.start(config)) {
            try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(PASS_THROUGH_OUT, config.topicPartitions(), (short) 1)))
                        .all().get();
            }
            List<TrainingEvent> events = BenchmarkGym.events(athletes, 3, 42);
            BenchStack.produce(config, events);
            System.out.printf("%n%d events (%d athletes x 3 sessions) on %s, %d partitions%n", events.size(), athletes, Topics.EVENTS,
                    config.topicPartitions());
            var ratios = new ArrayList<Double>();
            for (int round = 1; round <= rounds; round++) {
                Run baseline = run(config, "bench-pass-" + round, dir, passThrough(), events.size(), threads);
                Path stateDir = dir.resolve("rules-" + round);
                Run rules = run(config, "bench-rules-" + round, stateDir, RulesTopology.build(Topics.withRegistry(config.registryUrl()),
                        Seeds.loadBuiltIn(), Retention.defaults()), events.size(), threads);
                double ratio = rules.eventsPerSecond() / baseline.eventsPerSecond();
                ratios.add(ratio);
                System.out.printf("round %d: pass-through %,.0f events/s (stream thread %.1f µs CPU/event, process %.2f cores), "
                        + "rules %,.0f events/s (%.1f µs/event, %.2f cores), ratio %.2f; state %,d bytes/athlete%n",
                        round, baseline.eventsPerSecond(), baseline.threadMicrosPerEvent(), baseline.cores(), rules.eventsPerSecond(),
                        rules.threadMicrosPerEvent(), rules.cores(), ratio, size(stateDir) / athletes);
                if (round == rounds) {
                    System.out.println("state per athlete on disk (RocksDB) by store: " + sizeByStore(stateDir, athletes));
                    System.out.println(changelogs(config, "bench-rules-" + round, athletes, events.size()));
                }
            }
            System.out.println("ratio rules / pass-through: " + Ratios.summary(ratios) + " (target >= 0.6)");
        } finally {
            deleteRecursively(dir);
        }
    }

    private static Topology passThrough() {
        var topology = new Topology();
        topology.addSource("in", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), Topics.EVENTS);
        topology.addSink("out", PASS_THROUGH_OUT, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), "in");
        return topology;
    }

    /**
     * One topology's run: events per second, the CPU its stream thread spent per event, and how many cores the whole
     * process (broker included; the registry is a separate process) kept busy meanwhile.
     */
    record Run(double eventsPerSecond, double threadMicrosPerEvent, double cores) {}

    /** Runs a topology from the start of the events topic until it has committed all of it. */
    private static Run run(StackConfig config, String applicationId, Path stateDir, Topology topology, int expected, int threads) throws Exception {
        Properties props = StreamsProcessorService.properties(new StreamsProcessorConfig(io.thrustline.schemas.KafkaSettings.plaintext(config.bootstrapServers()), io.thrustline.schemas.RegistrySettings.open(config.registryUrl()),
                applicationId, stateDir, Retention.defaults(), Duration.ofSeconds(10), 32L * 1024 * 1024));
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()));
                var streams = new KafkaStreams(topology, props)) {
            Map<TopicPartition, Long> end = endOffsets(admin);
            streams.start();
            while (streams.state() != KafkaStreams.State.RUNNING) {
                Thread.sleep(5);
            }
            long began = System.nanoTime();
            long threadCpuBefore = streamThreadCpuNanos(applicationId);
            long processCpuBefore = processCpuNanos();
            while (!caughtUp(admin, applicationId, end)) {
                if (streams.state() != KafkaStreams.State.RUNNING && streams.state() != KafkaStreams.State.REBALANCING) {
                    throw new IllegalStateException(applicationId + " stopped: " + streams.state());
                }
                Thread.sleep(20);
            }
            long wall = System.nanoTime() - began;
            long threadCpu = streamThreadCpuNanos(applicationId) - threadCpuBefore;
            long processCpu = processCpuNanos() - processCpuBefore;
            return new Run(expected / (wall / 1e9), threadCpu / 1e3 / expected, (double) processCpu / wall);
        }
    }

    private static long streamThreadCpuNanos(String applicationId) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(applicationId) && info.getThreadName().contains("StreamThread")
                    && !info.getThreadName().contains("producer")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Bytes on disk per athlete for each store (every task's RocksDB directory of that name), largest first. */
    private static String sizeByStore(Path stateDir, int athletes) throws IOException {
        var byStore = new java.util.TreeMap<String, Long>();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                Path rel = stateDir.relativize(p);
                String store = "other (checkpoints, locks)";
                for (int i = 0; i + 1 < rel.getNameCount(); i++) {
                    if (rel.getName(i).toString().equals("rocksdb")) {
                        store = rel.getName(i + 1).toString();
                    }
                }
                byStore.merge(store, p.toFile().length(), Long::sum);
            });
        }
        return byStore.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + e.getValue() / athletes).collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * What the rules topology wrote to its changelogs: records per input event (the broker's work), and the live state
     * per athlete, each key's newest value as compaction will keep it (what a restore reads).
     */
    private static String changelogs(StackConfig config, String applicationId, int athletes, int events) throws Exception {
        var props = new Properties();
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var out = new StringBuilder("changelog records per input event, and live state per athlete (newest value of each key):");
        long allRecords = 0;
        long allLive = 0;
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()));
                var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props, Serdes.Bytes().deserializer(), Serdes.Bytes().deserializer())) {
            var topics = admin.listTopics().names().get().stream().filter(t -> t.startsWith(applicationId + "-") && t.endsWith("-changelog")).sorted().toList();
            for (String topic : topics) {
                var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                var live = new java.util.HashMap<org.apache.kafka.common.utils.Bytes, Integer>();
                long records = 0;
                while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                    for (var r : consumer.poll(Duration.ofMillis(500))) {
                        records++;
                        if (r.value() == null) {
                            live.remove(r.key());
                        } else {
                            live.put(r.key(), r.key().get().length + r.value().get().length);
                        }
                    }
                }
                long liveBytes = live.values().stream().mapToLong(Integer::longValue).sum();
                allRecords += records;
                allLive += liveBytes;
                String store = topic.substring(applicationId.length() + 1, topic.length() - "-changelog".length());
                out.append(String.format("%n  %-18s %.2f records/event, %,d bytes/athlete live", store, (double) records / events, liveBytes / athletes));
            }
        }
        return out.append(String.format("%n  %-18s %.2f records/event, %,d bytes/athlete live", "all", (double) allRecords / events,
                allLive / athletes)).toString();
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        var partitions = admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get().get(Topics.EVENTS).partitions().stream()
                .map(p -> new TopicPartition(Topics.EVENTS, p.partition())).toList();
        var request = new java.util.HashMap<TopicPartition, OffsetSpec>();
        partitions.forEach(p -> request.put(p, OffsetSpec.latest()));
        var result = new java.util.HashMap<TopicPartition, Long>();
        admin.listOffsets(request).all().get().forEach((p, info) -> result.put(p, info.offset()));
        return result;
    }

    private static boolean caughtUp(Admin admin, String groupId, Map<TopicPartition, Long> end) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        return end.entrySet().stream().allMatch(e -> {
            OffsetAndMetadata c = committed.get(e.getKey());
            return c != null && c.offset() >= e.getValue();
        });
    }


    private static long size(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
