package io.thrustline.stack;

import io.thrustline.http.Profile;
import io.thrustline.ingest.IngestConfig;
import io.thrustline.ingest.IngestService;
import io.thrustline.reporting.ReportingConfig;
import io.thrustline.reporting.ReportingService;
import io.thrustline.seeds.Seeds;
import io.thrustline.streams.StreamsProcessorConfig;
import io.thrustline.streams.StreamsProcessorService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import io.thrustline.infrastructure.RunningParts;
import io.thrustline.infrastructure.StackConfig;
import io.thrustline.infrastructure.TopicSetup;
import io.thrustline.testing.TestStacks;

/**
 * {@link PipelineEndToEndTest}'s whole suite, unchanged, with Kafka, PostgreSQL and the registry in
 * containers (the images docker-compose.yml runs) instead of the local stack's embedded ones; the three
 * services run in this JVM as in the local stack. Run by {@code mvn -Pcontainers} only, and only where
 * a Docker engine answers on this machine (the mapped ports are reached on 127.0.0.1); compiled in every build.
 */
@EnabledIf("dockerAvailable")
class ContainersPipelineEndToEndTest extends PipelineEndToEndTest {

    // The versions docker-compose.yml runs; the broker matches the kafka-clients the services are built with.
    static final String KAFKA_IMAGE = "apache/kafka:4.3.1";
    static final String POSTGRES_IMAGE = "postgres:17";
    static final String REGISTRY_IMAGE = "apicurio/apicurio-registry:3.3.3";

    private KafkaContainer kafka;
    private PostgreSQLContainer postgres;
    private GenericContainer<?> registry;
    private final RunningParts services = new RunningParts();

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @BeforeAll
    @Override
    void startStack() throws Exception {
        kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
        postgres = new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE))
                .withDatabaseName("thrustline").withUsername("thrustline").withPassword("thrustline");
        // In-memory storage: this suite is about the pipeline; the registry's PostgreSQL storage is compose's.
        registry = new GenericContainer<>(DockerImageName.parse(REGISTRY_IMAGE))
                .withExposedPorts(8080, 9000)
                .waitingFor(Wait.forHttp("/health/ready").forPort(9000).withStartupTimeout(Duration.ofMinutes(3)));
        kafka.start();
        postgres.start();
        registry.start();

        // Free ports for the two HTTP services, as the embedded suite picks them.
        Map<String, String> ports = TestStacks.environment(dataDir);
        config = new StackConfig(dataDir, Path.of("unused"), kafka.getMappedPort(9092), 0, registry.getMappedPort(8080), 0,
                postgres.getMappedPort(5432), Integer.parseInt(ports.get("THRUSTLINE_INGEST_PORT")),
                Integer.parseInt(ports.get("THRUSTLINE_REPORTING_PORT")), Integer.parseInt(ports.get("THRUSTLINE_STREAMS_PORT")), 3);
        TopicSetup.ensureTopics(config.bootstrapServers(), config.topicPartitions());

        // Wired as LocalStack wires the services; the local profile because the suite uses the demo credentials.
        var env = new HashMap<>(System.getenv());
        env.put(Profile.VARIABLE, "local");
        env.put("THRUSTLINE_KAFKA_BOOTSTRAP", config.bootstrapServers());
        env.put("THRUSTLINE_REGISTRY_URL", config.registryUrl());
        env.put("THRUSTLINE_INGEST_PORT", String.valueOf(config.ingestPort()));
        env.put("THRUSTLINE_REPORTING_PORT", String.valueOf(config.reportingPort()));
        env.put("THRUSTLINE_STREAMS_PORT", String.valueOf(config.streamsPort()));
        env.put("THRUSTLINE_STREAMS_REPLICATION_FACTOR", "1"); // one broker in the container
        env.put("THRUSTLINE_DB_URL", config.jdbcUrl("thrustline"));
        env.put("THRUSTLINE_DB_USER", postgres.getUsername());
        env.put("THRUSTLINE_DB_PASSWORD", postgres.getPassword());
        env.put("THRUSTLINE_STREAMS_STATE_DIR", dataDir.resolve("streams").toString());
        Seeds seeds = Seeds.load();
        var streams = services.add(StreamsProcessorService.start(StreamsProcessorConfig.fromEnv(env), seeds));
        services.add(ReportingService.start(ReportingConfig.fromEnv(env)));
        services.add(IngestService.start(IngestConfig.fromEnv(env), seeds));
        streams.awaitRunning(Duration.ofSeconds(60));
    }

    @AfterAll
    @Override
    void stopStack() {
        services.close();
        for (GenericContainer<?> container : new GenericContainer<?>[] {registry, postgres, kafka}) {
            if (container != null) {
                container.stop();
            }
        }
    }
}
