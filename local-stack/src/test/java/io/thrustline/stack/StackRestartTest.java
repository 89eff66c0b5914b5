package io.thrustline.stack;

import static io.thrustline.testing.TestStacks.call;
import static io.thrustline.testing.TestStacks.eventually;
import static io.thrustline.testing.TestStacks.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.schemas.RegistryAvroSerdes;
import io.thrustline.schemas.Topics;
import io.thrustline.schemas.TrainingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.thrustline.infrastructure.LocalPostgres;
import io.thrustline.infrastructure.StackConfig;
import io.thrustline.testing.TestStacks;

/**
 * The local stack killed with -9 must come back on the same data: the registry and PostgreSQL die with it (each
 * under a watchdog), the schemas are still there, and nothing stored is lost or doubled.
 */
class StackRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void aStackKilledWithSigkillStartsAgainOnTheSameDataLosingNothing() throws Exception {
        Map<String, String> env = TestStacks.environment(dataDir);
        StackConfig config = StackConfig.fromEnv(env);

        Process first = startInChildJvm(env);
        try {
            assertThat(eventually(Duration.ofSeconds(120), () -> healthy(config))).as("first stack came up").isTrue();
            sendHingeFirstSession(config, "restart-1");
            assertThat(eventually(Duration.ofSeconds(30), () -> insightCount(config, "restart-1") == 1)).isTrue();
            long registryPid = Long.parseLong(Files.readString(dataDir.resolve("registry.pid")).trim());
            assertThat(ProcessHandle.of(registryPid)).isPresent();
            // PostgreSQL is a daemon, not a child of the stack JVM: only its watchdog stops it.
            ProcessHandle postmaster = LocalPostgres.postmaster(LocalPostgres.pgData(dataDir)).orElseThrow();

            first.destroyForcibly(); // SIGKILL: no shutdown hook runs
            first.waitFor();
            assertThat(eventually(Duration.ofSeconds(15), () -> ProcessHandle.of(registryPid).map(p -> !p.isAlive()).orElse(true)))
                    .as("the registry did not outlive the killed stack").isTrue();
            assertThat(eventually(Duration.ofSeconds(10), () -> !postmaster.isAlive()))
                    .as("the PostgreSQL postmaster (pid %d) did not outlive the killed stack", postmaster.pid()).isTrue();
            assertThat(eventually(Duration.ofSeconds(5), () -> LeftoverProcesses.of(dataDir).isEmpty()))
                    .as("left running after the kill: %s", LeftoverProcesses.of(dataDir)).isTrue();
        } finally {
            first.destroyForcibly();
        }

        try (LocalStack second = LocalStack.start(config)) {
            assertThat(insightCount(config, "restart-1")).as("what was stored before the kill").isEqualTo(1);
            sendHingeFirstSession(config, "restart-2");
            assertThat(eventually(Duration.ofSeconds(30), () -> insightCount(config, "restart-2") == 1)).isTrue();
            assertThat(insightCount(config, "restart-1")).as("nothing doubled by replay").isEqualTo(1);
            // Records written before the kill carry schema ids the restarted registry must still resolve.
            assertThat(decodedEventAthletes(config)).contains("demo-gym:restart-1", "demo-gym:restart-2");
        }
        assertThat(eventually(Duration.ofSeconds(15), () -> LeftoverProcesses.of(dataDir).isEmpty()))
                .as("left running after a normal close: %s", LeftoverProcesses.of(dataDir)).isTrue();
    }

    private Process startInChildJvm(Map<String, String> env) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        var builder = new ProcessBuilder(java, "-Xmx768m", "-cp", System.getProperty("java.class.path"),
                LocalStackMain.class.getName(), "up")
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + "-first-stack.log").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static boolean healthy(StackConfig config) {
        try {
            return call("GET", config.ingestUrl() + "/health", null, null).status() == 200
                    && call("GET", config.reportingUrl() + "/health", null, null).status() == 200;
        } catch (Exception notYet) {
            return false;
        }
    }

    private static void sendHingeFirstSession(StackConfig config, String athlete) throws Exception {
        assertThat(call("POST", config.ingestUrl() + "/v1/sets", "demo-key",
                set(UUID.randomUUID().toString(), athlete, "s1", TestStacks.RECENT_DAY + "T07:30:00Z", "deadlift", 100)).status()).isEqualTo(202);
        assertThat(call("POST", config.ingestUrl() + "/v1/sessions/s1/complete", "demo-key",
                "{\"athleteId\": \"" + athlete + "\", \"completedAt\": \"" + TestStacks.RECENT_DAY + "T08:00:00Z\"}").status()).isEqualTo(202);
    }

    private static int insightCount(StackConfig config, String athlete) throws Exception {
        var response = call("GET", config.reportingUrl() + "/v1/athletes/demo-gym:" + athlete + "/insights", "demo-admin", null);
        return response.status() == 200 ? response.body().get("items").size() : -1;
    }

    private static List<String> decodedEventAthletes(StackConfig config) {
        var deserializer = new RegistryAvroSerdes(config.registryUrl()).forValues(TrainingEvent.class).deserializer();
        var athletes = new ArrayList<String>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS).stream()
                    .map(p -> new TopicPartition(Topics.EVENTS, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> athletes.add(deserializer.deserialize(Topics.EVENTS, r.value()).getAthleteId()));
            }
        }
        return athletes;
    }
}
