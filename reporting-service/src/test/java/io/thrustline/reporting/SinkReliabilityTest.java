package io.thrustline.reporting;

import static io.thrustline.testing.TestStacks.call;
import static io.thrustline.testing.TestStacks.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.reporting.ReportingConfig;
import io.thrustline.reporting.ReportingService;
import io.thrustline.reporting.SinkPolicy;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.Side;
import io.thrustline.schemas.Topics;
import io.thrustline.schemas.TrainingEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import io.thrustline.testing.TestStacks;
import io.thrustline.testing.TopicReader;

/**
 * The reporting sink over real PostgreSQL, broker and registry: a record PostgreSQL refuses is dead-lettered
 * and never stops the others; a locked table, a registry outage or a dying sink thread delay records but
 * never lose or double one.
 */
class SinkReliabilityTest extends OverReportingInfrastructure {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Short waits so the tests see several retries; a one-second write timeout so a held lock surfaces fast. */
    private static final SinkPolicy QUICK = new SinkPolicy(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(1));


    @Test
    void recordsPostgresRefusesAreDeadLetteredAndTheRestOfTheirBatchIsStored() throws Exception {
        String athlete = athlete();
        byte[] nul = bytes(set(athlete, s -> s.setNotes("x\u0000y")));
        byte[] yearZero = bytes(set(athlete, s -> s.setPerformedAt(Instant.parse("0000-06-01T10:00:00Z"))));
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        // One partition, one batch: good sets around the bad ones, all there before the sink starts.
        List<RecordMetadata> sent = produce(athlete, List.of(bytes(set(athlete)), nul, bytes(set(athlete)), yearZero, bytes(set(athlete)),
                garbage, bytes(set(athlete))));

        try (var service = ReportingService.start(reportingConfig("poison", config.registryUrl()))) {
            assertThat(eventually(WAIT, () -> count(athlete) == 4)).as("the good sets of the batch are stored").isTrue();
            produce(athlete, List.of(bytes(set(athlete)), bytes(set(athlete))));
            assertThat(eventually(WAIT, () -> count(athlete) == 6)).as("later sets of the same partition are stored").isTrue();

            Map<Long, ConsumerRecord<byte[], byte[]>> deadLetters = deadLettersFor(athlete);
            assertThat(deadLetters.keySet()).containsExactlyInAnyOrder(sent.get(1).offset(), sent.get(3).offset(), sent.get(5).offset());
            assertDeadLetter(deadLetters.get(sent.get(1).offset()), sent.get(1), nul);
            assertDeadLetter(deadLetters.get(sent.get(3).offset()), sent.get(3), yearZero);
            assertDeadLetter(deadLetters.get(sent.get(5).offset()), sent.get(5), garbage);
            assertThat(header(deadLetters.get(sent.get(1).offset()), "thrustline.error.sqlstate")).startsWith("22");
            assertThat(header(deadLetters.get(sent.get(3).offset()), "thrustline.error.sqlstate")).startsWith("22");
            assertThat(header(deadLetters.get(sent.get(5).offset()), "thrustline.error.sqlstate")).as("not a database error").isNull();
            assertThat(header(deadLetters.get(sent.get(5).offset()), "thrustline.error.message")).contains("wire format");

            String base = "http://127.0.0.1:" + service.port();
            assertThat(metric(base, "thrustline_reporting_dead_lettered_total", "sets")).isGreaterThanOrEqualTo(3);
            assertThat(eventually(WAIT, () -> ready(base).status() == 200)).as("a dead-lettered record leaves nothing stuck").isTrue();
        }
    }

