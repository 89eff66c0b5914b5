package io.thrustline.streams;

import io.thrustline.schemas.Identifiers;
import io.thrustline.schemas.Insight;
import io.thrustline.schemas.PlainAvroSerde;
import io.thrustline.schemas.RepDetail;
import io.thrustline.schemas.SessionBalance;
import io.thrustline.schemas.SessionCompleted;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.Side;
import io.thrustline.schemas.Topics;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.seeds.Seeds;
import io.thrustline.streams.judging.SessionJudge;
import io.thrustline.streams.load.LoadProgression;
import io.thrustline.streams.sessions.SessionTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The rules topology in a TopologyTestDriver, with what a test needs to feed it and read it back. */
final class TopologyHarness implements AutoCloseable {

    static final Instant START = Instant.parse("2026-11-21T07:30:00Z");
    private static final Seeds SEEDS = Seeds.loadBuiltIn();
    static final List<String> STORES = List.of(SessionTracker.SESSIONS_STORE, SessionTracker.EVENT_IDS_STORE, SessionTracker.TIMERS_STORE,
            LoadProgression.LOAD_HISTORY_STORE, SessionJudge.BALANCE_HISTORY_STORE, SessionJudge.VERDICTS_STORE);

    // Plain Avro stands in for the registry's wire format here; the end-to-end test covers the registry.
    final Topics topics = Topics.using(PlainAvroSerde.factory());
    final TopologyTestDriver driver;
    final TestInputTopic<String, TrainingEvent> events;
    final TestInputTopic<String, byte[]> rawEvents;
    final TestOutputTopic<String, Insight> insights;
    final TestOutputTopic<String, SessionBalance> balances;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    private final List<Insight> insightLog = new ArrayList<>();
    private final List<SessionBalance> balanceLog = new ArrayList<>();

    TopologyHarness() {
        try {
            var props = StreamsProcessorService.properties(new StreamsProcessorConfig(io.thrustline.schemas.KafkaSettings.plaintext("unused:9092"), io.thrustline.schemas.RegistrySettings.open("http://unused"), "rules-test",
                    Files.createTempDirectory("thrustline-ttd"), Retention.defaults(), Duration.ofSeconds(10), 32L * 1024 * 1024));
            driver = new TopologyTestDriver(RulesTopology.build(topics, SEEDS, Retention.defaults()), props, START);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        events = driver.createInputTopic(Topics.EVENTS, Serdes.String().serializer(), topics.events().valueSerde().serializer());
        rawEvents = driver.createInputTopic(Topics.EVENTS, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        insights = driver.createOutputTopic(Topics.INSIGHTS, Serdes.String().deserializer(), topics.insights().valueSerde().deserializer());
        balances = driver.createOutputTopic(Topics.BALANCES, Serdes.String().deserializer(), topics.balances().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    void send(TrainingEvent event) {
        events.pipeInput(event.getAthleteId(), event);
    }

    void sendAll(List<TrainingEvent> all) {
        all.forEach(this::send);
    }

    /** Every insight record emitted so far, retractions included, in order. */
    List<Insight> insightLog() {
        insightLog.addAll(insights.readValuesToList());
        return insightLog;
    }

    /** What a consumer applying upserts and retractions by insightId ends up with. */
    Map<String, Insight> standingInsights() {
        var standing = new LinkedHashMap<String, Insight>();
        for (Insight insight : insightLog()) {
            if (insight.getRetracted()) {
                standing.remove(insight.getInsightId());
            } else {
                standing.put(insight.getInsightId(), insight);
            }
        }
        return standing;
    }

    /** The latest balance per (athlete, session, exercise), as the reporting upsert keeps it. */
    Map<String, SessionBalance> latestBalances() {
        balanceLog.addAll(balances.readValuesToList());
        var latest = new LinkedHashMap<String, SessionBalance>();
        balanceLog.forEach(b -> latest.put(b.getAthleteId() + "|" + b.getSessionId() + "|" + b.getExercise(), b));
        return latest;
    }

    List<String> standingRules() {
        return standingInsights().values().stream().map(i -> i.getRule() + " " + i.getExercise() + " " + i.getSide()).sorted().toList();
    }

    /** Every store's keys and values, in key order: equal before and after an event means it left no trace. */
    Map<String, List<String>> state() {
        var state = new LinkedHashMap<String, List<String>>();
        for (String name : STORES) {
            var entries = new ArrayList<String>();
            try (KeyValueIterator<String, Object> it = store(name).all()) {
                it.forEachRemaining(kv -> entries.add(kv.key + " = " + kv.value));
            }
            state.put(name, entries);
        }
        return state;
    }

    <V> KeyValueStore<String, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    List<String> keysOf(String storeName) {
        var keys = new ArrayList<String>();
        try (KeyValueIterator<String, Object> it = store(storeName).all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    /** The reason the dead-letter handler wrote on each record sent there so far. */
    List<String> deadLetterReasons() {
        return deadLetters.readRecordsToList().stream()
                .map(r -> new String(r.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8))
                .toList();
    }

    @Override
    public void close() {
        driver.close();
    }

    /**
     * A set {@code minute}s after {@link #START}, from the integration that owns {@code athleteId} (a qualified
     * id such as "gym-a:ath"), received when it was performed.
     */
    static TrainingEvent set(String eventId, String athleteId, String sessionId, int minute, String exercise, Side side,
            int reps, double loadKg, Integer controlledReps, List<RepDetail> details) {
        Instant performedAt = START.plusSeconds(60L * minute);
        var payload = SetLogged.newBuilder().setSessionId(sessionId).setPerformedAt(performedAt)
                .setExercise(exercise).setSide(side).setReps(reps).setLoadKg(loadKg)
                .setControlledReps(controlledReps).setRepDetails(details).build();
        return TrainingEvent.newBuilder().setEventId(eventId).setAthleteId(athleteId).setSource(Identifiers.integrationOf(athleteId))
                .setReceivedAt(performedAt).setPayload(payload).build();
    }

    static TrainingEvent set(String eventId, String athleteId, String sessionId, int minute, String exercise, double loadKg) {
        return set(eventId, athleteId, sessionId, minute, exercise, Side.BOTH, 8, loadKg, null, null);
    }

    static TrainingEvent completed(String eventId, String athleteId, String sessionId, int minute) {
        Instant completedAt = START.plusSeconds(60L * minute);
        var payload = SessionCompleted.newBuilder().setSessionId(sessionId).setCompletedAt(completedAt).build();
        return TrainingEvent.newBuilder().setEventId(eventId).setAthleteId(athleteId).setSource(Identifiers.integrationOf(athleteId))
                .setReceivedAt(completedAt).setPayload(payload).build();
    }
}
