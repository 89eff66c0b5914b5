package io.thrustline.schemas;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic of the pipeline as it should exist on a cluster: partitions, replication factor,
 * {@code min.insync.replicas}, cleanup and retention. {@code ./thrustline topics} creates and checks topics
 * from it; the local stack creates its own from {@link #local(int)}.
 *
 * <p>Every topic is keyed by athlete, and an athlete has many insights and balances, so no topic may be
 * compacted: compaction would keep one insight per athlete. All use {@code cleanup.policy=delete}:
 * <ul>
 *   <li>{@code training.events.v1}: kept for ever by default ({@code THRUSTLINE_TOPIC_EVENTS_RETENTION_DAYS}):
 *       {@code ./thrustline reprocess} re-derives every insight and balance from the retained events, and the
 *       events are the only copy of what gyms sent;</li>
 *   <li>{@code training.insights.v1}, {@code training.balance.v1}: 30 days. reporting-service stores them in
 *       PostgreSQL within seconds; 30 days rides out a long reporting outage, and anything older is re-derived
 *       from the events;</li>
 *   <li>the two dead-letter topics: 90 days, time to notice, fix and redrive.</li>
 * </ul>
 */
public record TopicPlan(int partitions, short replicationFactor, int minInsyncReplicas, List<Spec> topics) {

    public static final String PARTITIONS = "THRUSTLINE_TOPIC_PARTITIONS";
    public static final String REPLICATION_FACTOR = "THRUSTLINE_TOPIC_REPLICATION_FACTOR";
    public static final String MIN_INSYNC_REPLICAS = "THRUSTLINE_TOPIC_MIN_INSYNC_REPLICAS";
    public static final String EVENTS_RETENTION_DAYS = "THRUSTLINE_TOPIC_EVENTS_RETENTION_DAYS";

    public static final int DEFAULT_PARTITIONS = 3;
    public static final int DEFAULT_REPLICATION_FACTOR = 3;
    public static final Duration DERIVED_RETENTION = Duration.ofDays(30);
    public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(90);

    /** One topic: its name, size and the topic configs it must have, and why. */
    public record Spec(String name, int partitions, short replicationFactor, Map<String, String> configs, String purpose) {
        public Spec {
            configs = Map.copyOf(configs);
        }
    }

    public TopicPlan {
        topics = List.copyOf(topics);
    }

    /**
     * @param eventsRetention how long events are kept; {@code null} for ever
     * @throws IllegalArgumentException for sizes no cluster could honour
     */
    public static TopicPlan of(int partitions, int replicationFactor, int minInsyncReplicas, Duration eventsRetention) {
        if (partitions < 1) {
            throw new IllegalArgumentException(PARTITIONS + "=" + partitions + ": a topic needs at least 1 partition");
        }
        if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
            throw new IllegalArgumentException(REPLICATION_FACTOR + "=" + replicationFactor + ": must be at least 1 (3 on a production cluster)");
        }
        if (minInsyncReplicas < 1) {
            throw new IllegalArgumentException(MIN_INSYNC_REPLICAS + "=" + minInsyncReplicas + ": must be at least 1");
        }
        if (minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException(MIN_INSYNC_REPLICAS + "=" + minInsyncReplicas + " is above the replication factor "
                    + replicationFactor + ": every write with acks=all would be refused. Use at most " + replicationFactor
                    + " (replication factor 3 with min.insync.replicas 2 survives the loss of one broker)");
        }
        if (eventsRetention != null && (eventsRetention.isNegative() || eventsRetention.isZero())) {
            throw new IllegalArgumentException(EVENTS_RETENTION_DAYS + " must be a positive number of days, or 'forever'");
        }
        short rf = (short) replicationFactor;
        String eventsMs = eventsRetention == null ? "-1" : String.valueOf(eventsRetention.toMillis());
        return new TopicPlan(partitions, rf, minInsyncReplicas, List.of(
                spec(Topics.EVENTS, partitions, rf, minInsyncReplicas, eventsMs,
                        "every accepted set and completion; kept " + (eventsRetention == null ? "for ever" : eventsRetention.toDays() + " days")
                                + " because reprocessing re-derives everything from it"),
                spec(Topics.INSIGHTS, partitions, rf, minInsyncReplicas, String.valueOf(DERIVED_RETENTION.toMillis()),
                        "insights on their way to PostgreSQL; re-derivable from the events"),
                spec(Topics.BALANCES, partitions, rf, minInsyncReplicas, String.valueOf(DERIVED_RETENTION.toMillis()),
                        "session balances on their way to PostgreSQL; re-derivable from the events"),
                spec(Topics.DEAD_LETTERS, partitions, rf, minInsyncReplicas, String.valueOf(DEAD_LETTER_RETENTION.toMillis()),
                        "events streams-processor could not judge, bytes untouched, kept for redrive"),
                spec(Topics.REPORTING_DEAD_LETTERS, partitions, rf, minInsyncReplicas, String.valueOf(DEAD_LETTER_RETENTION.toMillis()),
                        "records PostgreSQL refused, bytes untouched, kept for redrive")));
    }

    private static Spec spec(String name, int partitions, short rf, int minIsr, String retentionMs, String purpose) {
        var configs = new LinkedHashMap<String, String>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        configs.put(TopicConfig.RETENTION_MS_CONFIG, retentionMs);
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minIsr));
        return new Spec(name, partitions, rf, configs, purpose);
    }

    /**
     * From {@code THRUSTLINE_TOPIC_PARTITIONS} (3), {@code THRUSTLINE_TOPIC_REPLICATION_FACTOR} (3),
     * {@code THRUSTLINE_TOPIC_MIN_INSYNC_REPLICAS} (the smaller of 2 and the replication factor) and
     * {@code THRUSTLINE_TOPIC_EVENTS_RETENTION_DAYS} (forever).
     */
    public static TopicPlan fromEnv(Map<String, String> env) {
        int partitions = integer(env, PARTITIONS, DEFAULT_PARTITIONS);
        int rf = replicationFactor(env);
        int minIsr = integer(env, MIN_INSYNC_REPLICAS, Math.min(2, rf));
        String retention = env.getOrDefault(EVENTS_RETENTION_DAYS, "").trim();
        Duration eventsRetention;
        if (retention.isEmpty() || retention.equalsIgnoreCase("forever") || retention.equals("-1")) {
            eventsRetention = null;
        } else {
            eventsRetention = Duration.ofDays(integer(env, EVENTS_RETENTION_DAYS, 0));
        }
        return of(partitions, rf, minIsr, eventsRetention);
    }

    /** The replication factor the plan uses: {@code THRUSTLINE_TOPIC_REPLICATION_FACTOR}, 3 unless set. */
    public static int replicationFactor(Map<String, String> env) {
        return integer(env, REPLICATION_FACTOR, DEFAULT_REPLICATION_FACTOR);
    }

    /** One broker, as the local stack and tests run: replication factor 1, {@code min.insync.replicas} 1. */
    public static TopicPlan local(int partitions) {
        return of(partitions, 1, 1, null);
    }

    public List<String> names() {
        return topics.stream().map(Spec::name).toList();
    }

    /** A whole-number setting, or {@code fallback} when unset; a value that is not a number names its variable. */
    public static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a whole number");
        }
    }
}
