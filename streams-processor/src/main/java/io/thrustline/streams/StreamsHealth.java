package io.thrustline.streams;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * What {@code /health/live} and {@code /health/ready} answer. Live while the Streams client is not dead
 * (ERROR, or stopped without being asked to); ready only when it is RUNNING and none of its active tasks is
 * still restoring state from a changelog: before that, insights would come late or not at all.
 */
final class StreamsHealth implements StateRestoreListener {

    /** The answer of a health endpoint; {@code restoring} counts the store partitions being restored. */
    record Report(boolean ok, String state, int restoring) {}

    private final Set<TopicPartition> restoring = ConcurrentHashMap.newKeySet();

    static Report readiness(KafkaStreams.State state, int restoring) {
        return new Report(state == KafkaStreams.State.RUNNING && restoring == 0, state.name(), restoring);
    }

    /** @param closing whether the service was asked to stop: a client stopped then is not dead */
    static Report liveness(KafkaStreams.State state, int restoring, boolean closing) {
        boolean dead = state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || (state == KafkaStreams.State.NOT_RUNNING && !closing);
        return new Report(!dead, state.name(), restoring);
    }

    int restoring() {
        return restoring.size();
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
        restoring.add(partition);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
        // only the start and the end matter here
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
        restoring.remove(partition);
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
        restoring.remove(partition); // the task moved elsewhere: not ours to wait for
    }
}
