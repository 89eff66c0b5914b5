package io.thrustline.stack;

import io.thrustline.http.Credentials;
import io.thrustline.reporting.ReportingConfig;
import io.thrustline.schemas.Topic;
import io.thrustline.schemas.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * For tests of one service at a time over the real broker, registry and PostgreSQL, started once per test class:
 * the test starts the service itself, with the settings it is about.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OverRealInfrastructure {

    /** The tokens every such test signs in with: the demo ones, and a coach with nobody on their roster. */
    static final String TOKENS = Credentials.DEMO_REPORTING_TOKENS + ",coach-other=coach:coach-other";
    static final String EXPORT_SECRET = "test-export-secret-0123456789";

    @TempDir
    static Path dataDir; // static: instance fields are filled in only before each test, after @BeforeAll

    Infrastructure infrastructure;
    StackConfig config;
    Topics topics;

    @BeforeAll
    void startInfrastructure() throws Exception {
        config = StackConfig.fromEnv(TestStacks.environment(dataDir));
        infrastructure = Infrastructure.start(config);
        topics = Topics.withRegistry(config.registryUrl());
    }

    @AfterAll
    void stopInfrastructure() {
        if (infrastructure != null) {
            infrastructure.close();
        }
    }

    /** reporting-service on this infrastructure, reading as consumer group prefix {@code group}. */
    ReportingConfig reportingConfig(String group) {
        return ReportingConfig.local(config.bootstrapServers(), config.registryUrl(), group, config.jdbcUrl("thrustline"), "thrustline",
                "thrustline", TOKENS, EXPORT_SECRET);
    }

    /** Produces {@code values} under {@code key}, each acknowledged before the next. */
    <V> void send(Topic<String, V> topic, String key, List<V> values) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (V value : values) {
                producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
            }
        }
    }
}
