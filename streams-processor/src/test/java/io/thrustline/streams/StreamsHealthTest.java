package io.thrustline.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsHealthTest {

    @Test
    void readyOnlyWhenRunningWithNothingRestoring() {
        assertThat(StreamsHealth.readiness(State.RUNNING, 0).ok()).isTrue();
        assertThat(StreamsHealth.readiness(State.RUNNING, 1).ok()).isFalse();
        for (State state : State.values()) {
            if (state != State.RUNNING) {
                assertThat(StreamsHealth.readiness(state, 0).ok()).as(state.name()).isFalse();
            }
        }
        assertThat(StreamsHealth.readiness(State.REBALANCING, 2)).isEqualTo(new StreamsHealth.Report(false, "REBALANCING", 2));
    }

    @Test
    void liveUnlessTheClientIsDeadOrStoppedUnasked() {
        assertThat(StreamsHealth.liveness(State.CREATED, 0, false).ok()).isTrue();
        assertThat(StreamsHealth.liveness(State.REBALANCING, 3, false).ok()).isTrue();
        assertThat(StreamsHealth.liveness(State.RUNNING, 0, false).ok()).isTrue();
        assertThat(StreamsHealth.liveness(State.PENDING_ERROR, 0, false).ok()).isFalse();
        assertThat(StreamsHealth.liveness(State.ERROR, 0, false).ok()).isFalse();
        assertThat(StreamsHealth.liveness(State.NOT_RUNNING, 0, false).ok()).isFalse();
        assertThat(StreamsHealth.liveness(State.NOT_RUNNING, 0, true).ok()).isTrue();
    }

    @Test
    void restoringPartitionsAreCountedFromStartToEndOrSuspension() {
        var health = new StreamsHealth();
        var a = new TopicPartition("rules-store-changelog", 0);
        var b = new TopicPartition("rules-store-changelog", 1);
        health.onRestoreStart(a, "store", 0, 100);
        health.onRestoreStart(b, "store", 0, 100);
        assertThat(health.restoring()).isEqualTo(2);
        health.onBatchRestored(a, "store", 50, 50);
        health.onRestoreEnd(a, "store", 100);
        assertThat(health.restoring()).isEqualTo(1);
        health.onRestoreSuspended(b, "store", 10);
        assertThat(health.restoring()).isZero();
    }

    @Test
    void internalTopicsFollowTheTopicReplicationFactorAndScalingKnobsReachStreams() {
        var config = StreamsProcessorConfig.fromEnv(Map.of("THRUSTLINE_STREAMS_STANDBY_REPLICAS", "1", "THRUSTLINE_STREAMS_THREADS", "2",
                "THRUSTLINE_STREAMS_INSTANCE_ID", "rules-a"));
        var props = StreamsProcessorService.properties(config);
        assertThat(props.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
        assertThat(props.get("topic.min.insync.replicas")).isEqualTo("2");
        assertThat(props.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(1);
        assertThat(props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(2);
        assertThat(props.get("main.consumer.group.instance.id")).isEqualTo(null);
        assertThat(props.get("consumer.group.instance.id")).isEqualTo("rules-a");
        assertThat(config.http().port()).isEqualTo(8070);

        var one = StreamsProcessorService.properties(StreamsProcessorConfig.fromEnv(Map.of("THRUSTLINE_TOPIC_REPLICATION_FACTOR", "1")));
        assertThat(one.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(1);
        assertThat(one.get("topic.min.insync.replicas")).isEqualTo("1");
        var own = StreamsProcessorService.properties(StreamsProcessorConfig.fromEnv(Map.of("THRUSTLINE_TOPIC_REPLICATION_FACTOR", "1",
                "THRUSTLINE_STREAMS_REPLICATION_FACTOR", "2")));
        assertThat(own.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(2);
        assertThat(own.get("topic.min.insync.replicas")).isEqualTo("2");
        assertThat(StreamsProcessorService.properties(StreamsProcessorConfig.fromEnv(Map.of())).get("consumer.group.instance.id")).isNull();
    }
}
