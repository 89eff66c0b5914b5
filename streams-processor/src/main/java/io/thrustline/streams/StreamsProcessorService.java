package io.thrustline.streams;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.thrustline.http.ApiServer;
import io.thrustline.http.JvmMetrics;
import io.thrustline.ops.Fatal;
import io.thrustline.ops.ServiceMain;
import io.thrustline.schemas.KafkaPreflight;
import io.thrustline.schemas.KafkaSettings;
import io.thrustline.schemas.Topics;
import io.thrustline.seeds.Seeds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the rules topology against a cluster, with {@code /health/live}, {@code /health/ready} and
 * {@code /metrics} on its own port. A Streams client that dies (ERROR, or stopped without being asked) is
 * reported to the {@link Fatal} callback with the reason, a missing topic by name; {@code main} then exits 1.
 */
public final class StreamsProcessorService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsProcessorService.class);
    /** Topics the topology reads or writes; a missing one kills the client. */
    static final List<String> TOPICS = List.of(Topics.EVENTS, Topics.INSIGHTS, Topics.BALANCES, Topics.DEAD_LETTERS);

    private final KafkaStreams streams;
    private final StreamsHealth health;
    private final AtomicBoolean closing;
    private final ApiServer http;
    private final List<AutoCloseable> metrics;

    private StreamsProcessorService(KafkaStreams streams, StreamsHealth health, AtomicBoolean closing, ApiServer http, List<AutoCloseable> metrics) {
        this.streams = streams;
        this.health = health;
        this.closing = closing;
        this.http = http;
        this.metrics = metrics;
    }

    public static StreamsProcessorService start(StreamsProcessorConfig config, Seeds seeds) {
        return start(config, seeds, Fatal.LOG_ONLY);
    }

    /**
     * @param configured its application id is the prefix: the service runs as {@code <prefix>-v<rule book version>}
     * @param fatal  told once if the Streams client dies for good
     */
    public static StreamsProcessorService start(StreamsProcessorConfig configured, Seeds seeds, Fatal fatal) {
        StreamsProcessorConfig config = configured.judgingWith(seeds.rules().version());
        KafkaPreflight.check("streams-processor", config.kafka(), KafkaPreflight.Needs.reading(Topics.EVENTS)
                .andWriting(Topics.INSIGHTS, Topics.BALANCES, Topics.DEAD_LETTERS)
                .inGroups(config.applicationId()).withTransactionalIds(config.applicationId()).withInternalTopics(config.applicationId()),
                Duration.ofSeconds(15));
        Topics topics = Topics.withRegistry(config.registry());
        var streams = new KafkaStreams(RulesTopology.build(topics, seeds, config.retention()), properties(config));
        var health = new StreamsHealth();
        var closing = new AtomicBoolean();
        var lastError = new AtomicReference<Throwable>();
        var reported = new AtomicBoolean();
        streams.setGlobalStateRestoreListener(health);
        streams.setUncaughtExceptionHandler(e -> {
            lastError.set(e);
            log.error("streams-processor: a stream thread died; stopping the client", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            log.info("streams-processor {} -> {}", before, now);
            boolean died = now == KafkaStreams.State.ERROR || (now == KafkaStreams.State.NOT_RUNNING && !closing.get());
            if (died && reported.compareAndSet(false, true)) {
                Throwable error = lastError.get();
                fatal.died(reason(config.kafka(), error, now), error);
            }
        });

        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var bound = new ArrayList<AutoCloseable>();
        bound.add(JvmMetrics.bindTo(registry));
        var streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        bound.add(streamsMetrics);
        ApiServer http;
        try {
            http = ApiServer.start("streams-processor", config.http(), c -> {
                c.routes.get("/health", ctx -> answer(ctx, StreamsHealth.liveness(streams.state(), health.restoring(), closing.get())));
                c.routes.get("/health/live", ctx -> answer(ctx, StreamsHealth.liveness(streams.state(), health.restoring(), closing.get())));
                c.routes.get("/health/ready", ctx -> answer(ctx, StreamsHealth.readiness(streams.state(), health.restoring())));
            }, registry::scrape, (route, status, millis) -> Timer.builder("thrustline.streams.requests").tag("route", route)
                    .tag("status", String.valueOf(status)).register(registry).record(Duration.ofNanos((long) (millis * 1_000_000))));
        } catch (RuntimeException e) {
            closeAll(bound);
            streams.close(Duration.ofSeconds(5));
            throw e;
        }
        streams.start();
        return new StreamsProcessorService(streams, health, closing, http, bound);
    }

    private static void answer(io.javalin.http.Context ctx, StreamsHealth.Report report) {
        ApiServer.json(ctx, report.ok() ? 200 : 503, Map.of("status", report.ok() ? "UP" : "DOWN", "state", report.state(),
                "restoring", report.restoring()));
    }

    /** One line an operator can act on: which topic is missing, which credential refused, or what the error was. */
    static String reason(KafkaSettings kafka, Throwable error, KafkaStreams.State state) {
        if (error != null && findCause(error, MissingSourceTopicException.class) != null) {
            List<String> missing = missingTopics(kafka);
            return "streams-processor stopped: topic(s) " + String.join(", ", missing.isEmpty() ? TOPICS : missing)
                    + (missing.isEmpty() ? " (one of them)" : "") + " missing on " + kafka.bootstrapServers() + "; create them with ./thrustline topics";
        }
        if (error != null && Fatal.isPermanent(error)) {
            return "streams-processor stopped: Kafka at " + kafka.bootstrapServers() + " refused it: " + Fatal.describe(error);
        }
        if (error != null) {
            return "streams-processor stopped: its Kafka Streams client died (" + state + "): " + rootMessage(error);
        }
        return "streams-processor stopped: its Kafka Streams client went " + state + " without being asked to";
    }

    /** Which of the topology's topics do not exist right now; empty if that cannot be told. */
    private static List<String> missingTopics(KafkaSettings kafka) {
        Map<String, Object> props = kafka.common();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "streams-processor-diagnosis");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        var missing = new ArrayList<String>();
        try (Admin admin = Admin.create(props)) {
            var described = admin.describeTopics(TOPICS).topicNameValues();
            for (String topic : TOPICS) {
                try {
                    described.get(topic).get(6, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        missing.add(topic);
                    }
                }
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("could not ask Kafka which topics are missing: {}", e.toString());
        }
        return missing;
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == error ? error.toString() : error.getClass().getSimpleName() + ": " + error.getMessage() + " (cause: " + root + ")";
    }

    public static Properties properties(StreamsProcessorConfig config) {
        var props = new Properties();
        props.putAll(config.kafka().common()); // security, rack, timeouts for every client Streams makes; then ours
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        // Poison records (undecodable bytes, events the rules cannot judge) go to the dead-letter topic with the
        // error in headers, and processing goes on.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTERS);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Room for every open session's keys between commits; a full cache flushes inside put().
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.cacheBytes());
        // A member that died without leaving (kill -9) holds its partitions until this timeout passes.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) config.sessionTimeout().toMillis());
        StreamsProcessorConfig.Scaling scaling = config.scaling();
        // Changelog and repartition topics: Streams' default (-1) is the broker's default, 1 on most clusters.
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, scaling.replicationFactor());
        if (scaling.replicationFactor() > 0) {
            props.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), String.valueOf(scaling.minInsyncReplicas()));
        }
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, scaling.standbyReplicas());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, scaling.threads());
        scaling.instanceId().ifPresent(id -> props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
        return props;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The port of its health and metrics server. */
    public int port() {
        return http.port();
    }

    /** Blocks until the topology is running, or fails if it stops first. */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state().hasCompletedShutdown() || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("streams-processor stopped while starting: " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("streams-processor not running after " + timeout + ": " + streams.state());
            }
            Thread.sleep(50);
        }
    }

    /** Leaves the group on the way out, so a restart rebalances at once instead of waiting out the session timeout. */
    @Override
    public void close() {
        closing.set(true);
        http.close();
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        closeAll(metrics);
    }

    private static void closeAll(List<AutoCloseable> closeables) {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", c, e.toString());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        ServiceMain.run("streams-processor", fatal -> start(StreamsProcessorConfig.fromEnv(System.getenv()), Seeds.load(), fatal));
    }
}
