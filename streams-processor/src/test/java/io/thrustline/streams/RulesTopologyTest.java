package io.thrustline.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.schemas.Identifiers;
import io.thrustline.schemas.Insight;
import io.thrustline.schemas.PlainAvroSerde;
import io.thrustline.schemas.SessionCompleted;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.Side;
import io.thrustline.schemas.Topics;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.seeds.Seeds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wiring: dedupe, session close, insight out, poison records to the dead-letter topic. */
class RulesTopologyTest {

    private static final Instant START = Instant.parse("2026-11-21T07:30:00Z");

    // Plain Avro stands in for the registry's wire format here; the end-to-end test covers the registry.
    private final Topics topics = Topics.using(PlainAvroSerde.factory());
    private TopologyTestDriver driver;
    private TestInputTopic<String, TrainingEvent> events;
    private TestInputTopic<String, byte[]> rawEvents;
    private TestOutputTopic<String, Insight> insights;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        var props = StreamsProcessorService.properties(new StreamsProcessorConfig(io.thrustline.schemas.KafkaSettings.plaintext("unused:9092"), io.thrustline.schemas.RegistrySettings.open("http://unused"), "rules-test",
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "thrustline-ttd-" + ProcessHandle.current().pid()),
                Retention.defaults(), Duration.ofSeconds(10), 32L * 1024 * 1024));
        driver = new TopologyTestDriver(RulesTopology.build(topics, Seeds.loadBuiltIn(), Retention.defaults()), props);
        events = driver.createInputTopic(Topics.EVENTS, Serdes.String().serializer(), topics.events().valueSerde().serializer());
        rawEvents = driver.createInputTopic(Topics.EVENTS, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        insights = driver.createOutputTopic(Topics.INSIGHTS, Serdes.String().deserializer(), topics.insights().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void hingeBeforeBridgeIsRaisedWhenTheSessionCompletes() {
        send(set("e1", "gym-a:ath-1", "s-1", 0, "deadlift", 100));
        send(set("e2", "gym-a:ath-1", "s-1", 10, "glute_bridge", 0));
        assertThat(insights.isEmpty()).isTrue(); // nothing is judged while the session is open
        send(completed("c1", "gym-a:ath-1", "s-1", 20));

        List<TestRecord<String, Insight>> out = insights.readRecordsToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo("gym-a:ath-1");
        Insight insight = out.get(0).value();
        assertThat(insight.getRule()).isEqualTo("HINGE_BEFORE_BRIDGE");
        assertThat(insight.getExercise()).isEqualTo("deadlift");
        assertThat(insight.getTriggerEventId()).isEqualTo("e1");
        assertThat(insight.getDetectedAt()).isEqualTo(START);
    }

    @Test
    void aWellOrderedSessionRaisesNothing() {
        send(set("e1", "gym-a:ath-1", "s-1", 0, "glute_bridge", 0));
        send(set("e2", "gym-a:ath-1", "s-1", 10, "deadlift", 100));
        send(completed("c1", "gym-a:ath-1", "s-1", 20));
        assertThat(insights.isEmpty()).isTrue();
    }

    @Test
    void aBridgeThatArrivesLateButWasPerformedFirstCounts() {
        send(set("e2", "gym-a:ath-1", "s-1", 10, "deadlift", 100));
        send(set("e1", "gym-a:ath-1", "s-1", 0, "glute_bridge", 0)); // synced late, performed first
        send(completed("c1", "gym-a:ath-1", "s-1", 20));
        assertThat(insights.isEmpty()).isTrue();
    }

    @Test
    void aDuplicatedEventCountsOnce() {
        TrainingEvent bridge = set("e1", "gym-a:ath-1", "s-1", 5, "glute_bridge", 0);
        send(set("e2", "gym-a:ath-1", "s-1", 0, "deadlift", 100));
        send(completed("c1", "gym-a:ath-1", "s-1", 20));
        send(completed("c1", "gym-a:ath-1", "s-1", 20)); // the same completion retried: no second evaluation
        assertThat(insights.readRecordsToList()).hasSize(1);
        send(bridge);
        send(bridge);
        assertThat(insights.isEmpty()).isTrue();
    }

    @Test
    void aReopenedSessionIsJudgedAgainUnderTheSameInsightId() {
        send(set("e1", "gym-a:ath-1", "s-1", 0, "deadlift", 100));
        send(completed("c1", "gym-a:ath-1", "s-1", 20));
        String firstId = insights.readValue().getInsightId();
        send(set("e3", "gym-a:ath-1", "s-1", 25, "kettlebell_swing", 24)); // late set re-opens the session
        send(completed("c2", "gym-a:ath-1", "s-1", 30));
        assertThat(insights.readValue().getInsightId()).isEqualTo(firstId);
    }

    @Test
    void sessionsOfDifferentAthletesStayApart() {
        send(set("e1", "gym-a:ath-1", "s-1", 0, "glute_bridge", 0));
        send(set("e2", "gym-a:ath-2", "s-1", 5, "deadlift", 100));
        send(completed("c1", "gym-a:ath-2", "s-1", 20));
        assertThat(insights.readValue().getAthleteId()).isEqualTo("gym-a:ath-2");
    }

    @Test
    void undecodableBytesAreSkippedAndProcessingGoesOn() {
        // TopologyTestDriver does not forward a deserialization failure's dead letter; the end-to-end test
        // checks that those bytes reach training.events.dlq.v1 on a real broker.
        rawEvents.pipeInput("gym-a:ath-1", "not avro at all".getBytes(StandardCharsets.UTF_8));
        send(set("e1", "gym-a:ath-1", "s-1", 0, "deadlift", 100));
        send(completed("c1", "gym-a:ath-1", "s-1", 20));
        assertThat(insights.readRecordsToList()).hasSize(1);
    }

    @Test
    void anEventTheRulesCannotJudgeGoesToTheDeadLetterTopicWithTheReason() {
        send(set("e1", "gym-a:ath-1", "s-1", 0, "zercher_squat_deluxe", 100));
        send(set("e2", "gym-a:ath-1", "s-1", 1, "deadlift", 100));
        send(completed("c1", "gym-a:ath-1", "s-1", 20));

        var dead = deadLetters.readRecord();
        assertThat(header(dead.headers().lastHeader("__streams.errors.message"))).contains("zercher_squat_deluxe");
        assertThat(topics.events().valueSerde().deserializer().deserialize(Topics.EVENTS, dead.value()).getEventId()).isEqualTo("e1");
        assertThat(insights.readValue().getTriggerEventId()).isEqualTo("e2"); // the bad set left no trace in the session
    }

    @Test
    void aKeyThatIsNotTheAthleteIsRejected() {
        events.pipeInput("someone-else", set("e1", "gym-a:ath-1", "s-1", 0, "deadlift", 100));
        assertThat(header(deadLetters.readRecord().headers().lastHeader("__streams.errors.message"))).contains("athleteId");
    }

    private void send(TrainingEvent event) {
        events.pipeInput(event.getAthleteId(), event);
    }

    private static String header(Header header) {
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    static TrainingEvent set(String eventId, String athleteId, String sessionId, int minute, String exercise, double loadKg) {
        Instant performedAt = START.plusSeconds(60L * minute);
        var payload = SetLogged.newBuilder().setSessionId(sessionId).setPerformedAt(performedAt)
                .setExercise(exercise).setSide(Side.BOTH).setReps(8).setLoadKg(loadKg).build();
        return TrainingEvent.newBuilder().setEventId(eventId).setAthleteId(athleteId).setSource(Identifiers.integrationOf(athleteId))
                .setReceivedAt(performedAt).setPayload(payload).build();
    }

    static TrainingEvent completed(String eventId, String athleteId, String sessionId, int minute) {
        Instant completedAt = START.plusSeconds(60L * minute);
        var payload = SessionCompleted.newBuilder().setSessionId(sessionId).setCompletedAt(completedAt).build();
        return TrainingEvent.newBuilder().setEventId(eventId).setAthleteId(athleteId).setSource(Identifiers.integrationOf(athleteId))
                .setReceivedAt(completedAt).setPayload(payload).build();
    }
}
