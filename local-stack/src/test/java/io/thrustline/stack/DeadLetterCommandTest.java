package io.thrustline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.ops.DeadLetterCommand;
import io.thrustline.schemas.DeadLetterHeaders;
import io.thrustline.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInstance;
import io.thrustline.testing.TopicReader;
import io.thrustline.testing.OwnBroker;

/** {@code ./thrustline dlq} against a real broker: lists both dead-letter topics with their reasons, and redrives. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadLetterCommandTest {

    @RegisterExtension
    static final OwnBroker BROKER = new OwnBroker();

    @BeforeAll
    void createTopics() throws Exception {
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(Topics.EVENTS, 1, (short) 1), new NewTopic(Topics.INSIGHTS, 1, (short) 1),
                    new NewTopic(Topics.DEAD_LETTERS, 1, (short) 1), new NewTopic(Topics.REPORTING_DEAD_LETTERS, 1, (short) 1))).all().get();
        }
    }

    @Test
    void listsEachDeadLetterWithWhereItCameFromAndWhyThenSendsChosenOnesBack() throws Exception {
        var streamsRefused = new RecordHeaders();
        streamsRefused.add(DeadLetterHeaders.STREAMS_MESSAGE, bytes("exercise 'pistol_squat' is not in the catalog"));
        streamsRefused.add(DeadLetterHeaders.STREAMS_TOPIC, bytes(Topics.EVENTS));
        streamsRefused.add(DeadLetterHeaders.STREAMS_PARTITION, bytes("0"));
        streamsRefused.add(DeadLetterHeaders.STREAMS_OFFSET, bytes("41"));
        streamsRefused.add("trace-id", bytes("abc")); // the original record's own header
        send(Topics.DEAD_LETTERS, "gym-a:ath-1", "event-bytes-1", streamsRefused);
        send(Topics.DEAD_LETTERS, "gym-a:ath-2", "event-bytes-2", streamsRefused);
        var sinkRefused = new RecordHeaders();
        sinkRefused.add(DeadLetterHeaders.ERROR_MESSAGE, bytes("value too long for type character varying(64)"));
        sinkRefused.add(DeadLetterHeaders.SOURCE_TOPIC, bytes(Topics.INSIGHTS));
        sinkRefused.add(DeadLetterHeaders.SOURCE_PARTITION, bytes("0"));
        sinkRefused.add(DeadLetterHeaders.SOURCE_OFFSET, bytes("7"));
        send(Topics.REPORTING_DEAD_LETTERS, "gym-a:ath-3", "insight-bytes", sinkRefused);

        var list = dlq("list", "events");
        assertThat(list.status()).isZero();
        assertThat(list.out()).contains(Topics.DEAD_LETTERS + "@0:0").contains("key=gym-a:ath-1").contains("from " + Topics.EVENTS + "@0:41")
                .contains("not in the catalog").contains("2 dead letter(s) on " + Topics.DEAD_LETTERS);
        assertThat(dlq("list", "events", "--limit", "1").out()).contains("the first 1 shown").doesNotContain("key=gym-a:ath-2");
        assertThat(dlq("list", "reporting").out()).contains("from " + Topics.INSIGHTS + "@0:7").contains("value too long");

        var redrive = dlq("redrive", "events", "--partition", "0", "--offset", "1");
        assertThat(redrive.status()).isZero();
        assertThat(redrive.out()).contains("1 dead letter(s) sent back");
        List<ConsumerRecord<byte[], byte[]>> back = readAll(Topics.EVENTS);
        assertThat(back).singleElement().satisfies(r -> {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("gym-a:ath-2");
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("event-bytes-2");
            assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.REDRIVEN_FROM).value(), StandardCharsets.UTF_8))
                    .isEqualTo(Topics.DEAD_LETTERS + "@0:1");
            assertThat(r.headers().lastHeader("trace-id")).as("the record's own headers travel with it").isNotNull();
            assertThat(r.headers().lastHeader(DeadLetterHeaders.STREAMS_MESSAGE)).as("the old reason does not").isNull();
        });
        assertThat(dlq("redrive", "reporting", "--partition", "0", "--offset", "0").status()).isZero();
        assertThat(readAll(Topics.INSIGHTS)).singleElement().satisfies(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                .isEqualTo("insight-bytes"));

        assertThat(dlq("redrive", "events").status()).as("which records must be named").isEqualTo(2);
        assertThat(dlq("redrive", "events", "--partition", "0", "--offset", "9").status()).as("nothing there").isEqualTo(2);
        assertThat(dlq("list", "everything").err()).contains("events (" + Topics.DEAD_LETTERS + ") or reporting");
    }

    record Run(int status, String out, String err) {}

    private Run dlq(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = DeadLetterCommand.run(List.of(args), Map.of("THRUSTLINE_KAFKA_BOOTSTRAP", BROKER.bootstrap()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void send(String topic, String key, String value, RecordHeaders headers) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrap()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, null, bytes(key), bytes(value), headers)).get();
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return TopicReader.records(BROKER.bootstrap(), topic);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

}
