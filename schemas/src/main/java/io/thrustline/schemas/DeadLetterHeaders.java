package io.thrustline.schemas;

/**
 * The headers a dead letter carries, in one place: what reporting-service writes on {@link Topics#REPORTING_DEAD_LETTERS},
 * what Kafka Streams writes on {@link Topics#DEAD_LETTERS}, and what {@code ./thrustline dlq redrive} adds.
 */
public final class DeadLetterHeaders {

    // reporting-service's dead letters (the original record's bytes, these headers added)
    public static final String ERROR_CLASS = "thrustline.error.class";
    public static final String ERROR_MESSAGE = "thrustline.error.message";
    public static final String ERROR_SQLSTATE = "thrustline.error.sqlstate";
    public static final String SOURCE_TOPIC = "thrustline.source.topic";
    public static final String SOURCE_PARTITION = "thrustline.source.partition";
    public static final String SOURCE_OFFSET = "thrustline.source.offset";
    public static final String SINK = "thrustline.sink";

    // Kafka Streams' dead letters (errors.dead.letter.queue.topic.name)
    public static final String STREAMS_MESSAGE = "__streams.errors.message";
    public static final String STREAMS_EXCEPTION = "__streams.errors.exception";
    public static final String STREAMS_TOPIC = "__streams.errors.topic";
    public static final String STREAMS_PARTITION = "__streams.errors.partition";
    public static final String STREAMS_OFFSET = "__streams.errors.offset";

    /** Set on a record sent back to its topic: which dead letter it came from ({@code topic@partition:offset}). */
    public static final String REDRIVEN_FROM = "thrustline.redriven.from";

    private DeadLetterHeaders() {}
}
