package io.thrustline.streams;

import io.thrustline.http.HttpSettings;
import io.thrustline.schemas.KafkaSettings;
import io.thrustline.schemas.RegistrySettings;
import io.thrustline.schemas.TopicPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * streams-processor settings; {@link #fromEnv} documents the environment variables and their local defaults.
 *
 * @param applicationId the Streams application id; {@link #fromEnv} gives the prefix, and the service judges as
 *                      {@code <prefix>-v<rule book version>} ({@link #judgingWith}), so a new rule book starts a
 *                      fresh application that re-derives everything from the retained events
 * @param http    its health and metrics server ({@code THRUSTLINE_STREAMS_PORT}, 8070)
 * @param scaling how its internal topics are replicated and how it shares work with other instances
 */
public record StreamsProcessorConfig(
        KafkaSettings kafka,
        RegistrySettings registry,
        String applicationId,
        Path stateDir,
        Retention retention,
        Duration sessionTimeout,
        long cacheBytes,
        Duration commitInterval,
        HttpSettings http,
        Scaling scaling) {

    public static final String REPLICATION_FACTOR = "THRUSTLINE_STREAMS_REPLICATION_FACTOR";
    public static final String STANDBY_REPLICAS = "THRUSTLINE_STREAMS_STANDBY_REPLICAS";
    public static final String THREADS = "THRUSTLINE_STREAMS_THREADS";
    public static final String INSTANCE_ID = "THRUSTLINE_STREAMS_INSTANCE_ID";
    public static final int DEFAULT_PORT = 8070;
    public static final String COMMIT_INTERVAL = "THRUSTLINE_STREAMS_COMMIT_INTERVAL_MS";
    /**
     * How often a transaction commits, and so the longest an insight waits after its event was processed before a
     * read_committed consumer (the reporting sink) can see it; also Streams' own default under exactly-once.
     */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);

    /**
     * @param replicationFactor of the changelog and repartition topics Streams creates; -1 leaves it to the
     *                          broker's default (1 on most clusters: one lost disk loses the state)
     * @param minInsyncReplicas of those topics; ignored when the replication factor is left to the broker
     * @param standbyReplicas   warm copies of each state store on other instances, for fast failover
     * @param threads           stream threads in this instance
     * @param instanceId        static group membership ({@code group.instance.id}): a restart within the session
     *                          timeout gets its tasks back without a rebalance; unique per instance
     */
    public record Scaling(int replicationFactor, int minInsyncReplicas, int standbyReplicas, int threads, Optional<String> instanceId) {
        public Scaling {
            if (replicationFactor == 0 || replicationFactor < -1) {
                throw new IllegalArgumentException(REPLICATION_FACTOR + "=" + replicationFactor + ": use 1 or more (3 on a cluster), or -1 for the broker's default");
            }
            if (standbyReplicas < 0) {
                throw new IllegalArgumentException(STANDBY_REPLICAS + "=" + standbyReplicas + " must be 0 or more");
            }
            if (threads < 1) {
                throw new IllegalArgumentException(THREADS + "=" + threads + " must be at least 1");
            }
            if (replicationFactor > 0 && (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor)) {
                throw new IllegalArgumentException("min.insync.replicas " + minInsyncReplicas + " of the Streams internal topics must lie between 1 and "
                        + REPLICATION_FACTOR + "=" + replicationFactor);
            }
        }

        /** One broker, one thread, no standbys: tests and benchmarks. */
        public static Scaling single() {
            return new Scaling(1, 1, 0, 1, Optional.empty());
        }
    }

    /** The application id that judges with rule book {@code ruleBook}: one application (state, offsets) per book. */
    public static String applicationIdFor(String prefix, int ruleBook) {
        return prefix + "-v" + ruleBook;
    }

    /** The same settings, as the application that judges with rule book {@code ruleBook}. */
    public StreamsProcessorConfig judgingWith(int ruleBook) {
        return new StreamsProcessorConfig(kafka, registry, applicationIdFor(applicationId, ruleBook), stateDir, retention, sessionTimeout,
                cacheBytes, commitInterval, http, scaling);
    }

    /** The settings before health, metrics and scaling existed: one broker, no HTTP port of its own (any free one). */
    public StreamsProcessorConfig(KafkaSettings kafka, RegistrySettings registry, String applicationId, Path stateDir, Retention retention,
            Duration sessionTimeout, long cacheBytes) {
        this(kafka, registry, applicationId, stateDir, retention, sessionTimeout, cacheBytes, DEFAULT_COMMIT_INTERVAL,
                HttpSettings.local(0, 64 * 1024), Scaling.single());
    }

    public static StreamsProcessorConfig fromEnv(Map<String, String> env) {
        return new StreamsProcessorConfig(
                KafkaSettings.fromEnv(env),
                RegistrySettings.fromEnv(env),
                env.getOrDefault("THRUSTLINE_STREAMS_APPLICATION_ID", "thrustline-rules"),
                Path.of(env.getOrDefault("THRUSTLINE_STREAMS_STATE_DIR", ".thrustline-data/streams")),
                new Retention(
                        Duration.ofDays(Long.parseLong(env.getOrDefault("THRUSTLINE_SESSION_RETENTION_DAYS", "30"))),
                        Integer.parseInt(env.getOrDefault("THRUSTLINE_LOAD_HISTORY_SETS", "50")),
                        Integer.parseInt(env.getOrDefault("THRUSTLINE_BALANCES_PER_EXERCISE", "10"))),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("THRUSTLINE_STREAMS_SESSION_TIMEOUT_MS", "10000"))),
                Long.parseLong(env.getOrDefault("THRUSTLINE_STREAMS_CACHE_MB", "32")) * 1024 * 1024,
                Duration.ofMillis(Long.parseLong(env.getOrDefault(COMMIT_INTERVAL, String.valueOf(DEFAULT_COMMIT_INTERVAL.toMillis())))),
                HttpSettings.fromEnv(env, "STREAMS", DEFAULT_PORT, 64 * 1024),
                scaling(env));
    }

    /**
     * The internal topics' replication factor is {@code THRUSTLINE_STREAMS_REPLICATION_FACTOR}, else the
     * pipeline topics' ({@code THRUSTLINE_TOPIC_REPLICATION_FACTOR}, 3); their {@code min.insync.replicas}
     * follows {@code THRUSTLINE_TOPIC_MIN_INSYNC_REPLICAS} (2), never above the replication factor.
     */
    static Scaling scaling(Map<String, String> env) {
        int rf = integer(env, REPLICATION_FACTOR, TopicPlan.replicationFactor(env));
        int minIsr = Math.min(integer(env, TopicPlan.MIN_INSYNC_REPLICAS, 2), Math.max(rf, 1));
        String instanceId = env.getOrDefault(INSTANCE_ID, "").trim();
        return new Scaling(rf, minIsr, integer(env, STANDBY_REPLICAS, 0), integer(env, THREADS, 1),
                instanceId.isEmpty() ? Optional.empty() : Optional.of(instanceId));
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        return TopicPlan.integer(env, name, fallback); // one parser for every whole-number setting
    }
}
