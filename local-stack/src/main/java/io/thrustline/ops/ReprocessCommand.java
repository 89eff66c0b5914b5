package io.thrustline.ops;

import com.zaxxer.hikari.HikariDataSource;
import io.thrustline.reporting.ReportingConfig;
import io.thrustline.reporting.RuleBookRepository;
import io.thrustline.reporting.RuleBookSwitch;
import io.thrustline.schemas.Topics;
import io.thrustline.seeds.Seeds;
import io.thrustline.streams.StreamsProcessorConfig;
import io.thrustline.streams.StreamsProcessorService;
import io.thrustline.streams.sessions.SessionTracker;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * {@code ./thrustline reprocess}: re-derives every insight and balance from the retained events with the rule book
 * in use now ({@code THRUSTLINE_SEEDS_DIR}, else the built-in one), then switches coaches over to it at once.
 *
 * <ol>
 *   <li>Runs a streams-processor as {@code <application id prefix>-v<version>}: a new application, so it reads
 *       {@code training.events.v1} from the start with empty state. Whatever runs the old book keeps running, and
 *       coaches keep seeing the old book's results, while reporting stores the new book's beside them.</li>
 *   <li>Waits until it has judged every event (its lag is zero), one inactivity check has closed the sessions that
 *       never sent a completion, and reporting has stored all it produced.</li>
 *   <li>Makes the new book active in one transaction ({@link RuleBookSwitch}).</li>
 * </ol>
 *
 * Then every streams-processor must be restarted with the same rules.json: each continues as the new application
 * from where this one stopped. Results of the old book that still arrive are not stored.
 */
public final class ReprocessCommand {

    private static final Duration POLL = Duration.ofSeconds(1);

    private ReprocessCommand() {}

    public static void main(String[] args) {
        if (args.length > 0) {
            System.err.println("usage: ./thrustline reprocess   (reads the rule book from THRUSTLINE_SEEDS_DIR, else the built-in one)");
            System.exit(2);
        }
        try {
            run(System.getenv(), System.out, Duration.ofHours(12));
            System.exit(0);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("thrustline reprocess: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("thrustline reprocess failed: " + e);
            System.exit(1);
        }
    }

    /** @return what the switch did; nothing when the book is already the active one */
    public static RuleBookSwitch.Outcome run(Map<String, String> environment, PrintStream out, Duration timeout) throws Exception {
        var env = new HashMap<>(environment);
        env.put("THRUSTLINE_STREAMS_PORT", "0"); // never the port of a streams-processor running beside it
        Seeds seeds = Seeds.load(env);
        int version = seeds.rules().version();
        ReportingConfig reporting = ReportingConfig.fromEnv(env);
        StreamsProcessorConfig streamsConfig = StreamsProcessorConfig.fromEnv(env);
        String application = StreamsProcessorConfig.applicationIdFor(streamsConfig.applicationId(), version);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var db = new HikariDataSource()) {
            db.setJdbcUrl(reporting.jdbcUrl());
            db.setUsername(reporting.dbUser());
            db.setPassword(reporting.dbPassword());
            db.setMaximumPoolSize(2);
            Jdbi jdbi = Jdbi.create(db).installPlugin(new SqlObjectPlugin());
            var books = jdbi.onDemand(RuleBookRepository.class);
            books.register(version); // on a database with nothing judged yet, the book simply becomes the active one
            int active = books.active().orElseThrow();
            String state = books.state(version).orElseThrow();
            if (RuleBookRepository.ACTIVE.equals(state)) {
                out.println("Rule book " + version + " is already the one coaches see; nothing to do.");
                return new RuleBookSwitch.Outcome(active, version, 0, 0, 0, 0, null);
            }
            if (RuleBookRepository.RETIRED.equals(state) || version < active) {
                throw new IllegalArgumentException("rule book " + version + " is older than the active one (" + active
                        + "); raise \"version\" in rules.json above " + active + " to judge with these rules");
            }
            out.printf("Judging every retained event with rule book %d as %s; coaches keep seeing rule book %d meanwhile.%n",
                    version, application, active);
            var died = new AtomicReference<String>();
            try (var streams = StreamsProcessorService.start(streamsConfig, seeds, (reason, cause) -> died.set(reason));
                    Admin admin = Admin.create(reporting.kafka().common())) {
                Map<String, Object> kafka = reporting.kafka().common();
                streams.awaitRunning(Duration.ofMinutes(5));
                awaitCaughtUp(admin, kafka, application, Topics.EVENTS, died, deadline, out);
                // Sessions that never sent a completion close on the next inactivity check; give it one round.
                sleep(SessionTracker.CLOSE_CHECK_EVERY.plus(streamsConfig.commitInterval()).plusSeconds(2), died);
                awaitCaughtUp(admin, kafka, application, Topics.EVENTS, died, deadline, out);
                awaitCaughtUp(admin, kafka, reporting.consumerGroup() + "-insights", Topics.INSIGHTS, died, deadline, out);
                awaitCaughtUp(admin, kafka, reporting.consumerGroup() + "-balances", Topics.BALANCES, died, deadline, out);
                // The notifier too: what it has not read yet of the new book would be announced after the switch as if new.
                awaitCaughtUp(admin, kafka, reporting.consumerGroup() + "-notifier", Topics.INSIGHTS, died, deadline, out);
                RuleBookSwitch.Outcome outcome = RuleBookSwitch.activate(jdbi, version);
                out.printf("Rule book %d is active (was %d): %d insights (%d withdrawn by the new book, %d acknowledgements kept) and %d "
                                + "balances.%nRestart every streams-processor with this rules.json now: each continues as %s from here.%n",
                        version, outcome.from(), outcome.insights(), outcome.withdrawnByTheNewBook(), outcome.acknowledgementsKept(),
                        outcome.balances(), application);
                return outcome;
            }
        }
    }

