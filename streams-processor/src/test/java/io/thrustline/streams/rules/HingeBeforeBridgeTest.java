package io.thrustline.streams.rules;

import io.thrustline.schemas.RuleName;
import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.seeds.Seeds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HingeBeforeBridgeTest {

    private static final Instant START = Instant.parse("2026-11-21T07:30:00Z");
    private final HingeBeforeBridge rule = new HingeBeforeBridge(Seeds.loadBuiltIn().catalog(), Seeds.loadBuiltIn().rules().hingeBeforeBridge());
    private int nextId;

    @Test
    void sessionWithoutAHingeRaisesNothing() {
        assertThat(rule.evaluate(List.of(set(0, "single_leg_hip_thrust", Side.LEFT, 0), set(5, "back_squat", Side.BOTH, 80)))).isEmpty();
    }

    @Test
    void bodyweightBridgeBeforeTheHingeIsEnough() {
        assertThat(rule.evaluate(List.of(set(0, "glute_bridge", Side.BOTH, 0), set(10, "deadlift", Side.BOTH, 100)))).isEmpty();
    }

    @Test
    void bandedAndSingleLegBridgesCountAsActivation() {
        assertThat(rule.evaluate(List.of(set(0, "banded_glute_bridge", Side.BOTH, 0), set(10, "good_morning", Side.BOTH, 40)))).isEmpty();
        assertThat(rule.evaluate(List.of(set(0, "single_leg_glute_bridge", Side.LEFT, 0), set(10, "romanian_deadlift", Side.BOTH, 60)))).isEmpty();
    }

    @Test
    void hingeFirstRaisesAWarningNamingTheHingeAndItsTime() {
        LoggedSet hinge = set(0, "deadlift", Side.BOTH, 100);
        Optional<Finding> finding = rule.evaluate(List.of(hinge, set(10, "glute_bridge", Side.BOTH, 0)));
        assertThat(finding).get().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(RuleName.HINGE_BEFORE_BRIDGE);
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.exercise()).isEqualTo("deadlift");
            assertThat(f.side()).isNull();
            assertThat(f.detectedAt()).isEqualTo(START);
            assertThat(f.triggerEventId()).isEqualTo(hinge.eventId());
            assertThat(f.message()).contains("Deadlift").contains("07:30 UTC");
            assertThat(f.advice()).contains("bodyweight glute bridges").contains("deadlift");
            assertThat(f.metrics()).containsEntry("hingeLoadKg", 100.0).containsEntry("loadedBridgesBefore", 0.0);
        });
    }

    @Test
    void aLoadedBridgeIsStrengthWorkNotActivation() {
        Optional<Finding> finding = rule.evaluate(List.of(set(0, "weighted_glute_bridge", Side.BOTH, 40), set(8, "kettlebell_swing", Side.BOTH, 24)));
        assertThat(finding).get().satisfies(f -> {
            assertThat(f.exercise()).isEqualTo("kettlebell_swing");
            assertThat(f.metrics()).containsEntry("loadedBridgesBefore", 1.0);
            assertThat(f.message()).contains("loaded bridges");
        });
    }

    @Test
    void aBridgeAtTheSameMomentAsTheHingeIsNotBeforeIt() {
        assertThat(rule.evaluate(List.of(set(5, "glute_bridge", Side.BOTH, 0), set(5, "deadlift", Side.BOTH, 100)))).isPresent();
    }

    @Test
    void onlyTheEarliestHingeCounts() {
        LoggedSet early = set(0, "hex_bar_deadlift", Side.BOTH, 80);
        Optional<Finding> finding = rule.evaluate(List.of(set(20, "deadlift", Side.BOTH, 100), set(10, "glute_bridge", Side.BOTH, 0), early));
        assertThat(finding).get().extracting(Finding::exercise, Finding::triggerEventId).containsExactly("hex_bar_deadlift", early.eventId());
    }

    @Test
    void orderOfArrivalNeverChangesTheResult() {
        List<LoggedSet> session = List.of(set(0, "glute_bridge", Side.BOTH, 20), set(3, "deadlift", Side.BOTH, 100),
                set(6, "glute_bridge", Side.BOTH, 0), set(9, "kettlebell_swing", Side.BOTH, 24), set(12, "single_leg_hip_thrust", Side.RIGHT, 0));
        Optional<Finding> expected = rule.evaluate(session);
        assertThat(expected).isPresent();
        var random = new Random(42);
        for (int i = 0; i < 50; i++) {
            var shuffled = new ArrayList<>(session);
            Collections.shuffle(shuffled, random);
            assertThat(rule.evaluate(shuffled)).isEqualTo(expected);
        }
    }

    @Test
    void sameSessionAlwaysYieldsTheSameInsightId() {
        List<LoggedSet> session = List.of(set(0, "deadlift", Side.BOTH, 100));
        String first = rule.evaluate(session).orElseThrow().insightId();
        assertThat(rule.evaluate(List.copyOf(session)).orElseThrow().insightId()).isEqualTo(first);
        assertThat(first).matches("[0-9a-f-]{36}");
    }

    @Test
    void anUnloadedWarmUpBridgeIsActivationButAWarmUpHingeIsNotYetHinging() {
        assertThat(rule.evaluate(List.of(warmUp(set(0, "glute_bridge", Side.BOTH, 0)), set(10, "deadlift", Side.BOTH, 100)))).isEmpty();
        // The warm-up deadlift at minute 0 comes before the bridge; the first working deadlift comes after it.
        assertThat(rule.evaluate(List.of(warmUp(set(0, "deadlift", Side.BOTH, 40)), set(5, "glute_bridge", Side.BOTH, 0),
                set(10, "deadlift", Side.BOTH, 100)))).isEmpty();
        // Only warm-up hinges: nothing was hinged yet.
        assertThat(rule.evaluate(List.of(warmUp(set(0, "romanian_deadlift", Side.BOTH, 40))))).isEmpty();
        // A loaded warm-up bridge is neither activation nor counted as strength work before the hinge.
        assertThat(rule.evaluate(List.of(warmUp(set(0, "weighted_glute_bridge", Side.BOTH, 20)), set(10, "deadlift", Side.BOTH, 100))))
                .get().satisfies(f -> assertThat(f.metrics()).containsEntry("loadedBridgesBefore", 0.0));
    }

    private static LoggedSet warmUp(LoggedSet set) {
        return new LoggedSet(set.eventId(), set.athleteId(), set.sessionId(), set.performedAt(), set.exercise(), set.side(), set.reps(),
                set.loadKg(), set.controlledReps(), set.repDetails(), SetType.WARMUP);
    }

    private LoggedSet set(int minute, String exercise, Side side, double loadKg) {
        return new LoggedSet("evt-" + (nextId++), "ath-1", "s-1", START.plusSeconds(60L * minute), exercise, side, 10, loadKg, null, null);
    }
}
