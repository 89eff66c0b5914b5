package io.thrustline.schemas;

import org.apache.kafka.common.serialization.Serdes;

/**
 * Every Avro topic of the pipeline, with its serdes; the dead-letter topics, which keep the original bytes, are
 * named here too. All are keyed by athleteId so one athlete's events stay in order on one partition (README, How
 * it fits together).
 */
public record Topics(
        Topic<String, TrainingEvent> events,
        Topic<String, Insight> insights,
        Topic<String, SessionBalance> balances) {

    public static final String EVENTS = "training.events.v1";
    public static final String INSIGHTS = "training.insights.v1";
    public static final String BALANCES = "training.balance.v1";
    public static final String DEAD_LETTERS = "training.events.dlq.v1";
    /** Records reporting-service can never store in PostgreSQL: original bytes, the error in headers. */
    public static final String REPORTING_DEAD_LETTERS = "training.reporting.dlq.v1";

    public static Topics using(AvroSerdes avro) {
        return new Topics(
                new Topic<>(EVENTS, Serdes.String(), avro.forValues(TrainingEvent.class)),
                new Topic<>(INSIGHTS, Serdes.String(), avro.forValues(Insight.class)),
                new Topic<>(BALANCES, Serdes.String(), avro.forValues(SessionBalance.class)));
    }

    public static Topics withRegistry(String registryUrl) {
        return using(new RegistryAvroSerdes(registryUrl));
    }

    public static Topics withRegistry(RegistrySettings registry) {
        return using(new RegistryAvroSerdes(registry));
    }
}