    /** Waits until {@code group} has committed past every committed record of {@code topic}. */
    private static void awaitCaughtUp(Admin admin, Map<String, Object> kafka, String group, String topic, AtomicReference<String> died,
            long deadline, PrintStream out) throws Exception {
        long lastReport = 0;
        while (true) {
            long behind = recordsBehind(admin, kafka, group, topic);
            if (behind == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(group + " is still behind on " + topic + "; gave up waiting");
            }
            if (System.nanoTime() - lastReport > Duration.ofSeconds(10).toNanos()) {
                out.printf("  %s: about %d records to go on %s%n", group, behind, topic);
                lastReport = System.nanoTime();
            }
            sleep(POLL, died);
        }
    }

    /**
     * How far {@code group} is from the end of {@code topic}, 0 when nothing but transaction markers follows its
     * committed offsets. Offsets alone cannot tell: a consumer commits the offset after its last record, and under
     * exactly-once a commit marker follows it. So the gap is read, as a read_committed consumer sees it.
     */
    private static long recordsBehind(Admin admin, Map<String, Object> kafka, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        var ends = admin.listOffsets(partitions, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
        var from = new HashMap<TopicPartition, Long>();
        long gap = 0;
        for (var end : ends.entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            long position = at == null ? 0 : at.offset();
            if (position < end.getValue().offset()) {
                from.put(end.getKey(), position);
                gap += end.getValue().offset() - position;
            }
        }
        if (from.isEmpty()) {
            return 0;
        }
        var props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var reader = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            reader.assign(from.keySet());
            from.forEach(reader::seek);
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < until) {
                if (!reader.poll(Duration.ofMillis(200)).isEmpty()) {
                    return gap; // a record the group has not committed yet
                }
                boolean atEnd = from.keySet().stream().allMatch(tp -> reader.position(tp) >= ends.get(tp).offset());
                if (atEnd) {
                    return 0;
                }
            }
            return gap;
        }
    }

    private static void sleep(Duration wait, AtomicReference<String> died) throws InterruptedException {
        Thread.sleep(wait.toMillis());
        if (died.get() != null) {
            throw new IllegalStateException("the streams application stopped: " + died.get());
        }
    }
}