    @Test
    void aLockedTableMakesTheSinkStuckUntilReleasedThenEverySetIsStoredOnce() throws Exception {
        String athlete = athlete();
        try (var service = ReportingService.start(reportingConfig("locked", config.registryUrl()));
                var lock = DriverManager.getConnection(config.jdbcUrl("thrustline"), "thrustline", "thrustline")) {
            String base = "http://127.0.0.1:" + service.port();
            assertThat(eventually(WAIT, () -> ready(base).status() == 200)).as("caught up before the lock").isTrue();
            lock.setAutoCommit(false);
            try (var st = lock.createStatement()) {
                st.execute("lock table sets in access exclusive mode");
            }
            produce(athlete, IntStream.range(0, 20).mapToObj(i -> bytes(set(athlete))).toList());

            assertThat(eventually(WAIT, () -> {
                var ready = ready(base);
                return ready.status() == 503 && ready.body().get("stuck").toString().contains("\"sets\"");
            })).as("readiness names the stuck sink while the table is locked").isTrue();
            assertThat(metric(base, "thrustline_reporting_retries_total", "sets")).isPositive();
            assertThat(countOn(lock, athlete)).as("nothing got past the lock").isZero();

            lock.commit(); // releases the lock
            assertThat(eventually(WAIT, () -> count(athlete) == 20)).isTrue();
            assertThat(eventually(WAIT, () -> ready(base).status() == 200)).as("no longer stuck").isTrue();
            assertThat(count(athlete)).as("each set once").isEqualTo(20);
            assertThat(deadLettersFor(athlete)).as("a lock is no reason to dead-letter").isEmpty();
        }
    }

    @Test
    void aRegistryOutageIsRetriedNeverSkippedNorDeadLettered() throws Exception {
        String athlete = athlete();
        produce(athlete, IntStream.range(0, 10).mapToObj(i -> bytes(set(athlete))).toList());
        try (var registry = new SwitchableForwarder(config.registryPort())) {
            registry.down();
            // A fresh instance: its decoder has never seen the writer schema and must ask the registry.
            try (var service = ReportingService.start(reportingConfig("registry-outage", "http://127.0.0.1:" + registry.port()))) {
                String base = "http://127.0.0.1:" + service.port();
                assertThat(eventually(WAIT, () -> metric(base, "thrustline_reporting_retries_total", "sets") >= 2))
                        .as("the sink retries while the registry is down").isTrue();
                var ready = ready(base);
                assertThat(ready.status()).isEqualTo(503);
                assertThat(ready.body().get("stuck").toString()).contains("\"sets\"");
                assertThat(count(athlete)).isZero();

                registry.up();
                assertThat(eventually(WAIT, () -> count(athlete) == 10)).as("everything stored once the registry is back").isTrue();
                assertThat(eventually(WAIT, () -> ready(base).status() == 200)).isTrue();
                produce(athlete, List.of(bytes(set(athlete))));
                assertThat(eventually(WAIT, () -> count(athlete) == 11)).isTrue();
                assertThat(deadLettersFor(athlete)).as("an outage is no reason to dead-letter").isEmpty();
            }
        }
    }

    @Test
    void aSinkThreadThatDiesIsRestartedAndLosesAndDoublesNothing() throws Exception {
        String athlete = athlete();
        produce(athlete, IntStream.range(0, 5).mapToObj(i -> bytes(set(athlete))).toList());
        var crashed = new AtomicBoolean();
        // Only the sets topic gets records in this class, so the sets sink is the one that dies, once, after its
        // first database commit and before its offset commit.
        Runnable crashOnce = () -> {
            if (crashed.compareAndSet(false, true)) {
                throw new IllegalStateException("simulated death of the sink thread");
            }
        };
        try (var service = ReportingService.start(reportingConfig("restart", config.registryUrl()), crashOnce)) {
            String base = "http://127.0.0.1:" + service.port();
            assertThat(eventually(WAIT, () -> metric(base, "thrustline_reporting_restarts_total", "sets") == 1)).as("restarted").isTrue();
            produce(athlete, IntStream.range(0, 3).mapToObj(i -> bytes(set(athlete))).toList());
            assertThat(eventually(WAIT, () -> count(athlete) == 8)).as("the restarted sink stores later sets").isTrue();
            assertThat(eventually(WAIT, () -> committed("restart-sets") == endOffsets(Topics.EVENTS))).as("and commits them").isTrue();
            assertThat(count(athlete)).isEqualTo(8);
            assertThat(metric(base, "thrustline_reporting_restarts_total", "sets")).isEqualTo(1);
            // Ready once every sink has polled (the others' lag is unknown until then) and none is stuck.
            assertThat(eventually(WAIT, () -> ready(base).status() == 200)).as("ready again after the restart").isTrue();
            assertThat(deadLettersFor(athlete)).isEmpty();
        }
    }

