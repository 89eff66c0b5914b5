package io.thrustline.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.streams.judging.BalanceHistory;
import io.thrustline.streams.judging.SessionVerdict;
import io.thrustline.streams.load.LoadHistory;
import io.thrustline.streams.rules.PriorBalance;
import io.thrustline.schemas.RuleName;
import io.thrustline.streams.rules.SetType;
import io.thrustline.streams.rules.Severity;
import io.thrustline.streams.rules.Side;
import io.thrustline.streams.sessions.AthleteEventIds;
import io.thrustline.streams.sessions.SessionRecord;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** Every state value the processors keep reads back equal through the serde its store is built with. */
class StateRecordsRoundTripTest {

    @Test
    void sessionsAndTheirIdIndexRoundTrip() {
        var sets = List.of(
                new SessionRecord.StoredSet("0a6f1d9e-1111-4a2b-9c3d-4e5f60718293", -12345, 1_763_710_200_000L, "glute_bridge", Side.BOTH, 12, 0.0, null, SetType.WARMUP),
                new SessionRecord.StoredSet("b-2", 99, 1_763_710_100_000L, "barbell_single_leg_hip_thrust", Side.LEFT, 8, 22.68, 7, SetType.WORKING),
                new SessionRecord.StoredSet("c-3", 7, 1_763_710_300_000L, "barbell_single_leg_hip_thrust", Side.RIGHT, 8, 0.1 + 0.2, 8, SetType.FAILURE));
        var record = SessionRecord.of(1_763_710_400_000L, true, sets, List.of(new SessionRecord.Completion("done-1", 1_763_710_400_000L)));
        assertThat(roundTrip(SessionRecord.serde(), record)).isEqualTo(record);
        assertThat(record.sets()).extracting(SessionRecord.StoredSet::eventId).isSorted();

        var ids = new AthleteEventIds(List.of(new AthleteEventIds.Entry("s1", new int[] {1, 65_534, 3}), new AthleteEventIds.Entry("s2", new int[] {4})));
        assertThat(roundTrip(AthleteEventIds.serde(), ids)).isEqualTo(ids);
    }

    @Test
    void loadBalanceAndVerdictRecordsRoundTrip() {
        var load = new LoadHistory(List.of(new LoadHistory.Entry(Side.LEFT, "a", "s1", 1_000, 50, 8, null, 0),
                new LoadHistory.Entry(Side.LEFT, "2f1e0d9c-8b7a-4654-9321-0fedcba98765", "s2", 1_763_710_200_123L, 52.5, 6, 6, 1),
                new LoadHistory.Entry(Side.RIGHT, "c", "s2", 900, 0.1 + 0.2, 6, 6, 1)));
        assertThat(roundTrip(LoadHistory.serde(), load)).isEqualTo(load);

        var history = new BalanceHistory(List.of(new PriorBalance("s1", Instant.parse("2026-11-20T07:00:00.250Z"), 12.5, Side.LEFT),
                new PriorBalance("s3", Instant.parse("2026-11-20T08:00:00Z"), 100.0 / 3, Side.RIGHT),
                new PriorBalance("s2", Instant.parse("2026-11-21T07:00:00Z"), 0.0, null)));
        assertThat(roundTrip(BalanceHistory.serde(), history)).isEqualTo(history);

        var verdict = new SessionVerdict(List.of(
                new SessionVerdict.Raised(RuleName.HINGE_BEFORE_BRIDGE, Severity.WARNING, "deadlift", null, Instant.parse("2026-11-21T07:30:00Z"), "h-1"),
                new SessionVerdict.Raised(RuleName.UNILATERAL_SIDE_MISSING, Severity.INFO, "single_leg_glute_bridge", Side.RIGHT,
                        Instant.parse("2026-11-21T07:31:00Z"), null)));
        assertThat(roundTrip(SessionVerdict.serde(), verdict)).isEqualTo(verdict);
    }

    /** Through the serde the record's store is built with. */
    private static <V> V roundTrip(Serde<V> serde, V value) {
        return serde.deserializer().deserialize("changelog", serde.serializer().serialize("changelog", value));
    }
}
