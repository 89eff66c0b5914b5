package io.thrustline.streams;

import io.thrustline.schemas.KafkaPreflight;
import io.thrustline.schemas.Topics;
import io.thrustline.seeds.Seeds;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the rules topology against a cluster. */
public final class StreamsProcessorService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsProcessorService.class);

    private final KafkaStreams streams;

    private StreamsProcessorService(KafkaStreams streams) {
        this.streams = streams;
    }

    public static StreamsProcessorService start(StreamsProcessorConfig config, Seeds seeds) {
        KafkaPreflight.check("streams-processor", config.kafka(), KafkaPreflight.Needs.reading(Topics.EVENTS)
                .andWriting(Topics.INSIGHTS, Topics.BALANCES, Topics.DEAD_LETTERS)
                .inGroups(config.applicationId()).withTransactionalIds(config.applicationId()).withInternalTopics(config.applicationId()),
                java.time.Duration.ofSeconds(15));
        Topics topics = Topics.withRegistry(config.registry());
        var streams = new KafkaStreams(RulesTopology.build(topics, seeds, config.retention()), properties(config));
        streams.setStateListener((now, before) -> log.info("streams-processor {} -> {}", before, now));
        streams.start();
        return new StreamsProcessorService(streams);
    }

    public static Properties properties(StreamsProcessorConfig config) {
        var props = new Properties();
        props.putAll(config.kafka().common()); // security, rack, timeouts for every client Streams makes; then ours
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
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
        return props;
    }

    public KafkaStreams.State state() {
        return streams.state();
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
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }

    public static void main(String[] args) throws InterruptedException {
        var service = start(StreamsProcessorConfig.fromEnv(System.getenv()), Seeds.load());
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "streams-processor-shutdown"));
        stopped.await();
    }
}
