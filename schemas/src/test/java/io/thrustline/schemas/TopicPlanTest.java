package io.thrustline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicPlanTest {

    @Test
    void defaultsAreThreePartitionsReplicationThreeAndMinInsyncTwo() {
        TopicPlan plan = TopicPlan.fromEnv(Map.of());
        assertThat(plan.partitions()).isEqualTo(3);
        assertThat(plan.replicationFactor()).isEqualTo((short) 3);
        assertThat(plan.minInsyncReplicas()).isEqualTo(2);
        assertThat(plan.names()).containsExactly(Topics.EVENTS, Topics.INSIGHTS, Topics.BALANCES, Topics.DEAD_LETTERS,
                Topics.REPORTING_DEAD_LETTERS);
        assertThat(plan.topics()).allSatisfy(spec -> {
            assertThat(spec.partitions()).isEqualTo(3);
            assertThat(spec.replicationFactor()).isEqualTo((short) 3);
            assertThat(spec.configs()).containsEntry("min.insync.replicas", "2").containsEntry("cleanup.policy", "delete");
        });
    }

    @Test
    void readsEveryVariable() {
        TopicPlan plan = TopicPlan.fromEnv(Map.of(TopicPlan.PARTITIONS, "12", TopicPlan.REPLICATION_FACTOR, "5",
                TopicPlan.MIN_INSYNC_REPLICAS, "3", TopicPlan.EVENTS_RETENTION_DAYS, "400"));
        assertThat(plan.topics()).allSatisfy(spec -> {
            assertThat(spec.partitions()).isEqualTo(12);
            assertThat(spec.replicationFactor()).isEqualTo((short) 5);
            assertThat(spec.configs()).containsEntry("min.insync.replicas", "3");
        });
        assertThat(spec(plan, Topics.EVENTS).configs()).containsEntry("retention.ms", String.valueOf(Duration.ofDays(400).toMillis()));
    }

    @Test
    void minInsyncDefaultsToTheSmallerOfTwoAndTheReplicationFactor() {
        assertThat(TopicPlan.fromEnv(Map.of(TopicPlan.REPLICATION_FACTOR, "1")).minInsyncReplicas()).isEqualTo(1);
        assertThat(TopicPlan.fromEnv(Map.of(TopicPlan.REPLICATION_FACTOR, "2")).minInsyncReplicas()).isEqualTo(2);
        assertThat(TopicPlan.fromEnv(Map.of(TopicPlan.REPLICATION_FACTOR, "5")).minInsyncReplicas()).isEqualTo(2);
    }

    @Test
    void eventsAreKeptForEverDerivedTopicsAMonthDeadLettersThreeMonthsAndNothingIsCompacted() {
        TopicPlan plan = TopicPlan.local(3);
        assertThat(spec(plan, Topics.EVENTS).configs()).containsEntry("retention.ms", "-1");
        assertThat(spec(plan, Topics.INSIGHTS).configs()).containsEntry("retention.ms", String.valueOf(Duration.ofDays(30).toMillis()));
        assertThat(spec(plan, Topics.BALANCES).configs()).containsEntry("retention.ms", String.valueOf(Duration.ofDays(30).toMillis()));
        assertThat(spec(plan, Topics.DEAD_LETTERS).configs()).containsEntry("retention.ms", String.valueOf(Duration.ofDays(90).toMillis()));
        assertThat(spec(plan, Topics.REPORTING_DEAD_LETTERS).configs()).containsEntry("retention.ms", String.valueOf(Duration.ofDays(90).toMillis()));
        // Keyed by athlete with many records per athlete: compaction would keep one insight per athlete.
        assertThat(plan.topics()).allSatisfy(spec -> assertThat(spec.configs().get("cleanup.policy")).isEqualTo("delete"));
        assertThat(TopicPlan.fromEnv(Map.of(TopicPlan.EVENTS_RETENTION_DAYS, "forever")).topics().getFirst().configs())
                .containsEntry("retention.ms", "-1");
    }

    @Test
    void theLocalPlanIsOneReplica() {
        TopicPlan plan = TopicPlan.local(2);
        assertThat(plan.replicationFactor()).isEqualTo((short) 1);
        assertThat(plan.topics()).allSatisfy(spec -> assertThat(spec.configs()).containsEntry("min.insync.replicas", "1"));
    }

    @Test
    void refusesWhatNoClusterCouldHonour() {
        assertThatThrownBy(() -> TopicPlan.fromEnv(Map.of(TopicPlan.REPLICATION_FACTOR, "2", TopicPlan.MIN_INSYNC_REPLICAS, "3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("THRUSTLINE_TOPIC_MIN_INSYNC_REPLICAS=3 is above the replication factor 2");
        assertThatThrownBy(() -> TopicPlan.fromEnv(Map.of(TopicPlan.PARTITIONS, "0")))
                .hasMessageContaining("THRUSTLINE_TOPIC_PARTITIONS=0");
        assertThatThrownBy(() -> TopicPlan.fromEnv(Map.of(TopicPlan.REPLICATION_FACTOR, "0")))
                .hasMessageContaining("THRUSTLINE_TOPIC_REPLICATION_FACTOR=0");
        assertThatThrownBy(() -> TopicPlan.fromEnv(Map.of(TopicPlan.MIN_INSYNC_REPLICAS, "0")))
                .hasMessageContaining("THRUSTLINE_TOPIC_MIN_INSYNC_REPLICAS=0");
        assertThatThrownBy(() -> TopicPlan.fromEnv(Map.of(TopicPlan.PARTITIONS, "three")))
                .hasMessageContaining("THRUSTLINE_TOPIC_PARTITIONS=three is not a whole number");
        assertThatThrownBy(() -> TopicPlan.fromEnv(Map.of(TopicPlan.EVENTS_RETENTION_DAYS, "0")))
                .hasMessageContaining("THRUSTLINE_TOPIC_EVENTS_RETENTION_DAYS");
    }

    private static TopicPlan.Spec spec(TopicPlan plan, String name) {
        return plan.topics().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
