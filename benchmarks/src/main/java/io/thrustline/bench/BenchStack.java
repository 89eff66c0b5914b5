package io.thrustline.bench;

import io.thrustline.schemas.RegistryAvroSerdes;
import io.thrustline.schemas.Topics;
import io.thrustline.schemas.TrainingEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import io.thrustline.infrastructure.StackConfig;

/** What every benchmark shares: a stack of its own under a scratch directory, and a fast way to fill the events topic. */
final class BenchStack {

    private BenchStack() {}

    /** The local stack's settings (ports from the environment as usual) with its data under {@code dir}. */
    static StackConfig config(Path dir) {
        var env = new HashMap<>(System.getenv());
        env.put("THRUSTLINE_DATA_DIR", dir.resolve("data").toString());
        return StackConfig.fromEnv(env);
    }

    /** Writes the events to training.events.v1 in the registry wire format, batched, acks=all. */
    static void produce(StackConfig config, List<TrainingEvent> events) {
        var serde = new RegistryAvroSerdes(config.registryUrl()).forValues(TrainingEvent.class);
        var props = Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 262_144, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (var producer = new KafkaProducer<>(props, Serdes.String().serializer(), serde.serializer())) {
            events.forEach(e -> producer.send(new ProducerRecord<>(Topics.EVENTS, e.getAthleteId(), e)));
            producer.flush();
        }
    }

    static Path scratch(String name) throws IOException {
        return java.nio.file.Files.createTempDirectory("thrustline-bench-" + name);
    }
}
