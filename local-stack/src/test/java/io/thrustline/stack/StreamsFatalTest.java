package io.thrustline.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thrustline.schemas.KafkaPreflight;
import io.thrustline.schemas.Topics;
import io.thrustline.seeds.Seeds;
import io.thrustline.streams.StreamsProcessorConfig;
import io.thrustline.streams.StreamsProcessorService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import io.thrustline.infrastructure.TopicSetup;
import io.thrustline.testing.TestStacks;
import io.thrustline.testing.OwnBroker;

/**
 * streams-processor without its topics, against a real broker: refused at start with the topic named, and a
 * topic that disappears while it runs reported to its fatal callback by name, never a silent ERROR state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamsFatalTest {

    @RegisterExtension
    static final OwnBroker BROKER = new OwnBroker();

    @TempDir
    static Path dataDir;

    private StreamsProcessorConfig config(String applicationId) {
        var env = new HashMap<String, String>();
        env.put("THRUSTLINE_PROFILE", "local");
        env.put("THRUSTLINE_KAFKA_BOOTSTRAP", BROKER.bootstrap());
        env.put("THRUSTLINE_KAFKA_METADATA_MAX_AGE_MS", "1000"); // notice the deleted topic quickly
        env.put("THRUSTLINE_REGISTRY_URL", "http://127.0.0.1:9"); // no record is ever decoded here
        env.put("THRUSTLINE_STREAMS_APPLICATION_ID", applicationId);
        env.put("THRUSTLINE_STREAMS_STATE_DIR", dataDir.resolve(applicationId).toString());
        env.put("THRUSTLINE_STREAMS_PORT", "0");
        env.put("THRUSTLINE_STREAMS_REPLICATION_FACTOR", "1");
        return StreamsProcessorConfig.fromEnv(env);
    }

    @Test
    void beforeItsTopicsExistItIsRefusedNamingThem() {
        // Runs first (no topic exists yet) or after the other test deleted the events topic: either way it is named.
        assertThatThrownBy(() -> StreamsProcessorService.start(config("rules-early"), Seeds.loadBuiltIn(), (reason, cause) -> { }))
                .isInstanceOf(KafkaPreflight.Refused.class)
                .hasMessageContaining(Topics.EVENTS)
                .hasMessageContaining("./thrustline topics");
    }

    @Test
    void aSourceTopicDeletedWhileRunningReachesTheFatalCallbackByName() throws Exception {
        TopicSetup.ensureTopics(BROKER.bootstrap(), 1);
        var deaths = new CopyOnWriteArrayList<String>();
        try (var streams = StreamsProcessorService.start(config("rules-late"), Seeds.loadBuiltIn(), (reason, cause) -> deaths.add(reason))) {
            streams.awaitRunning(Duration.ofSeconds(60));
            assertThat(TestStacks.call("GET", "http://127.0.0.1:" + streams.port() + "/health/live", null, null).status()).isEqualTo(200);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrap()))) {
                admin.deleteTopics(List.of(Topics.EVENTS)).all().get();
            }
            assertThat(TestStacks.eventually(Duration.ofSeconds(90), () -> !deaths.isEmpty()))
                    .as("the fatal callback fires; state now " + streams.state()).isTrue();
            assertThat(deaths).hasSize(1);
            assertThat(deaths.getFirst()).contains("topic(s) " + Topics.EVENTS + " missing on " + BROKER.bootstrap())
                    .contains("create them with ./thrustline topics");
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.ERROR);
            var live = TestStacks.call("GET", "http://127.0.0.1:" + streams.port() + "/health/live", null, null);
            assertThat(live.status()).isEqualTo(503);
            assertThat(live.body().get("state").asText()).isEqualTo("ERROR");
            assertThat(TestStacks.call("GET", "http://127.0.0.1:" + streams.port() + "/health/ready", null, null).status()).isEqualTo(503);
        }
    }

}
