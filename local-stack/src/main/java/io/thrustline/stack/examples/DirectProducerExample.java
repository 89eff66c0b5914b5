package io.thrustline.stack.examples;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.thrustline.schemas.SessionCompleted;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.Side;
import io.thrustline.schemas.TrainingEvent;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How an integration that speaks Kafka and Avro sends sets without the HTTP API (docs/integrators.md):
 * the stock Apicurio serializer, key = athleteId, acks=all with idempotence, then a completion.
 * Run against the local stack: {@code ./thrustline example-producer [bootstrap] [registry]}.
 */
public final class DirectProducerExample {

    private DirectProducerExample() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:9092";
        String registry = args.length > 1 ? args[1] : "http://127.0.0.1:8085";
        List<String> ids = send(bootstrap, registry, "ath-direct", "direct-" + Instant.now().getEpochSecond());
        System.out.println("sent and acknowledged: " + ids);
    }

    /** Sends a hinge-first session and its completion; returns the event ids. */
    /** The integration id this example sends as; a direct producer is given one, like an HTTP integration's key. */
    public static final String INTEGRATION = "example-integration";

    /**
     * Sends a session of {@code athleteId} (as the integration knows the athlete). On the topic the athlete is
     * named by its qualified id, {@code example-integration:<athleteId>}, and {@code source} is the integration.
     */
    public static List<String> send(String bootstrap, String registryUrl, String athleteId, String sessionId) throws Exception {
        athleteId = INTEGRATION + ":" + athleteId;
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroKafkaSerializer.class);
        props.put(SerdeConfig.REGISTRY_URL, registryUrl + "/apis/registry/v3");
        props.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);

        Instant start = Instant.now().minusSeconds(3600);
        var deadlift = event(athleteId, SetLogged.newBuilder().setSessionId(sessionId).setPerformedAt(start)
                .setExercise("deadlift").setSide(Side.BOTH).setReps(5).setLoadKg(100.0).build());
        var done = event(athleteId, SessionCompleted.newBuilder().setSessionId(sessionId).setCompletedAt(start.plusSeconds(1800)).build());
        try (var producer = new KafkaProducer<String, TrainingEvent>(props)) {
            for (TrainingEvent e : List.of(deadlift, done)) {
                // Key by athlete: one athlete's events stay in order on one partition.
                producer.send(new ProducerRecord<>("training.events.v1", e.getAthleteId(), e)).get();
            }
        }
        return List.of(deadlift.getEventId(), done.getEventId());
    }

    private static TrainingEvent event(String athleteId, Object payload) {
        return TrainingEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString()) // keep it when retrying: the same id counts once
                .setAthleteId(athleteId)
                .setSource(INTEGRATION)
                .setReceivedAt(Instant.now())
                .setPayload(payload)
                .build();
    }
}
