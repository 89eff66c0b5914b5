package io.thrustline.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.seeds.Seeds;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlledRepsTest {

    private final ControlledReps control = new ControlledReps(Seeds.loadBuiltIn().rules().controlledRep());
    private final SetsForTests sets = new SetsForTests("a", "s");

    @Test
    void aCountFromTheGymWins() {
        var details = List.of(new RepDetail(0.5, 0.0, false), new RepDetail(0.5, 0.0, false));
        assertThat(control.of(sets.set(0, "single_leg_hip_thrust", Side.LEFT, 2, 0, 2, details))).contains(2);
    }

    @Test
    void repDetailsAreCountedAtTheThresholds() {
        var details = List.of(
                new RepDetail(2.0, 1.0, true),    // exactly at both thresholds: controlled
                new RepDetail(2.0, 1.0, null),    // pelvis not reported: controlled
                new RepDetail(1.99, 1.0, true),   // lowered too fast
                new RepDetail(2.5, 0.99, true),   // no pause at the top
                new RepDetail(3.0, 2.0, false),   // pelvis dropped
                new RepDetail(null, 1.0, true));  // lowering not measured
        assertThat(control.of(sets.set(0, "single_leg_hip_thrust", Side.LEFT, 6, 0, null, details))).contains(2);
    }

    @Test
    void withNeitherControlIsUnknown() {
        assertThat(control.of(sets.set(0, "single_leg_hip_thrust", Side.LEFT, 6, 0))).isEmpty();
    }
}
