package io.thrustline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.ops.TopicsCommand;
import io.thrustline.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInstance;
import io.thrustline.testing.TestStacks;
import io.thrustline.testing.OwnBroker;

/** {@code ./thrustline topics} against a real, single broker: creates, checks, and says what differs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicsCommandTest {

    @RegisterExtension
    static final OwnBroker BROKER = new OwnBroker();

    private Admin admin;

    @BeforeAll
    void openAdmin() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrap()));
    }

    @AfterAll
    void closeAdmin() {
        if (admin != null) {
            admin.close();
        }
    }

    record Run(int status, String out, String err) {}

    private Run topics(Map<String, String> extra, String... args) throws Exception {
        var env = new HashMap<String, String>();
        env.put("THRUSTLINE_KAFKA_BOOTSTRAP", BROKER.bootstrap());
        env.put("THRUSTLINE_TOPIC_REPLICATION_FACTOR", "1"); // one broker
        env.putAll(extra);
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = TopicsCommand.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        var run = new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println("topics " + String.join(" ", args) + " -> " + status + "\n" + run.out + run.err);
        return run;
    }

    @Test
    void createsOnAnEmptyBrokerChecksAndNamesEveryDifference() throws Exception {
        Run created = topics(Map.of());
        assertThat(created.status()).isZero();
        for (String topic : List.of(Topics.EVENTS, Topics.INSIGHTS, Topics.BALANCES, Topics.DEAD_LETTERS, Topics.REPORTING_DEAD_LETTERS)) {
            assertThat(created.out()).contains("created  " + topic);
        }
        assertThat(created.out()).contains("created  training.events.v1  partitions=3 replication=1 min.insync.replicas=1 cleanup=delete retention=for ever");
        var events = admin.describeConfigs(List.of(topic(Topics.EVENTS))).all().get().get(topic(Topics.EVENTS));
        assertThat(events.get("retention.ms").value()).isEqualTo("-1");
        assertThat(admin.describeTopics(List.of(Topics.INSIGHTS)).allTopicNames().get().get(Topics.INSIGHTS).partitions()).hasSize(3);

        Run checked = topics(Map.of(), "--check");
        assertThat(checked.status()).isZero();
        assertThat(checked.out()).contains("ok       training.balance.v1").contains("all 5 topics as planned");

        // The plan now wants more partitions than the topics have: named, and never changed.
        Run morePartitions = topics(Map.of("THRUSTLINE_TOPIC_PARTITIONS", "4"), "--check");
        assertThat(morePartitions.status()).isEqualTo(1);
        assertThat(morePartitions.err()).contains("training.events.v1: partitions 3, planned 4");
        assertThat(topics(Map.of("THRUSTLINE_TOPIC_PARTITIONS", "4")).status()).isEqualTo(1);
        assertThat(admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get().get(Topics.EVENTS).partitions()).hasSize(3);

        // Someone changed min.insync.replicas of one topic by hand.
        admin.incrementalAlterConfigs(Map.of(topic(Topics.BALANCES), List.of(new AlterConfigOp(
                new ConfigEntry("min.insync.replicas", "2"), AlterConfigOp.OpType.SET)))).all().get();
        Run minIsr = topics(Map.of(), "--check");
        assertThat(minIsr.status()).isEqualTo(1);
        assertThat(minIsr.err()).contains("training.balance.v1: min.insync.replicas 2, planned 1");
        assertThat(minIsr.out()).contains("ok       training.insights.v1").contains("DIFFERS  training.balance.v1");
        admin.incrementalAlterConfigs(Map.of(topic(Topics.BALANCES), List.of(new AlterConfigOp(
                new ConfigEntry("min.insync.replicas", "1"), AlterConfigOp.OpType.SET)))).all().get();

        // A missing topic: --check names it and how to create it; without --check it is created.
        delete(Topics.INSIGHTS);
        Run missing = topics(Map.of(), "--check");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("training.insights.v1 is missing; run ./thrustline topics (without --check) to create it");
        assertThat(missing.out()).contains("MISSING  training.insights.v1");

        // A replication factor the cluster cannot give: refused before asking, with the variable to change.
        Run tooFewBrokers = topics(Map.of("THRUSTLINE_TOPIC_REPLICATION_FACTOR", "3"));
        assertThat(tooFewBrokers.status()).isEqualTo(1);
        assertThat(tooFewBrokers.err()).contains("training.insights.v1 not created: replication factor 3 needs 3 brokers, the cluster has 1")
                .contains("THRUSTLINE_TOPIC_REPLICATION_FACTOR")
                .contains("training.events.v1: replication factor 1, planned 3");

        Run recreated = topics(Map.of());
        assertThat(recreated.status()).isZero();
        assertThat(recreated.out()).contains("created  training.insights.v1").contains("ok       training.events.v1");
        assertThat(topics(Map.of(), "--check").status()).isZero();
    }

    @Test
    void aBrokerThatDoesNotAnswerIsExitTwoWithTheAddress() throws Exception {
        int closed = TestStacks.freePort();
        Run run = topics(Map.of("THRUSTLINE_KAFKA_BOOTSTRAP", "127.0.0.1:" + closed, "THRUSTLINE_KAFKA_DEFAULT_API_TIMEOUT_MS", "3000"), "--check");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("cannot reach Kafka at 127.0.0.1:" + closed);
    }

    @Test
    void wrongUsageAndImpossiblePlansAreExitTwo() throws Exception {
        assertThat(topics(Map.of(), "--fix").status()).isEqualTo(2);
        Run impossible = topics(Map.of("THRUSTLINE_TOPIC_REPLICATION_FACTOR", "2", "THRUSTLINE_TOPIC_MIN_INSYNC_REPLICAS", "3"), "--check");
        assertThat(impossible.status()).isEqualTo(2);
        assertThat(impossible.err()).contains("THRUSTLINE_TOPIC_MIN_INSYNC_REPLICAS=3 is above the replication factor 2");
    }

    private void delete(String topic) throws Exception {
        admin.deleteTopics(List.of(topic)).all().get();
        assertThat(TestStacks.eventually(Duration.ofSeconds(30), () -> !admin.listTopics().names().get().contains(topic))).isTrue();
    }

    private static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

}
