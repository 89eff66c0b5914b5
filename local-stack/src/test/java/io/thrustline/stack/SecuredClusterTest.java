package io.thrustline.stack;

import static io.thrustline.testing.TestStacks.call;
import static io.thrustline.testing.TestStacks.eventually;
import static io.thrustline.testing.TestStacks.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.thrustline.http.Profile;
import io.thrustline.ingest.IngestConfig;
import io.thrustline.ingest.IngestService;
import io.thrustline.reporting.ReportingConfig;
import io.thrustline.reporting.ReportingService;
import io.thrustline.schemas.KafkaPreflight;
import io.thrustline.schemas.Topics;
import io.thrustline.seeds.Seeds;
import io.thrustline.streams.StreamsProcessorConfig;
import io.thrustline.streams.StreamsProcessorService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import io.thrustline.infrastructure.Infrastructure;
import io.thrustline.infrastructure.LocalPostgres;
import io.thrustline.infrastructure.StackConfig;
import io.thrustline.testing.TestStacks;

/**
 * The three services on a secured cluster (issue 9, item 1): a broker that takes only SASL/SCRAM clients and lets
 * each do only what its ACLs allow, and a registry that takes only signed-in requests. Each service signs in as its
 * own principal through {@code THRUSTLINE_KAFKA_*} and {@code THRUSTLINE_REGISTRY_USERNAME/_PASSWORD} alone; with the
 * right credentials a set goes end to end, with wrong ones each service stops at start and says why.
 *
 * <pre>
 * The least each principal needs (application id thrustline-rules, reporting group prefix thrustline-reporting;
 * every ALLOW, host *). WRITE and READ imply DESCRIBE on the same resource; an idempotent producer needs no
 * IDEMPOTENT_WRITE on the cluster when it may WRITE to some topic (Kafka 3.0+, KIP-679).
 *
 *   ingest-service     TOPIC            training.events.v1          LITERAL   WRITE
 *
 *   streams-processor  TOPIC            training.events.v1          LITERAL   READ
 *                      TOPIC            training.insights.v1        LITERAL   WRITE
 *                      TOPIC            training.balance.v1         LITERAL   WRITE
 *                      TOPIC            training.events.dlq.v1      LITERAL   WRITE
 *                      TOPIC            thrustline-rules            PREFIXED  CREATE, READ, WRITE, DESCRIBE_CONFIGS  (its changelogs;
 *                                                                           a first start ran without DESCRIBE_CONFIGS, kept for
 *                                                                           Streams' checks of existing internal topics, unverified)
 *                      GROUP            thrustline-rules            PREFIXED  READ  (thrustline-rules-v<rule book>)
 *                      TRANSACTIONAL_ID thrustline-rules            PREFIXED  WRITE
 *
 *   reporting-service  TOPIC            training.events.v1          LITERAL   READ
 *                      TOPIC            training.insights.v1        LITERAL   READ
 *                      TOPIC            training.balance.v1         LITERAL   READ
 *                      TOPIC            training.reporting.dlq.v1   LITERAL   WRITE
 *                      GROUP            thrustline-reporting        PREFIXED  READ  (groups thrustline-reporting-insights, -balances, -sets)
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredClusterTest {

    private static final String INGEST = "ingest";
    private static final String STREAMS = "streams";
    private static final String REPORTING = "reporting";
    /** A principal the broker knows but that has no ACLs at all. */
    private static final String NOBODY = "nobody";
    /** Principals that each lack one ACL of their service's list (or hold DESCRIBE where they need READ or WRITE). */
    private static final String INGEST_DESCRIBE_ONLY = "ingest-describe-only";
    private static final String STREAMS_NO_GROUP = "streams-no-group";
    private static final String STREAMS_NO_TRANSACTIONS = "streams-no-transactions";
    private static final String STREAMS_NO_CREATE = "streams-no-create";
    private static final String REPORTING_NO_GROUP = "reporting-no-group";
    private static final String REPORTING_DESCRIBE_INSIGHTS = "reporting-describe-insights";
    private static final String APPLICATION_ID = "thrustline-rules";
    private static final String REPORTING_GROUP = "thrustline-reporting";
    private static final String REGISTRY_USER = "thrustline-services";
    private static final String INGEST_KEY = "demo-key";
    private static final String ADMIN_TOKEN = "demo-admin";

    @TempDir
    static Path dataDir;

    private final Map<String, String> passwords = new HashMap<>();

    {
        for (String user : List.of(INGEST, STREAMS, REPORTING, NOBODY, INGEST_DESCRIBE_ONLY, STREAMS_NO_GROUP, STREAMS_NO_TRANSACTIONS,
                STREAMS_NO_CREATE, REPORTING_NO_GROUP, REPORTING_DESCRIBE_INSIGHTS)) {
            passwords.put(user, user + "-" + UUID.randomUUID());
        }
    }
    private final String registryPassword = "registry-" + UUID.randomUUID();
    private final AtomicInteger starts = new AtomicInteger();
    private StackConfig config;
    private Infrastructure infrastructure;
    private SecuredKafkaBroker broker;
    private BasicAuthProxy registry;
    /** Recent enough for the late-data horizon, at a whole hour so the session lines up. */
    private final Instant yesterday = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1));

    @BeforeAll
    void start() throws Exception {
        // PostgreSQL and the registry; the stack's own plaintext broker is started too but no service is told of it.
        config = StackConfig.fromEnv(TestStacks.environment(dataDir));
        infrastructure = Infrastructure.start(config);
        broker = SecuredKafkaBroker.start(dataDir, TestStacks.freePort(), TestStacks.freePort(), passwords);
        registry = BasicAuthProxy.start(config.registryUrl(), REGISTRY_USER, registryPassword);
        try (Admin admin = broker.admin()) {
            var topics = new ArrayList<NewTopic>();
            for (String name : List.of(Topics.EVENTS, Topics.INSIGHTS, Topics.BALANCES, Topics.DEAD_LETTERS, Topics.REPORTING_DEAD_LETTERS)) {
                topics.add(new NewTopic(name, 3, (short) 1));
            }
            admin.createTopics(topics).all().get();
            admin.createAcls(acls()).all().get();
        }
    }

    /** The ACLs in the class comment, nothing more; and the principals that each lack one of them. */
    private static List<AclBinding> acls() {
        var acls = new ArrayList<AclBinding>();
        acls.addAll(ingestAcls(INGEST));
        acls.addAll(streamsAcls(STREAMS));
        acls.addAll(reportingAcls(REPORTING));

        acls.add(allow(INGEST_DESCRIBE_ONLY, ResourceType.TOPIC, Topics.EVENTS, PatternType.LITERAL, AclOperation.DESCRIBE));
        acls.addAll(without(streamsAcls(STREAMS_NO_GROUP), ResourceType.GROUP, AclOperation.READ));
        acls.addAll(without(streamsAcls(STREAMS_NO_TRANSACTIONS), ResourceType.TRANSACTIONAL_ID, AclOperation.WRITE));
        acls.addAll(without(streamsAcls(STREAMS_NO_CREATE), ResourceType.TOPIC, AclOperation.CREATE));
        acls.addAll(without(reportingAcls(REPORTING_NO_GROUP), ResourceType.GROUP, AclOperation.READ));
        var describeInsights = new ArrayList<>(reportingAcls(REPORTING_DESCRIBE_INSIGHTS));
        describeInsights.removeIf(acl -> acl.pattern().name().equals(Topics.INSIGHTS));
        describeInsights.add(allow(REPORTING_DESCRIBE_INSIGHTS, ResourceType.TOPIC, Topics.INSIGHTS, PatternType.LITERAL, AclOperation.DESCRIBE));
        acls.addAll(describeInsights);
        return acls;
    }

    private static List<AclBinding> ingestAcls(String user) {
        return List.of(allow(user, ResourceType.TOPIC, Topics.EVENTS, PatternType.LITERAL, AclOperation.WRITE));
    }

    private static List<AclBinding> streamsAcls(String user) {
        var acls = new ArrayList<AclBinding>();
        acls.add(allow(user, ResourceType.TOPIC, Topics.EVENTS, PatternType.LITERAL, AclOperation.READ));
        for (String output : List.of(Topics.INSIGHTS, Topics.BALANCES, Topics.DEAD_LETTERS)) {
            acls.add(allow(user, ResourceType.TOPIC, output, PatternType.LITERAL, AclOperation.WRITE));
        }
        for (AclOperation internal : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS)) {
            acls.add(allow(user, ResourceType.TOPIC, APPLICATION_ID, PatternType.PREFIXED, internal));
        }
        acls.add(allow(user, ResourceType.GROUP, APPLICATION_ID, PatternType.PREFIXED, AclOperation.READ));
        acls.add(allow(user, ResourceType.TRANSACTIONAL_ID, APPLICATION_ID, PatternType.PREFIXED, AclOperation.WRITE));
        return acls;
    }

    private static List<AclBinding> reportingAcls(String user) {
        var acls = new ArrayList<AclBinding>();
        for (String input : List.of(Topics.EVENTS, Topics.INSIGHTS, Topics.BALANCES)) {
            acls.add(allow(user, ResourceType.TOPIC, input, PatternType.LITERAL, AclOperation.READ));
        }
        acls.add(allow(user, ResourceType.TOPIC, Topics.REPORTING_DEAD_LETTERS, PatternType.LITERAL, AclOperation.WRITE));
        acls.add(allow(user, ResourceType.GROUP, REPORTING_GROUP, PatternType.PREFIXED, AclOperation.READ));
        return acls;
    }

    private static List<AclBinding> without(List<AclBinding> acls, ResourceType type, AclOperation operation) {
        var left = new ArrayList<>(acls);
        assertThat(left.removeIf(acl -> acl.pattern().resourceType() == type && acl.entry().operation() == operation)).isTrue();
        return left;
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    @AfterAll
    void stop() {
        for (AutoCloseable part : new AutoCloseable[] {registry, broker, infrastructure}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    // the rest still closes
                }
            }
        }
    }

    // --- the right credentials ---------------------------------------------------------------------------

    @Test
    void eachServiceSignedInAsItsOwnPrincipalCarriesASetEndToEnd() throws Exception {
        int registryCallsBefore = registry.forwarded();
        Seeds seeds = Seeds.load();
        try (var streams = StreamsProcessorService.start(StreamsProcessorConfig.fromEnv(env(STREAMS)), seeds);
             var reporting = ReportingService.start(ReportingConfig.fromEnv(env(REPORTING)));
             var ingestEnv = new Closing<>(env(INGEST));
             var ingest = IngestService.start(IngestConfig.fromEnv(ingestEnv.value), seeds)) {
            streams.awaitRunning(Duration.ofSeconds(60));
            String ingestUrl = "http://127.0.0.1:" + ingestEnv.value.get("THRUSTLINE_INGEST_PORT");
            String athlete = "secured-hinge";
            String batch = "{\"sets\": [" + set(uuid(), athlete, "s1", yesterday.toString(), "deadlift", 100) + ","
                    + set(uuid(), athlete, "s1", yesterday.plusSeconds(600).toString(), "glute_bridge", 0) + "]}";
            var accepted = call("POST", ingestUrl + "/v1/sets", INGEST_KEY, batch);
            assertThat(accepted.status()).as(String.valueOf(accepted.body())).isEqualTo(202);
            var completed = call("POST", ingestUrl + "/v1/sessions/s1/complete", INGEST_KEY,
                    "{\"athleteId\": \"" + athlete + "\", \"completedAt\": \"" + yesterday.plusSeconds(1800) + "\"}");
            assertThat(completed.status()).as(String.valueOf(completed.body())).isEqualTo(202);

            String insights = "http://127.0.0.1:" + reporting.port() + "/v1/athletes/demo-gym:" + athlete + "/insights";
            assertThat(eventually(Duration.ofSeconds(45), () -> call("GET", insights, ADMIN_TOKEN, null).body().get("items").size() == 1))
                    .as("the insight reaches reporting's API").isTrue();
            JsonNode insight = call("GET", insights, ADMIN_TOKEN, null).body().get("items").get(0);
            assertThat(insight.get("rule").asText()).isEqualTo("HINGE_BEFORE_BRIDGE");
            assertThat(insight.get("exercise").asText()).isEqualTo("deadlift");

            // A record no one can read: streams and reporting each dead-letter it, as themselves, to their own topic.
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers(),
                    "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", SecuredKafkaBroker.MECHANISM,
                    "sasl.jaas.config", SecuredKafkaBroker.jaas(SecuredKafkaBroker.ADMIN_USER, broker.adminPassword())),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.EVENTS, "secured-poison".getBytes(), new byte[] {1, 2, 3})).get();
            }
            try (Admin admin = broker.admin()) {
                assertThat(eventually(Duration.ofSeconds(30), () -> records(admin, Topics.DEAD_LETTERS) > 0
                        && records(admin, Topics.REPORTING_DEAD_LETTERS) > 0)).as("both dead-letter topics written").isTrue();
            }
        }
        // Every schema lookup and registration went through the credential-checking proxy.
        assertThat(registry.forwarded()).isGreaterThan(registryCallsBefore);
        try (Admin admin = broker.admin()) {
            // Streams made its changelogs under its prefix, on the secured broker, as its own principal.
            assertThat(admin.listTopics().names().get()).anyMatch(t -> t.startsWith(APPLICATION_ID + "-") && t.endsWith("-changelog"));
        }
    }

    // --- wrong credentials -------------------------------------------------------------------------------

    @Test
    void aWrongPasswordStopsEachServiceAtStartWithKafkasRefusalAndNoPassword() throws Exception {
        String wrong = "wrong-" + UUID.randomUUID();
        Map<String, Throwable> failures = new HashMap<>();
        failures.put(INGEST, catchThrowable(() -> IngestService.start(IngestConfig.fromEnv(env(INGEST, wrong, true)), Seeds.load()).close()));
        failures.put(STREAMS, catchThrowable(() -> StreamsProcessorService.start(StreamsProcessorConfig.fromEnv(env(STREAMS, wrong, true)),
                Seeds.load()).close()));
        failures.put(REPORTING, catchThrowable(() -> ReportingService.start(ReportingConfig.fromEnv(env(REPORTING, wrong, true))).close()));
        failures.forEach((service, failure) -> {
            System.out.println("[" + service + " with a wrong password] " + failure);
            assertThat(failure).as(service).isInstanceOf(KafkaPreflight.Refused.class)
                    .hasMessageContaining("refused its credentials")
                    .hasMessageContaining("SASL_PLAINTEXT")
                    .hasMessageContaining("SCRAM-SHA-256")
                    .hasMessageContaining("Authentication failed"); // Kafka's own words
            assertThat(failure.getMessage()).as(service).doesNotContain(wrong).doesNotContain(passwords.get(service));
        });
    }

    @Test
    void aPrincipalWithoutItsAclsStopsAtStartWithAnAuthorizationMessage() throws Exception {
        Map<String, Throwable> failures = new HashMap<>();
        failures.put(INGEST, catchThrowable(() -> IngestService.start(IngestConfig.fromEnv(env(NOBODY)), Seeds.load()).close()));
        failures.put(STREAMS, catchThrowable(() -> StreamsProcessorService.start(StreamsProcessorConfig.fromEnv(env(NOBODY)), Seeds.load()).close()));
        failures.put(REPORTING, catchThrowable(() -> ReportingService.start(ReportingConfig.fromEnv(env(NOBODY))).close()));
        failures.forEach((service, failure) -> {
            System.out.println("[" + service + " as a principal without ACLs] " + failure);
            assertThat(failure).as(service).isInstanceOf(KafkaPreflight.Refused.class)
                    .hasMessageContaining("does not allow principal User:" + NOBODY)
                    .hasMessageContaining("on topic " + Topics.EVENTS)
                    .hasMessageContaining("Not authorized")
                    .hasMessageContaining("ACLs");
            assertThat(failure.getMessage()).as(service).doesNotContain(passwords.get(NOBODY));
        });
    }

    /** Each ACL in the list is needed, and a missing one stops the service at start, named, not at its first poll or send. */
    @Test
    void aPrincipalMissingOneAclIsStoppedAtStartWithThatAclNamed() throws Exception {
        assertRefused(() -> IngestService.start(IngestConfig.fromEnv(env(INGEST_DESCRIBE_ONLY)), Seeds.load()).close(),
                "WRITE on topic " + Topics.EVENTS);
        assertRefused(() -> StreamsProcessorService.start(StreamsProcessorConfig.fromEnv(env(STREAMS_NO_GROUP)), Seeds.load()).close(),
                "READ on group " + APPLICATION_ID);
        assertRefused(() -> StreamsProcessorService.start(StreamsProcessorConfig.fromEnv(env(STREAMS_NO_TRANSACTIONS)), Seeds.load()).close(),
                "WRITE on transactional ids prefixed " + APPLICATION_ID);
        assertRefused(() -> StreamsProcessorService.start(StreamsProcessorConfig.fromEnv(env(STREAMS_NO_CREATE)), Seeds.load()).close(),
                "CREATE on topics prefixed " + APPLICATION_ID);
        assertRefused(() -> ReportingService.start(ReportingConfig.fromEnv(env(REPORTING_NO_GROUP))).close(),
                "READ on group " + REPORTING_GROUP + "-insights");
        assertRefused(() -> ReportingService.start(ReportingConfig.fromEnv(env(REPORTING_DESCRIBE_INSIGHTS))).close(),
                "READ on topic " + Topics.INSIGHTS);
    }

    private void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable start, String missing) {
        Throwable failure = catchThrowable(start);
        System.out.println("[missing " + missing + "] " + failure);
        assertThat(failure).as(missing).isInstanceOf(KafkaPreflight.Refused.class).hasMessageContaining(missing).hasMessageContaining("ACLs");
    }

    // --- the registry's credentials ------------------------------------------------------------------------

    @Test
    void withoutRegistryCredentialsTheFirstWriteIsRefusedClearly() throws Exception {
        var ingestEnv = env(INGEST, passwords.get(INGEST), false);
        int refusedBefore = registry.refused();
        try (var ingest = IngestService.start(IngestConfig.fromEnv(ingestEnv), Seeds.load())) {
            String ingestUrl = "http://127.0.0.1:" + ingestEnv.get("THRUSTLINE_INGEST_PORT");
            var answer = call("POST", ingestUrl + "/v1/sets", INGEST_KEY, set(uuid(), "secured-no-registry", "s1", yesterday.toString(), "deadlift", 100));
            System.out.println("[ingest without registry credentials] " + answer.status() + " " + answer.body());
            assertThat(answer.status()).as("nothing stored, the client told to retry").isEqualTo(503);
        }
        assertThat(registry.refused()).isGreaterThan(refusedBefore);
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** The end offsets of a topic's partitions, summed. */
    private static long records(Admin admin, String topic) throws Exception {
        var partitions = new HashMap<TopicPartition, OffsetSpec>();
        for (int p = 0; p < 3; p++) {
            partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(partitions).all().get().values().stream().mapToLong(o -> o.offset()).sum();
    }

    private Map<String, String> env(String user) throws IOException {
        return env(user, passwords.get(user), true);
    }

    /** What a service run alone would be given: its own Kafka principal, the registry behind the proxy, PostgreSQL. */
    private Map<String, String> env(String user, String password, boolean registryCredentials) throws IOException {
        var env = new HashMap<String, String>();
        env.put(Profile.VARIABLE, "local"); // demo API keys and tokens; nothing about Kafka or the registry
        env.putAll(broker.clientEnvironment(user, password));
        env.put("THRUSTLINE_REGISTRY_URL", registry.url());
        if (registryCredentials) {
            env.put("THRUSTLINE_REGISTRY_USERNAME", REGISTRY_USER);
            env.put("THRUSTLINE_REGISTRY_PASSWORD", registryPassword);
        }
        env.put("THRUSTLINE_INGEST_PORT", String.valueOf(TestStacks.freePort()));
        env.put("THRUSTLINE_REPORTING_PORT", String.valueOf(TestStacks.freePort()));
        env.put("THRUSTLINE_DB_URL", config.jdbcUrl("thrustline"));
        env.put("THRUSTLINE_DB_USER", LocalPostgres.USER);
        env.put("THRUSTLINE_DB_PASSWORD", LocalPostgres.PASSWORD);
        env.put("THRUSTLINE_STREAMS_STATE_DIR", dataDir.resolve("streams-" + starts.incrementAndGet()).toString());
        env.put("THRUSTLINE_STREAMS_PORT", String.valueOf(TestStacks.freePort()));
        env.put("THRUSTLINE_STREAMS_REPLICATION_FACTOR", "1"); // a single broker
        return env;
    }

    /** Lets a value sit among the resources of a try-with-resources block. */
    private record Closing<T>(T value) implements AutoCloseable {
        @Override
        public void close() {}
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }

}
