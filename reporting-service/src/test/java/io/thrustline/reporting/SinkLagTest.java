package io.thrustline.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A sink is caught up only when it has partitions and has read each to its end: never by default. */
class SinkLagTest {

    private static final TopicPartition P0 = new TopicPartition("training.insights.v1", 0);
    private static final TopicPartition P1 = new TopicPartition("training.insights.v1", 1);

    @Test
    void aSinkWithoutPartitionsIsNotCaughtUp() {
        var consumer = new MockConsumer<byte[], byte[]>(AutoOffsetResetStrategy.EARLIEST.name());
        assertThat(TopicSink.lagOf(consumer)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theLagIsWhatIsLeftToReadAcrossTheAssignedPartitions() {
        var consumer = new MockConsumer<byte[], byte[]>(AutoOffsetResetStrategy.EARLIEST.name());
        consumer.assign(List.of(P0, P1));
        consumer.updateEndOffsets(Map.of(P0, 10L, P1, 5L));
        consumer.seek(P0, 7);
        consumer.seek(P1, 5);
        assertThat(TopicSink.lagOf(consumer)).isEqualTo(3);
        consumer.seek(P0, 10);
        assertThat(TopicSink.lagOf(consumer)).isZero();
    }
}