    @Test
    void theFirstCopyOfASetWinsAndTwoIntegrationsNeverShareAnEvent() throws Exception {
        String localAthlete = "ath-" + UUID.randomUUID().toString().substring(0, 8);
        String gymA = "gym-a:" + localAthlete;
        String gymB = "gym-b:" + localAthlete;
        TrainingEvent first = set(gymA, s -> s.setNotes("first copy"));
        TrainingEvent again = TrainingEvent.newBuilder(first).setPayload(SetLogged.newBuilder((SetLogged) first.getPayload())
                .setNotes("second copy").build()).build();
        TrainingEvent otherGym = TrainingEvent.newBuilder(first).setAthleteId(gymB).setPayload(SetLogged.newBuilder((SetLogged) first.getPayload())
                .setNotes("gym b's own event").build()).build();
        produce(gymA, List.of(bytes(first), bytes(again))); // one batch
        produce(gymB, List.of(bytes(otherGym)));

        try (var service = ReportingService.start(reportingConfig("first-copy", config.registryUrl()))) {
            assertThat(eventually(WAIT, () -> count(gymA) == 1 && count(gymB) == 1)).isTrue();
            TrainingEvent third = TrainingEvent.newBuilder(first).setPayload(SetLogged.newBuilder((SetLogged) first.getPayload())
                    .setNotes("third copy").build()).build();
            produce(gymA, List.of(bytes(third), bytes(set(gymA))));
            assertThat(eventually(WAIT, () -> count(gymA) == 2)).as("the set after the third copy is stored").isTrue();
            assertThat(notes(gymA, first.getEventId())).isEqualTo("first copy");
            assertThat(notes(gymB, first.getEventId())).isEqualTo("gym b's own event");
        }
    }

