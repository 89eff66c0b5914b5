package io.thrustline.testing;

import io.thrustline.infrastructure.Infrastructure;
import io.thrustline.infrastructure.StackConfig;
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
public abstract class OverRealInfrastructure {

    @TempDir
    protected static Path dataDir; // static: instance fields are filled in only before each test, after @BeforeAll

    protected Infrastructure infrastructure;
    protected StackConfig config;
    protected Topics topics;

    @BeforeAll
    protected void startInfrastructure() throws Exception {
        config = StackConfig.fromEnv(TestStacks.environment(dataDir));
        infrastructure = Infrastructure.start(config);
        topics = Topics.withRegistry(config.registryUrl());
    }

    @AfterAll
    protected void stopInfrastructure() {
        if (infrastructure != null) {
            infrastructure.close();
        }
    }

    /** Produces {@code values} under {@code key}, each acknowledged before the next. */
    protected <V> void send(Topic<String, V> topic, String key, List<V> values) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (V value : values) {
                producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
            }
        }
    }
}
