package io.thrustline.stack;

import static io.thrustline.testing.TestStacks.call;
import static io.thrustline.testing.TestStacks.eventually;
import static io.thrustline.testing.TestStacks.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thrustline.schemas.RegistryAvroSerdes;
import io.thrustline.schemas.Topics;
import io.thrustline.schemas.TrainingEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import io.thrustline.infrastructure.StackConfig;
import io.thrustline.testing.TestStacks;
import io.thrustline.testing.TopicReader;
import io.thrustline.testing.WebhookReceiver;

/**
 * The whole pipeline on real infrastructure: sets POSTed to ingest-service travel as Avro through the real
 * registry and broker, streams-processor judges them, reporting-service stores the insight in PostgreSQL
 * and serves it over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineEndToEndTest {

    private static final String INGEST_KEY = "demo-key";
    private static final String ADMIN = "demo-admin";
    private static final String COACH = "demo-coach";

    @TempDir
    static Path dataDir;

    /** Where the pipeline listens; set by {@link #startStack}, which ContainersPipelineEndToEndTest overrides. */
    StackConfig config;
    private LocalStack stack;

    @BeforeAll
    void startStack() throws Exception {
        config = StackConfig.fromEnv(TestStacks.environment(dataDir));
        stack = LocalStack.start(config);
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void setsPostedOverHttpComeBackAsAnInsightFromTheReportingApi() throws Exception {
        String athlete = "e2e-hinge";
        String batch = "{\"sets\": [" + set(uuid(), athlete, "s1", TestStacks.RECENT_DAY + "T07:30:00Z", "deadlift", 100) + ","
                + set(uuid(), athlete, "s1", TestStacks.RECENT_DAY + "T07:40:00Z", "glute_bridge", 0) + "]}";
        var accepted = call("POST", config.ingestUrl() + "/v1/sets", INGEST_KEY, batch);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.body().get("eventIds")).hasSize(2);
        assertThat(call("POST", config.ingestUrl() + "/v1/sessions/s1/complete", INGEST_KEY,
                "{\"athleteId\": \"" + athlete + "\", \"completedAt\": \"" + TestStacks.RECENT_DAY + "T08:00:00Z\"}").status()).isEqualTo(202);

        String insightsUrl = config.reportingUrl() + "/v1/athletes/demo-gym:" + athlete + "/insights";
        assertThat(eventually(Duration.ofSeconds(30), () -> call("GET", insightsUrl, ADMIN, null).body().get("items").size() == 1)).isTrue();
        JsonNode insight = call("GET", insightsUrl, ADMIN, null).body().get("items").get(0);
        assertThat(insight.get("rule").asText()).isEqualTo("HINGE_BEFORE_BRIDGE");
        assertThat(insight.get("severity").asText()).isEqualTo("WARNING");
        assertThat(insight.get("exercise").asText()).isEqualTo("deadlift");
        assertThat(insight.get("sessionId").asText()).isEqualTo("s1");
        assertThat(insight.get("detectedAt").asText()).isEqualTo(TestStacks.RECENT_DAY + "T07:30:00Z");
        assertThat(insight.get("advice").asText()).contains("glute bridges");
        assertThat(call("GET", insightsUrl + "?rule=LEFT_RIGHT_IMBALANCE", ADMIN, null).body().get("items")).isEmpty();

        // A coach sees the athlete only once an admin puts them on the coach's roster; a researcher never does.
        assertThat(call("GET", insightsUrl, COACH, null).status()).isEqualTo(403);
        assertThat(call("GET", insightsUrl, "demo-researcher", null).status()).isEqualTo(403);
        assertThat(call("PUT", config.reportingUrl() + "/v1/coaches/coach-demo/athletes", COACH, "{\"athleteIds\": [\"demo-gym:" + athlete + "\"]}").status())
                .isEqualTo(403);
        assertThat(call("PUT", config.reportingUrl() + "/v1/coaches/coach-demo/athletes", ADMIN, "{\"athleteIds\": [\"demo-gym:" + athlete + "\"]}").status())
                .isEqualTo(200);
        assertThat(call("GET", insightsUrl, COACH, null).body().get("items")).hasSize(1);
    }

    @Test
    void aRegisteredWebhookHearsOfTheInsightASessionRaisedSigned() throws Exception {
        String athlete = "e2e-hook";
        try (var receiver = WebhookReceiver.start(exchange -> 204)) {
            var registered = call("POST", config.reportingUrl() + "/v1/webhooks", ADMIN,
                    "{\"url\": \"" + receiver.url() + "\", \"minSeverity\": \"WARNING\"}");
            assertThat(registered.status()).isEqualTo(201);
            receiver.secret = registered.body().get("secret").asText();
            String batch = "{\"sets\": [" + set(uuid(), athlete, "s1", TestStacks.RECENT_DAY + "T07:30:00Z", "deadlift", 100) + ","
                    + set(uuid(), athlete, "s1", TestStacks.RECENT_DAY + "T07:40:00Z", "glute_bridge", 0) + "]}";
            assertThat(call("POST", config.ingestUrl() + "/v1/sets", INGEST_KEY, batch).status()).isEqualTo(202);
            assertThat(call("POST", config.ingestUrl() + "/v1/sessions/s1/complete", INGEST_KEY,
                    "{\"athleteId\": \"" + athlete + "\", \"completedAt\": \"" + TestStacks.RECENT_DAY + "T08:00:00Z\"}").status()).isEqualTo(202);

            assertThat(eventually(Duration.ofSeconds(30), () -> receiver.bodies.values().stream()
                    .anyMatch(b -> b.at("/data/athleteId").asText().equals("demo-gym:" + athlete)))).isTrue();
            JsonNode delivered = receiver.bodies.values().stream()
                    .filter(b -> b.at("/data/athleteId").asText().equals("demo-gym:" + athlete)).findFirst().orElseThrow();
            assertThat(delivered.get("type").asText()).isEqualTo("insight.raised");
            assertThat(delivered.at("/data/rule").asText()).isEqualTo("HINGE_BEFORE_BRIDGE");
            assertThat(delivered.at("/data/version").asInt()).isEqualTo(1);
            assertThat(receiver.badSignatures.get()).isZero();
            call("DELETE", config.reportingUrl() + "/v1/webhooks/" + registered.body().get("webhookId").asText(), ADMIN, null);
        }
    }

    @Test
    void theDemoGymTripsEveryRuleEndToEnd() throws Exception {
        var run = new DemoRun(config);
        var results = run.awaitInsights(run.send(io.thrustline.seeds.DemoGym.load(), java.time.Clock.systemUTC()), Duration.ofSeconds(60));
        assertThat(results).allSatisfy(r -> assertThat(r.actual()).as(r.played().sessionId()).containsExactlyInAnyOrderElementsOf(r.expected()));
        assertThat(results.stream().flatMap(r -> r.actual().stream()).map(a -> a.split(" ")[0]).distinct())
                .containsExactlyInAnyOrder("HINGE_BEFORE_BRIDGE", "LEFT_RIGHT_IMBALANCE", "PERSISTENT_IMBALANCE",
                        "UNILATERAL_SIDE_MISSING", "LOAD_INCREASE_BEFORE_CONTROL");
        // Leo's three sessions reach PostgreSQL as left/right balances, oldest first, the right side weaker each time.
        String leo = config.reportingUrl() + "/v1/athletes/demo-gym:ath-leo/balance?exercise=barbell_single_leg_hip_thrust";
        assertThat(eventually(Duration.ofSeconds(30), () -> call("GET", leo, ADMIN, null).body().get("items").size() == 3)).isTrue();
        var balances = call("GET", leo, ADMIN, null).body().get("items");
        assertThat(balances).extracting(b -> b.get("asymmetryPct").asDouble()).containsExactly(12.0, 14.0, 20.0);
        assertThat(balances).allSatisfy(b -> assertThat(b.get("weakerSide").asText()).isEqualTo("RIGHT"));
    }

    @Test
    void anIntegrationProducingAvroStraightToKafkaIsJudgedToo() throws Exception {
        // The stock Apicurio serializer, as a third party would use it, not the project's own serde.
        io.thrustline.stack.examples.DirectProducerExample.send(config.bootstrapServers(), config.registryUrl(), "e2e-direct", "d1");
        String insightsUrl = config.reportingUrl() + "/v1/athletes/" + io.thrustline.stack.examples.DirectProducerExample.INTEGRATION + ":e2e-direct/insights";
        assertThat(eventually(Duration.ofSeconds(30), () -> call("GET", insightsUrl, ADMIN, null).body().get("items").size() == 1)).isTrue();
    }

    @Test
    void callersWithoutAValidKeyOrTokenAreRefused() throws Exception {
        String batch = set(uuid(), "e2e-auth", "s1", TestStacks.RECENT_DAY + "T07:30:00Z", "deadlift", 100);
        assertThat(call("POST", config.ingestUrl() + "/v1/sets", null, batch).status()).isEqualTo(401);
        assertThat(call("POST", config.ingestUrl() + "/v1/sets", "wrong-key", batch).status()).isEqualTo(401);
        assertThat(call("GET", config.reportingUrl() + "/v1/athletes/demo-gym:e2e-auth/insights", null, null).status()).isEqualTo(401);
        assertThat(call("GET", config.reportingUrl() + "/v1/athletes/demo-gym:e2e-auth/insights", "nope", null).status()).isEqualTo(401);
    }

    @Test
    void aBatchWithOneBadSetIsRejectedWholeAndNothingOfItReachesKafka() throws Exception {
        String good = uuid();
        String batch = "{\"sets\": [" + set(good, "e2e-bad", "s1", TestStacks.RECENT_DAY + "T07:30:00Z", "deadlift", 100) + ","
                + set(uuid(), "e2e-bad", "s1", TestStacks.RECENT_DAY + "T07:31:00Z", "deadlift", -5) + "]}";
        var rejected = call("POST", config.ingestUrl() + "/v1/sets", INGEST_KEY, batch);
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.body().get("errors").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(rejected.body().get("status").asInt()).as("an RFC 9457 problem").isEqualTo(400);
        assertThat(rejected.body().get("errors").get(0).get("field").asText()).isEqualTo("loadKg");
        assertThat(call("POST", config.ingestUrl() + "/v1/sets", INGEST_KEY, "{\"sets\": [").status()).isEqualTo(400);

        assertThat(eventIdsOnTheEventsTopic()).doesNotContain(good);
    }

    @Test
    void recordsOnTheTopicUseTheRegistryWireFormatAndTheSchemaIsRegistered() throws Exception {
        String eventId = uuid();
        call("POST", config.ingestUrl() + "/v1/sets", INGEST_KEY, set(eventId, "e2e-wire", "s1", TestStacks.RECENT_DAY + "T07:30:00Z", "glute_bridge", 0));
        List<byte[]> values = rawValues(Topics.EVENTS);
        assertThat(values).isNotEmpty().allSatisfy(v -> assertThat(v[0]).isEqualTo((byte) 0)); // magic byte, then a 4-byte schema id
        assertThat(eventIdsOnTheEventsTopic()).contains(eventId);
        var artifact = call("GET", config.registryUrl() + "/apis/registry/v3/groups/default/artifacts/" + Topics.EVENTS + "-value", null, null);
        assertThat(artifact.status()).isEqualTo(200);
    }

    @Test
    void undecodableBytesGoToTheDeadLetterTopicAndProcessingGoesOn() throws Exception {
        byte[] poison = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.EVENTS, "demo-gym:e2e-poison", poison)).get();
        }
        String batch = set(uuid(), "e2e-poison", "s1", TestStacks.RECENT_DAY + "T07:30:00Z", "kettlebell_swing", 24);
        assertThat(call("POST", config.ingestUrl() + "/v1/sets", INGEST_KEY, batch).status()).isEqualTo(202);
        call("POST", config.ingestUrl() + "/v1/sessions/s1/complete", INGEST_KEY, "{\"athleteId\": \"e2e-poison\"}");

        String insightsUrl = config.reportingUrl() + "/v1/athletes/demo-gym:e2e-poison/insights";
        assertThat(eventually(Duration.ofSeconds(30), () -> call("GET", insightsUrl, ADMIN, null).body().get("items").size() == 1)).isTrue();
        assertThat(eventually(Duration.ofSeconds(10), () -> rawValues(Topics.DEAD_LETTERS).stream()
                .anyMatch(v -> new String(v, StandardCharsets.UTF_8).equals("definitely not avro")))).isTrue();
    }

    private List<String> eventIdsOnTheEventsTopic() {
        var registry = new RegistryAvroSerdes(config.registryUrl());
        var ids = new ArrayList<String>();
        for (byte[] value : rawValues(Topics.EVENTS)) {
            try {
                TrainingEvent event = registry.forValues(TrainingEvent.class).deserializer().deserialize(Topics.EVENTS, value);
                ids.add(event.getEventId());
            } catch (RuntimeException notAnEvent) {
                // the poison test's bytes
            }
        }
        return ids;
    }

    /** Every committed value on a topic, from the beginning to the current end. */
    private List<byte[]> rawValues(String topic) {
        return TopicReader.records(config.bootstrapServers(), topic).stream().map(ConsumerRecord::value).toList();
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }
}
