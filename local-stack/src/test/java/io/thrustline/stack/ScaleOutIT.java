package io.thrustline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.schemas.Insight;
import io.thrustline.schemas.RegistryAvroSerdes;
import io.thrustline.schemas.SessionBalance;
import io.thrustline.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import io.thrustline.infrastructure.LocalPostgres;
import io.thrustline.infrastructure.RegistryProcess;
import io.thrustline.infrastructure.StackConfig;
import io.thrustline.testing.TestStacks;

/**
 * Issue 9, item 4: the pipeline scaled out as an operator runs it, and hurt while it works.
 *
 * <p>Three KRaft brokers (combined roles, static quorum) as separate JVMs; every pipeline topic and the offsets and
 * transaction state topics at replication factor 3 and min.insync.replicas 2; the registry and PostgreSQL as their
 * own servers; two JVMs each of ingest-service, streams-processor (one application id) and reporting-service (one
 * consumer group), each started through its {@code main} with nothing but THRUSTLINE_* variables. Several clients
 * post sessions through both ingest instances, retrying 503s and connection errors with the same eventIds (the
 * idempotency contract). Mid-traffic: kill -9 of the broker leading training.events.v1 partition 0, of one streams
 * instance and of one reporting instance. Then every stored set, balance and insight in PostgreSQL, and every
 * record on the output topics, must be exactly what the sent sessions imply; failover times are measured and printed.
 *
 * <p>Runs in {@code mvn verify} (local-stack's second surefire execution, {@code scale-out}); {@code -Dscaleout.sabotage=...} deliberately breaks the traffic to show
 * the exactness checks failing (see {@link Sabotage}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleOutIT {

    private static final int PARTITIONS = 6;
    private static final String INGEST_KEY = "demo-key";
    private static final String INTEGRATION = "demo-gym";
    private static final String ADMIN = "demo-admin";
    private static final String EXERCISE = "barbell_single_leg_hip_thrust";
    private static final String APP_ID = "scale-rules";
    private static final String REPORTING_GROUP = "scale-reporting";
    private static final int CLIENT_THREADS = 4;
    /** When the kills happen and the traffic stops, from the start of the traffic. */
    private static final Duration KILL_BROKER_AT = Duration.ofSeconds(12);
    private static final Duration KILL_STREAMS_AT = Duration.ofSeconds(35);
    private static final Duration KILL_REPORTING_AT = Duration.ofSeconds(62);
    private static final Duration TRAFFIC_FOR = Duration.ofSeconds(85);
    /** Generous: failover on two shared cores; a real regression (a task that never moves) is far beyond it. */
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(60);

    /** Deliberate faults, to watch the exactness checks go red ({@code -Dscaleout.sabotage=name}). */
    enum Sabotage {
        NONE,
        /** One session gets one more set, with a new eventId, that the expectations do not know of. */
        EXTRA_SET,
        /** One planned set is never sent, but is still expected. */
        SKIP_SET,
        /** A retry gets new eventIds instead of the same ones (breaks the idempotency contract). */
        NEW_IDS_ON_RETRY,
        /** One insight record is copied on training.insights.v1 (a producer that is not exactly-once). */
        DUPLICATE_INSIGHT_RECORD
    }

    /** Comma-separated, e.g. {@code -Dscaleout.sabotage=extra_set,skip_set}. */
    private final Set<Sabotage> sabotage = java.util.Arrays.stream(System.getProperty("scaleout.sabotage", "none").split(","))
            .map(name -> Sabotage.valueOf(name.trim().toUpperCase())).collect(Collectors.toCollection(() -> java.util.EnumSet.noneOf(Sabotage.class)));
    private final Path workDir = Path.of("target/scale-out").toAbsolutePath();
    private final Path logDir = workDir.resolve("logs");
    private final List<AutoCloseable> running = Collections.synchronizedList(new ArrayList<>());
    private final Thread cleanupHook = new Thread(this::stopAll, "scale-out-cleanup");

    private final Map<Integer, ChildJvm> brokers = new TreeMap<>();
    private final Map<Integer, Integer> brokerPorts = new TreeMap<>();
    private final List<ChildJvm> ingests = new ArrayList<>();
    private final List<ChildJvm> streams = new ArrayList<>();
    private final List<ChildJvm> reportings = new ArrayList<>();
    private final List<Integer> ingestPorts = new ArrayList<>();
    private final List<Integer> reportingPorts = new ArrayList<>();
    private String bootstrap;
    private StackConfig stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).version(HttpClient.Version.HTTP_1_1).build();

    // ---------------------------------------------------------------------------------------------------------
    // the cluster

    @BeforeAll
    void startCluster() throws Exception {
        Runtime.getRuntime().addShutdownHook(cleanupHook);
        deleteRecursively(workDir);
        Files.createDirectories(logDir);
        long t0 = System.nanoTime();

        // Brokers first: they take longest. Each formatted once with StorageTool, then `kafka.Kafka server.properties`.
        int[] ports = new int[3];
        int[] controllerPorts = new int[3];
        for (int i = 0; i < 3; i++) {
            ports[i] = TestStacks.freePort();
            controllerPorts[i] = TestStacks.freePort();
        }
        String voters = "1@127.0.0.1:" + controllerPorts[0] + ",2@127.0.0.1:" + controllerPorts[1] + ",3@127.0.0.1:" + controllerPorts[2];
        String clusterId = Uuid.randomUuid().toString();
        for (int i = 0; i < 3; i++) {
            int node = i + 1;
            Path file = writeBrokerProperties(node, ports[i], controllerPorts[i], voters);
            format(clusterId, file);
            brokerPorts.put(node, ports[i]);
            brokers.put(node, track(ChildJvm.start("broker-" + node, "kafka.Kafka", List.of(file.toString()), Map.of(), logDir, "256m")));
        }
        bootstrap = brokerPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));

        // PostgreSQL and the registry (on PostgreSQL) while the brokers boot.
        var env = TestStacks.environment(workDir.resolve("stack"));
        stack = StackConfig.fromEnv(env);
        Files.createDirectories(stack.dataDir());
        track(LocalPostgres.start(stack.dataDir(), stack.postgresPort()));
        track(RegistryProcess.start(stack, stack.jdbcUrl("registry")));

        try (Admin admin = admin()) {
            awaitTrue("three brokers in the cluster", Duration.ofSeconds(90),
                    () -> admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == 3);
            var topics = new ArrayList<NewTopic>();
            for (String name : List.of(Topics.EVENTS, Topics.INSIGHTS, Topics.BALANCES, Topics.DEAD_LETTERS, Topics.REPORTING_DEAD_LETTERS)) {
                topics.add(new NewTopic(name, PARTITIONS, (short) 3).configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2")));
            }
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
        System.out.printf("[scale-out] brokers, PostgreSQL, registry and topics up in %.1f s%n", seconds(System.nanoTime() - t0));

        for (int i = 0; i < 2; i++) {
            int ingestPort = TestStacks.freePort();
            int reportingPort = TestStacks.freePort();
            ingestPorts.add(ingestPort);
            reportingPorts.add(reportingPort);
            var common = commonEnv();
            var ingestEnv = new HashMap<>(common);
            ingestEnv.put("THRUSTLINE_INGEST_PORT", String.valueOf(ingestPort));
            // Shorter than a broker failover (about 10 s), so requests caught in it answer 503 and are retried with the
            // same eventIds, while some of their records still land: the idempotency contract is exercised, not assumed.
            ingestEnv.put("THRUSTLINE_INGEST_ACK_TIMEOUT_SECONDS", "4");
            ingests.add(track(ChildJvm.start("ingest-" + i, "io.thrustline.ingest.IngestService", List.of(), ingestEnv, logDir, "192m")));

            var streamsEnv = new HashMap<>(common);
            streamsEnv.put("THRUSTLINE_STREAMS_APPLICATION_ID", APP_ID);
            streamsEnv.put("THRUSTLINE_STREAMS_STATE_DIR", workDir.resolve("streams-" + i).toString());
            streamsEnv.put("THRUSTLINE_STREAMS_CACHE_MB", "4");
            // Streams' own changelog and repartition topics: RF 3 like the rest (a Streams property, passed through).
            streamsEnv.put("THRUSTLINE_STREAMS_REPLICATION_FACTOR", "3");
            streamsEnv.put("THRUSTLINE_STREAMS_PORT", "0"); // two instances on one machine: any free port each
            streams.add(track(ChildJvm.start("streams-" + i, "io.thrustline.streams.StreamsProcessorService", List.of(), streamsEnv, logDir, "192m")));

            var reportingEnv = new HashMap<>(common);
            reportingEnv.put("THRUSTLINE_REPORTING_PORT", String.valueOf(reportingPort));
            reportingEnv.put("THRUSTLINE_REPORTING_GROUP", REPORTING_GROUP);
            reportingEnv.put("THRUSTLINE_DB_URL", stack.jdbcUrl("thrustline"));
            reportingEnv.put("THRUSTLINE_DB_USER", LocalPostgres.USER);
            reportingEnv.put("THRUSTLINE_DB_PASSWORD", LocalPostgres.PASSWORD);
            reportings.add(track(ChildJvm.start("reporting-" + i, "io.thrustline.reporting.ReportingService", List.of(), reportingEnv, logDir, "192m")));
        }
        for (int i = 0; i < 2; i++) {
            int ingestPort = ingestPorts.get(i);
            int reportingPort = reportingPorts.get(i);
            awaitTrue("ingest-" + i + " ready", Duration.ofSeconds(120), () -> status("GET", "http://127.0.0.1:" + ingestPort + "/health/ready", null, null) == 200);
            awaitTrue("reporting-" + i + " ready", Duration.ofSeconds(120), () -> status("GET", "http://127.0.0.1:" + reportingPort + "/health/ready", ADMIN, null) == 200);
        }
        try (Admin admin = admin()) {
            String group = io.thrustline.streams.StreamsProcessorConfig.applicationIdFor(APP_ID, io.thrustline.seeds.Seeds.loadBuiltIn().rules().version());
            awaitTrue("both streams instances in group " + group, Duration.ofSeconds(120), () -> stableMembers(admin, group) == 2);
            for (String sink : List.of("insights", "balances", "sets")) {
                awaitTrue("both reporting instances in " + REPORTING_GROUP + "-" + sink, Duration.ofSeconds(60),
                        () -> stableMembers(admin, REPORTING_GROUP + "-" + sink) == 2);
            }
        }
        System.out.printf("[scale-out] 3 brokers + 6 service JVMs running after %.1f s: %s%n", seconds(System.nanoTime() - t0), running);
    }

    private Map<String, String> commonEnv() {
        return Map.of(
                "THRUSTLINE_PROFILE", "local",
                "THRUSTLINE_KAFKA_BOOTSTRAP", bootstrap,
                "THRUSTLINE_REGISTRY_URL", stack.registryUrl());
    }

    private Path writeBrokerProperties(int node, int port, int controllerPort, String voters) throws IOException {
        Path dir = workDir.resolve("broker-" + node);
        Files.createDirectories(dir);
        var p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(node));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("offsets.topic.replication.factor", "3");
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", "3");
        p.put("transaction.state.log.min.isr", "2");
        p.put("transaction.state.log.num.partitions", "6");
        p.put("share.coordinator.state.topic.replication.factor", "3");
        p.put("share.coordinator.state.topic.min.isr", "2");
        p.put("default.replication.factor", "3");
        p.put("min.insync.replicas", "2");
        p.put("num.partitions", String.valueOf(PARTITIONS));
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        Path file = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, "scale-out test broker " + node);
        }
        return file;
    }

    private static void format(String clusterId, Path file) {
        var output = new ByteArrayOutputStream();
        int status;
        try (var out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", file.toString()}, out);
        }
        if (status != 0) {
            throw new IllegalStateException("formatting " + file + " failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    private static int stableMembers(Admin admin, String group) throws Exception {
        var description = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
        return description.groupState() == org.apache.kafka.common.GroupState.STABLE ? description.members().size() : -1;
    }

    @AfterAll
    void stopCluster() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        var left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
        assertThat(left).as("processes this test started and left running").isEmpty();
    }

    private void stopAll() {
        List<AutoCloseable> parts;
        synchronized (running) {
            parts = new ArrayList<>(running);
            running.clear();
        }
        Collections.reverse(parts);
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("[scale-out] stopping " + part + " failed: " + e);
            }
        }
    }

    private <T extends AutoCloseable> T track(T part) {
        running.add(part);
        return part;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the traffic: one athlete per session, so a session's partition and its expected results are known

    record PlannedSet(String eventId, String side, int reps, double loadKg, Instant performedAt) {}

    /** One session: two requests of sets (left and right each), then the completion. */
    record Session(String athlete, String sessionId, int partition, int asymmetryPct, String weaker, List<PlannedSet> sets,
            String completionEventId) {

        String qualified() {
            return INTEGRATION + ":" + athlete;
        }

        double volume(String side) {
            return sets.stream().filter(s -> s.side().equals(side)).mapToDouble(s -> s.reps() * s.loadKg()).sum();
        }

        int reps(String side) {
            return sets.stream().filter(s -> s.side().equals(side)).mapToInt(PlannedSet::reps).sum();
        }

        /** As the rules compute it: (stronger - weaker) / stronger x 100, one decimal, halves up. */
        double expectedAsymmetry() {
            double left = volume("LEFT");
            double right = volume("RIGHT");
            double stronger = Math.max(left, right);
            return BigDecimal.valueOf((stronger - Math.min(left, right)) / stronger * 100.0).setScale(1, RoundingMode.HALF_UP).doubleValue();
        }

        /** LEFT_RIGHT_IMBALANCE at 10 % (WARNING) and 15 % (ALERT), seeds/rules.json. */
        String expectedSeverity() {
            double pct = expectedAsymmetry();
            return pct >= 15 ? "ALERT" : pct >= 10 ? "WARNING" : null;
        }
    }

    /** One HTTP attempt, for the failover numbers. */
    record Attempt(long startMs, long endMs, int status, int partition, int instance) {}

    /** A session the clients finished: its completion was acknowledged (202) at this time. */
    record Done(Session session, long completedMs) {}

    private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    private final List<Done> done = new CopyOnWriteArrayList<>();
    private final AtomicInteger sessionCounter = new AtomicInteger();
    private final AtomicInteger retries503 = new AtomicInteger();
    private final AtomicInteger retriesConnection = new AtomicInteger();
    private final AtomicInteger retriesOther = new AtomicInteger();
    private final Instant sessionsStart = Instant.now().minus(40, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

    private Session plan() {
        int n = sessionCounter.getAndIncrement();
        String athlete = "scale-" + n;
        // Every fourth session is within 10 %: a balance and no insight. The others: 10 to 40 %.
        int pct = n % 4 == 3 ? 4 + n % 5 : 10 + n % 31;
        String weaker = n % 2 == 0 ? "RIGHT" : "LEFT";
        double strong = 100.0;
        double weak = strong - pct;
        Instant at = sessionsStart.plusSeconds(n % 600);
        var sets = new ArrayList<PlannedSet>();
        for (int round = 0; round < 2; round++) {
            for (String side : List.of("LEFT", "RIGHT")) {
                sets.add(new PlannedSet(UUID.randomUUID().toString(), side, 8, side.equals(weaker) ? weak : strong,
                        at.plusSeconds(60L * (round * 2 + (side.equals("LEFT") ? 0 : 1)))));
            }
        }
        byte[] key = (INTEGRATION + ":" + athlete).getBytes(StandardCharsets.UTF_8);
        return new Session(athlete, "s" + n, Utils.toPositive(Utils.murmur2(key)) % PARTITIONS, pct, weaker, List.copyOf(sets),
                UUID.randomUUID().toString());
    }

    private void client(int thread, AtomicBoolean stop) {
        try {
            while (!stop.get()) {
                sendSession(thread, plan());
                Thread.sleep(20); // some room on two shared cores for the failovers themselves
            }
        } catch (Exception e) {
            throw new IllegalStateException("client " + thread + " failed", e);
        }
    }

    private Session sendSession(int thread, Session session) throws Exception {
        List<PlannedSet> sets = session.sets();
        boolean extra = sabotage.contains(Sabotage.EXTRA_SET) && session.athlete().equals("scale-5");
        boolean skip = sabotage.contains(Sabotage.SKIP_SET) && session.athlete().equals("scale-7");
        for (int round = 0; round < 2; round++) {
            var batch = new ArrayList<>(sets.subList(round * 2, round * 2 + 2));
            if (skip && round == 1) {
                batch.remove(1);
            }
            if (extra && round == 1) {
                PlannedSet copy = batch.get(0);
                batch.add(new PlannedSet(UUID.randomUUID().toString(), copy.side(), copy.reps(), copy.loadKg(), copy.performedAt().plusSeconds(30)));
            }
            String body = "{\"sets\": [" + batch.stream().map(s -> setJson(session, s)).collect(Collectors.joining(",")) + "]}";
            post(thread, session, "/v1/sets", body);
        }
        String completion = "{\"athleteId\": \"%s\", \"completedAt\": \"%s\", \"eventId\": \"%s\"}"
                .formatted(session.athlete(), sets.getLast().performedAt().plusSeconds(120), session.completionEventId());
        long completedAt = post(thread, session, "/v1/sessions/" + session.sessionId() + "/complete", completion);
        done.add(new Done(session, completedAt));
        return session;
    }

    private static String setJson(Session session, PlannedSet s) {
        return """
                {"eventId": "%s", "athleteId": "%s", "sessionId": "%s", "performedAt": "%s", "exercise": "%s", "side": "%s", "reps": %d, "loadKg": %s}"""
                .formatted(s.eventId(), session.athlete(), session.sessionId(), s.performedAt(), EXERCISE, s.side(), s.reps(), s.loadKg());
    }

    /**
     * POSTs until 202, alternating the two ingest instances as a load balancer would; 503, 429, 5xx and connection
     * errors are retried with the same body, so the same eventIds. Returns when the 202 arrived (epoch ms).
     */
    private long post(int thread, Session session, String path, String body) throws Exception {
        long giveUp = System.currentTimeMillis() + 180_000;
        for (int attempt = 0; ; attempt++) {
            int instance = (thread + attempt) % 2;
            String sent = body;
            if (attempt > 0 && sabotage.contains(Sabotage.NEW_IDS_ON_RETRY)) {
                sent = java.util.regex.Pattern.compile("\"eventId\": \"[0-9a-f-]{36}\"").matcher(body)
                        .replaceAll(m -> "\"eventId\": \"" + UUID.randomUUID() + "\"");
            }
            long start = System.currentTimeMillis();
            int status;
            String answer = "";
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingestPorts.get(instance) + path))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + INGEST_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(sent)).build(), HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                answer = response.body();
            } catch (IOException e) {
                status = -1;
            }
            long end = System.currentTimeMillis();
            attempts.add(new Attempt(start, end, status, session.partition(), instance));
            if (status == 202) {
                return end;
            }
            if (status == 503) {
                retries503.incrementAndGet();
            } else if (status == -1) {
                retriesConnection.incrementAndGet();
            } else if (status == 429 || status >= 500) {
                retriesOther.incrementAndGet();
            } else {
                throw new IllegalStateException("ingest answered " + status + " to " + path + ": " + answer);
            }
            if (end > giveUp) {
                throw new IllegalStateException("ingest did not accept " + path + " for 180 s; last status " + status);
            }
            Thread.sleep(250); // a short, fixed backoff: Retry-After (5 s) would hide the failover time
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the test

    @Test
    void resultsStayExactWhileABrokerAStreamsInstanceAndAReportingInstanceAreKilledMidTraffic() throws Exception {
        // A first session through the whole pipeline before the clock starts: schemas registered, tasks assigned.
        Session warmUp = sendSession(0, plan());
        awaitTrue("the warm-up session's insight in PostgreSQL", Duration.ofSeconds(90),
                () -> count("select count(*) from insights where athlete_id = '" + warmUp.qualified() + "'") == 1);

        var stop = new AtomicBoolean();
        var clients = new ArrayList<Thread>();
        var failures = new ConcurrentLinkedQueue<Throwable>();
        long trafficStart = System.currentTimeMillis();
        for (int t = 0; t < CLIENT_THREADS; t++) {
            int thread = t;
            var client = new Thread(() -> client(thread, stop), "client-" + t);
            client.setUncaughtExceptionHandler((th, e) -> failures.add(e));
            clients.add(client);
            client.start();
        }

        // 1. The broker leading training.events.v1 partition 0 (and, with it, whatever else it leads).
        sleepUntil(trafficStart + KILL_BROKER_AT.toMillis());
        Map<Integer, Integer> leaders;
        try (Admin admin = admin()) {
            leaders = leaders(admin, Topics.EVENTS);
        }
        int victim = leaders.get(0);
        Set<Integer> victimPartitions = leaders.entrySet().stream().filter(e -> e.getValue() == victim).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        long brokerKilled = System.currentTimeMillis();
        brokers.get(victim).kill();
        System.out.printf("[scale-out] t+%.1f s kill -9 broker %d (leader of %s partitions %s)%n",
                (brokerKilled - trafficStart) / 1000.0, victim, Topics.EVENTS, victimPartitions);

        // 2. One streams instance.
        sleepUntil(trafficStart + KILL_STREAMS_AT.toMillis());
        long streamsKilled = System.currentTimeMillis();
        streams.get(0).kill();
        System.out.printf("[scale-out] t+%.1f s kill -9 %s%n", (streamsKilled - trafficStart) / 1000.0, streams.get(0));

        // 3. One reporting instance.
        sleepUntil(trafficStart + KILL_REPORTING_AT.toMillis());
        long reportingKilled = System.currentTimeMillis();
        reportings.get(0).kill();
        System.out.printf("[scale-out] t+%.1f s kill -9 %s%n", (reportingKilled - trafficStart) / 1000.0, reportings.get(0));

        sleepUntil(trafficStart + TRAFFIC_FOR.toMillis());
        stop.set(true);
        for (Thread client : clients) {
            client.join(200_000);
        }
        assertThat(failures).as("client failures").isEmpty();
        long trafficEnd = System.currentTimeMillis();

        if (sabotage.contains(Sabotage.DUPLICATE_INSIGHT_RECORD)) {
            duplicateOneInsightRecord();
        }

        var sessions = new ArrayList<Session>();
        done.stream().map(Done::session).forEach(sessions::add); // the warm-up session included
        List<Session> withInsight = sessions.stream().filter(s -> s.expectedSeverity() != null).toList();
        int expectedSets = sessions.size() * 4;

        // Converged: everything sent has arrived in PostgreSQL (then a pause, so late extras would show too).
        long converging = System.currentTimeMillis();
        boolean converged = eventually(Duration.ofSeconds(120), () -> count("select count(*) from sets") >= expectedSets
                && count("select count(*) from session_balances") >= sessions.size()
                && count("select count(*) from insights") >= withInsight.size());
        long convergedAt = System.currentTimeMillis();
        Thread.sleep(3_000);
        System.out.printf("[scale-out] %d sessions (%d sets, %d insights expected) sent by %d clients in %.1f s; PostgreSQL %s %.1f s after the traffic stopped%n",
                sessions.size(), expectedSets, withInsight.size(), CLIENT_THREADS, (trafficEnd - trafficStart) / 1000.0,
                converged ? "caught up" : "had NOT caught up", (convergedAt - converging) / 1000.0);

        report(trafficStart, brokerKilled, victim, victimPartitions, streamsKilled, reportingKilled);

        // Every exactness check is reported, not only the first that fails.
        var soft = new org.assertj.core.api.SoftAssertions();
        // ----- exactness, in PostgreSQL
        try (Connection db = db()) {
            // Sets: every accepted set exactly once, with what was sent.
            var storedSets = new HashMap<String, String>();
            try (var st = db.createStatement(); var rs = st.executeQuery("select athlete_id, event_id, side, reps, load_kg from sets")) {
                while (rs.next()) {
                    String previous = storedSets.put(rs.getString(1) + "/" + rs.getString(2),
                            rs.getString(3) + " " + rs.getInt(4) + " " + rs.getDouble(5));
                    soft.assertThat(previous).as("a set stored twice").isNull();
                }
            }
            var expectedSetRows = new HashMap<String, String>();
            for (Session s : sessions) {
                for (PlannedSet set : s.sets()) {
                    expectedSetRows.put(s.qualified() + "/" + set.eventId(), set.side() + " " + set.reps() + " " + set.loadKg());
                }
            }
            var missing = new HashSet<>(expectedSetRows.keySet());
            missing.removeAll(storedSets.keySet());
            var extra = new HashSet<>(storedSets.keySet());
            extra.removeAll(expectedSetRows.keySet());
            soft.assertThat(missing).as("accepted sets missing from PostgreSQL").isEmpty();
            soft.assertThat(extra).as("sets in PostgreSQL that were never sent (or sent under another eventId)").isEmpty();
            soft.assertThat(storedSets).as("stored sets, with side, reps and load").isEqualTo(expectedSetRows);

            // Balances: one per session, left and right volumes and asymmetry exactly as sent.
            var balances = new HashMap<String, String>();
            try (var st = db.createStatement(); var rs = st.executeQuery(
                    "select athlete_id, session_id, exercise, left_volume, right_volume, left_reps, right_reps, asymmetry_pct, weaker_side from session_balances")) {
                while (rs.next()) {
                    balances.put(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3),
                            rs.getDouble(4) + " " + rs.getDouble(5) + " " + rs.getInt(6) + " " + rs.getInt(7) + " " + rs.getDouble(8) + " " + rs.getString(9));
                }
            }
            var expectedBalances = sessions.stream().collect(Collectors.toMap(s -> s.qualified() + "/" + s.sessionId() + "/" + EXERCISE,
                    s -> s.volume("LEFT") + " " + s.volume("RIGHT") + " " + s.reps("LEFT") + " " + s.reps("RIGHT") + " " + s.expectedAsymmetry() + " " + s.weaker()));
            soft.assertThat(balances).as("session balances").isEqualTo(expectedBalances);

            // Insights: exactly one LEFT_RIGHT_IMBALANCE per session at or over 10 %, none for the others, nothing else.
            var insights = new HashMap<String, String>();
            try (var st = db.createStatement(); var rs = st.executeQuery(
                    "select athlete_id, session_id, rule, severity, side, exercise, (metrics->>'asymmetryPct')::float8 from insights"
                    + " where retracted_at is null")) {
                while (rs.next()) {
                    String previous = insights.put(rs.getString(1) + "/" + rs.getString(2),
                            rs.getString(3) + " " + rs.getString(4) + " " + rs.getString(5) + " " + rs.getString(6) + " " + rs.getDouble(7));
                    soft.assertThat(previous).as("two insights for one session " + rs.getString(1) + "/" + rs.getString(2)).isNull();
                }
            }
            var expectedInsights = withInsight.stream().collect(Collectors.toMap(s -> s.qualified() + "/" + s.sessionId(),
                    s -> "LEFT_RIGHT_IMBALANCE " + s.expectedSeverity() + " " + s.weaker() + " " + EXERCISE + " " + s.expectedAsymmetry()));
            soft.assertThat(insights).as("insights").isEqualTo(expectedInsights);
        }

        // ----- exactness on the topics (read_committed): one record per insight and per balance, no dead letters.
        var registry = new RegistryAvroSerdes(stack.registryUrl());
        var insightDecoder = registry.forValues(Insight.class).deserializer();
        var insightRecords = new HashMap<String, Integer>();
        for (byte[] value : committedValues(Topics.INSIGHTS)) {
            Insight insight = insightDecoder.deserialize(Topics.INSIGHTS, value);
            insightRecords.merge(insight.getAthleteId() + "/" + insight.getSessionId() + "/" + insight.getRule(), 1, Integer::sum);
        }
        var balanceDecoder = registry.forValues(SessionBalance.class).deserializer();
        var balanceRecords = new HashMap<String, Integer>();
        for (byte[] value : committedValues(Topics.BALANCES)) {
            SessionBalance balance = balanceDecoder.deserialize(Topics.BALANCES, value);
            balanceRecords.merge(balance.getAthleteId() + "/" + balance.getSessionId() + "/" + balance.getExercise(), 1, Integer::sum);
        }
        soft.assertThat(insightRecords).as("committed records on " + Topics.INSIGHTS + " per session (exactly-once)")
                .isEqualTo(withInsight.stream().collect(Collectors.toMap(s -> s.qualified() + "/" + s.sessionId() + "/LEFT_RIGHT_IMBALANCE", s -> 1)));
        soft.assertThat(balanceRecords).as("committed records on " + Topics.BALANCES + " per session (exactly-once)")
                .isEqualTo(sessions.stream().collect(Collectors.toMap(s -> s.qualified() + "/" + s.sessionId() + "/" + EXERCISE, s -> 1)));
        soft.assertThat(committedValues(Topics.DEAD_LETTERS)).as(Topics.DEAD_LETTERS).isEmpty();
        soft.assertThat(committedValues(Topics.REPORTING_DEAD_LETTERS)).as(Topics.REPORTING_DEAD_LETTERS).isEmpty();
        soft.assertAll();

        // The surviving reporting instance serves what was stored.
        Session sample = withInsight.getLast();
        var answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + reportingPorts.get(1) + "/v1/athletes/"
                + sample.qualified() + "/insights")).header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(TestStacks.JSON.readTree(answer.body()).get("items")).hasSize(1);

        // Streams' internal topics are replicated like the pipeline's.
        try (Admin admin = admin()) {
            var internal = admin.listTopics().names().get(20, TimeUnit.SECONDS).stream().filter(t -> t.startsWith(APP_ID + "-")).toList();
            assertThat(internal).as("Streams internal topics").isNotEmpty();
            for (TopicDescription d : admin.describeTopics(internal).allTopicNames().get(20, TimeUnit.SECONDS).values()) {
                assertThat(d.partitions().getFirst().replicas()).as("replicas of " + d.name()).hasSize(3);
            }
        }

        // ----- failover: generous upper bounds only
        assertThat(firstAcceptedAfter(brokerKilled, victimPartitions) - brokerKilled).as("ingest 202 again on the killed broker's partitions (ms)")
                .isLessThan(FAILOVER_BOUND.toMillis());
        assertThat(insightFailover(streamsKilled, reportingKilled)).as("insights of sessions completed after the streams kill, every partition (ms)")
                .isLessThan(FAILOVER_BOUND.toMillis());
        assertThat(insightFailover(reportingKilled, Long.MAX_VALUE)).as("insights of sessions completed after the reporting kill, every partition (ms)")
                .isLessThan(FAILOVER_BOUND.toMillis());
    }

    // ---------------------------------------------------------------------------------------------------------
    // failover numbers

    private void report(long trafficStart, long brokerKilled, int victim, Set<Integer> victimPartitions, long streamsKilled, long reportingKilled)
            throws SQLException {
        var all = new ArrayList<>(attempts);
        long ok = all.stream().filter(a -> a.status() == 202).count();
        System.out.printf("[scale-out] ingest: %d requests accepted, %d retries (503: %d, connection errors: %d, other: %d)%n",
                ok, all.size() - ok, retries503.get(), retriesConnection.get(), retriesOther.get());
        long anyAccepted = firstAcceptedAfter(brokerKilled, null) - brokerKilled;
        long victimAccepted = firstAcceptedAfter(brokerKilled, victimPartitions) - brokerKilled;
        long lastFailure = all.stream().filter(a -> a.status() != 202 && a.startMs() >= brokerKilled - 1000 && a.startMs() < streamsKilled)
                .mapToLong(Attempt::endMs).max().orElse(brokerKilled) - brokerKilled;
        System.out.printf("[scale-out] broker %d killed: first 202 sent after the kill %d ms (any partition), %d ms (its partitions %s);"
                        + " last failed attempt ended %d ms after the kill; 503s in that window: %d%n",
                victim, anyAccepted, victimAccepted, victimPartitions, lastFailure,
                all.stream().filter(a -> a.status() == 503 && a.startMs() >= brokerKilled - 1000 && a.startMs() < streamsKilled).count());
        System.out.printf("[scale-out] streams-0 killed: every partition's insights flowing again %d ms after the kill"
                        + " (slowest partition's first stored insight of a session completed after the kill)%n", insightFailover(streamsKilled, reportingKilled));
        System.out.printf("[scale-out] reporting-0 killed: every partition's insights stored again %d ms after the kill%n",
                insightFailover(reportingKilled, Long.MAX_VALUE));
        System.out.printf("[scale-out] end-to-end (completion 202 -> insight stored) p50/p99/max ms: before the kills %s; after the broker kill %s;"
                        + " after the streams kill %s; after the reporting kill %s%n",
                latencies(trafficStart, brokerKilled), latencies(brokerKilled, streamsKilled), latencies(streamsKilled, reportingKilled),
                latencies(reportingKilled, Long.MAX_VALUE));
    }

    /** When the first attempt sent after {@code killed} (for {@code partitions}, or any) was accepted. */
    private long firstAcceptedAfter(long killed, Set<Integer> partitions) {
        return attempts.stream().filter(a -> a.status() == 202 && a.startMs() >= killed)
                .filter(a -> partitions == null || partitions.contains(a.partition()))
                .mapToLong(Attempt::endMs).min().orElse(Long.MAX_VALUE);
    }

    /** Insight stored (stored_at) for each session with an insight, by the session's qualified id. */
    private Map<String, Long> storedAt() throws SQLException {
        var stored = new HashMap<String, Long>();
        try (Connection db = db(); var st = db.createStatement();
                var rs = st.executeQuery("select athlete_id, (extract(epoch from stored_at) * 1000)::bigint from insights")) {
            while (rs.next()) {
                stored.put(rs.getString(1), rs.getLong(2));
            }
        }
        return stored;
    }

    /**
     * Over every partition: the first insight stored for a session completed in [{@code from}, {@code to}), minus
     * {@code from}; the slowest partition is the failover time of the tasks the killed instance had.
     */
    private long insightFailover(long from, long to) throws SQLException {
        var stored = storedAt();
        var firstPerPartition = new TreeMap<Integer, Long>();
        for (Done d : done) {
            Long at = stored.get(d.session().qualified());
            if (at != null && d.completedMs() >= from && d.completedMs() < to) {
                firstPerPartition.merge(d.session().partition(), at, Math::min);
            }
        }
        if (firstPerPartition.size() < PARTITIONS) {
            return Long.MAX_VALUE;
        }
        return firstPerPartition.values().stream().mapToLong(Long::longValue).max().orElseThrow() - from;
    }

    private String latencies(long from, long to) throws SQLException {
        var stored = storedAt();
        long[] sorted = done.stream().filter(d -> d.completedMs() >= from && d.completedMs() < to && stored.containsKey(d.session().qualified()))
                .mapToLong(d -> stored.get(d.session().qualified()) - d.completedMs()).sorted().toArray();
        if (sorted.length == 0) {
            return "-";
        }
        return sorted[sorted.length / 2] + "/" + sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] + "/" + sorted[sorted.length - 1];
    }

    private static Map<Integer, Integer> leaders(Admin admin, String topic) throws Exception {
        var description = admin.describeTopics(List.of(topic)).allTopicNames().get(20, TimeUnit.SECONDS).get(topic);
        var leaders = new TreeMap<Integer, Integer>();
        description.partitions().forEach(p -> leaders.put(p.partition(), p.leader().id()));
        return leaders;
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers

    private void duplicateOneInsightRecord() {
        byte[] value = committedValues(Topics.INSIGHTS).getFirst();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            var insight = new RegistryAvroSerdes(stack.registryUrl()).forValues(Insight.class).deserializer().deserialize(Topics.INSIGHTS, value);
            producer.send(new ProducerRecord<>(Topics.INSIGHTS, insight.getAthleteId().getBytes(StandardCharsets.UTF_8), value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every committed value on a topic, from the beginning to its current end. */
    private List<byte[]> committedValues(String topic) {
        var props = Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            var values = new ArrayList<byte[]>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }

    private Connection db() throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl("thrustline"), LocalPostgres.USER, LocalPostgres.PASSWORD);
    }

    private long count(String sql) throws SQLException {
        try (Connection db = db(); var st = db.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private int status(String method, String url, String token, String body) {
        try {
            var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void awaitTrue(String what, Duration timeout, TestStacks.Check check) throws Exception {
        if (!eventually(timeout, check)) {
            throw new IllegalStateException("not so after " + timeout.toSeconds() + " s: " + what + "; logs in " + logDir);
        }
    }

    /** Like {@link TestStacks#eventually}, but a check that throws (a broker not up yet) counts as not yet. */
    private static boolean eventually(Duration timeout, TestStacks.Check check) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (check.holds()) {
                    return true;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception notYet) {
                // try again
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(250);
        }
    }

    private static void sleepUntil(long epochMs) throws InterruptedException {
        long wait = epochMs - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }


    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