    private String notes(String athlete, String eventId) throws Exception {
        try (var c = DriverManager.getConnection(config.jdbcUrl("thrustline"), "thrustline", "thrustline");
                var st = c.prepareStatement("select notes from sets where athlete_id = ? and event_id = ?")) {
            st.setString(1, athlete);
            st.setString(2, eventId);
            try (var rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void assertDeadLetter(ConsumerRecord<byte[], byte[]> deadLetter, RecordMetadata original, byte[] value) {
        assertThat(deadLetter.value()).as("the original bytes").isEqualTo(value);
        assertThat(header(deadLetter, "thrustline.sink")).isEqualTo("sets");
        assertThat(header(deadLetter, "thrustline.source.topic")).isEqualTo(Topics.EVENTS);
        assertThat(header(deadLetter, "thrustline.source.partition")).isEqualTo(String.valueOf(original.partition()));
        assertThat(header(deadLetter, "thrustline.source.offset")).isEqualTo(String.valueOf(original.offset()));
        assertThat(header(deadLetter, "thrustline.error.class")).isNotBlank();
        assertThat(header(deadLetter, "thrustline.error.message")).isNotBlank();
        assertThat(header(deadLetter, "test.origin")).as("the original headers too").isEqualTo("sink-reliability-test");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private ReportingConfig reportingConfig(String group, String registryUrl) {
        return ReportingConfig.local(config.bootstrapServers(), registryUrl, group, config.jdbcUrl("thrustline"), "thrustline",
                "thrustline", TOKENS, EXPORT_SECRET).withSink(QUICK);
    }

    private static String athlete() {
        return "gym-a:ath-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static TestStacks.Response ready(String base) throws Exception {
        return call("GET", base + "/health/ready", null, null);
    }

    /** The value of a per-sink counter or gauge on /metrics; -1 when it is not there. */
    private static double metric(String base, String name, String sink) throws Exception {
        String prefix = name + "{sink=\"" + sink + "\"} ";
        return call("GET", base + "/metrics", null, null).body().asText().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).trim())).findFirst().orElse(-1);
    }

    private TrainingEvent set(String athlete) {
        return set(athlete, s -> { });
    }

    private TrainingEvent set(String athlete, java.util.function.Consumer<SetLogged> change) {
        var set = SetLogged.newBuilder().setSessionId("s-1").setPerformedAt(Instant.now().minusSeconds(60)).setExercise("glute_bridge")
                .setSide(Side.BOTH).setReps(10).setLoadKg(20).build();
        change.accept(set);
        return TrainingEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setAthleteId(athlete).setSource("test")
                .setReceivedAt(Instant.now()).setPayload(set).build();
    }

    private byte[] bytes(TrainingEvent event) {
        return topics.events().valueSerde().serializer().serialize(Topics.EVENTS, event);
    }

    /** Sends the values in order under the athlete's key (one partition), with a header of our own. */
    private List<RecordMetadata> produce(String athlete, List<byte[]> values) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            var futures = new ArrayList<java.util.concurrent.Future<RecordMetadata>>();
            for (byte[] value : values) {
                var record = new ProducerRecord<>(Topics.EVENTS, athlete.getBytes(StandardCharsets.UTF_8), value);
                record.headers().add("test.origin", "sink-reliability-test".getBytes(StandardCharsets.UTF_8));
                futures.add(producer.send(record));
            }
            var sent = new ArrayList<RecordMetadata>();
            for (var future : futures) {
                sent.add(future.get());
            }
            return sent;
        }
    }

    /** Every dead letter keyed by this athlete, by its source offset, read up to the end of the topic. */
    private Map<Long, ConsumerRecord<byte[], byte[]>> deadLettersFor(String athlete) {
        var found = new HashMap<Long, ConsumerRecord<byte[], byte[]>>();
        for (var record : TopicReader.records(config.bootstrapServers(), Topics.REPORTING_DEAD_LETTERS)) {
            if (athlete.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                found.put(Long.parseLong(header(record, "thrustline.source.offset")), record);
            }
        }
        return found;
    }

    private long count(String athlete) throws Exception {
        try (var c = DriverManager.getConnection(config.jdbcUrl("thrustline"), "thrustline", "thrustline")) {
            return countOn(c, athlete);
        }
    }

    private static long countOn(java.sql.Connection connection, String athlete) throws Exception {
        try (var st = connection.prepareStatement("select count(*) from sets where athlete_id = ?")) {
            st.setString(1, athlete);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long committed(String group) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", config.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                    .filter(java.util.Objects::nonNull).mapToLong(o -> o.offset()).sum();
        }
    }

    private long endOffsets(String topic) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * A TCP forwarder to the registry that can be switched off: then it cuts open connections and closes new
     * ones at once, as a registry that is down would.
     */
    private static final class SwitchableForwarder implements AutoCloseable {
        private final ServerSocket server;
        private final int targetPort;
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private volatile boolean up = true;

        SwitchableForwarder(int targetPort) throws IOException {
            this.targetPort = targetPort;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().name("registry-forwarder").start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        void down() {
            up = false;
            open.forEach(SwitchableForwarder::closeQuietly);
        }

        void up() {
            up = true;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    if (!up) {
                        client.close();
                        continue;
                    }
                    Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    open.add(client);
                    open.add(target);
                    pipe(client, target);
                    pipe(target, client);
                } catch (IOException e) {
                    // closed, or one connection failed: go on with the next
                }
            }
        }

        private void pipe(Socket from, Socket to) {
            Thread.ofPlatform().daemon().start(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // the other side went away
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                    open.remove(from);
                    open.remove(to);
                }
            });
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            open.forEach(SwitchableForwarder::closeQuietly);
        }
    }
}
