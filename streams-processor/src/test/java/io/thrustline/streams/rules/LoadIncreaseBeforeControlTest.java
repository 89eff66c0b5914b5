package io.thrustline.streams.rules;

import io.thrustline.schemas.RuleName;
import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.seeds.Seeds;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoadIncreaseBeforeControlTest {

    private final Seeds seeds = Seeds.loadBuiltIn();
    private final LoadIncreaseBeforeControl rule = new LoadIncreaseBeforeControl(seeds.catalog(), seeds.rules());
    private static final Instant T = Instant.parse("2026-11-21T07:30:00Z");

    @Test
    void moreLoadAfterASetWithUncontrolledRepsIsAWarning() {
        var finding = rule.evaluate(set("p", 40, 8, 6), set("c", 50, 8, null));
        assertThat(finding).get().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(RuleName.LOAD_INCREASE_BEFORE_CONTROL);
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.side()).isEqualTo(Side.LEFT);
            assertThat(f.triggerEventId()).isEqualTo("c");
            assertThat(f.metrics()).containsEntry("previousLoadKg", 40.0).containsEntry("loadKg", 50.0)
                    .containsEntry("previousControlledReps", 6.0).containsEntry("previousReps", 8.0);
            assertThat(f.message()).contains("from 40 kg to 50 kg").contains("only 6 of 8 reps");
            assertThat(f.advice()).contains("Stay at 40 kg").contains("2 s").contains("1 s");
        });
    }

    @Test
    void moreLoadAfterAFullyControlledSetIsFine() {
        assertThat(rule.evaluate(set("p", 40, 8, 8), set("c", 50, 8, 3))).isEmpty();
    }

    @Test
    void unknownControlRaisesNothing() {
        assertThat(rule.evaluate(set("p", 40, 8, null), set("c", 50, 8, null))).isEmpty();
    }

    @Test
    void theSameOrLessLoadIsNeverAnIncrease() {
        assertThat(rule.evaluate(set("p", 40, 8, 2), set("c", 40, 8, null))).isEmpty();
        assertThat(rule.evaluate(set("p", 40, 8, 2), set("c", 30, 8, null))).isEmpty();
    }

    @Test
    void onlyHipThrustsAndBridgesAreJudged() {
        assertThat(rule.applies("barbell_single_leg_hip_thrust")).isTrue();
        assertThat(rule.applies("weighted_glute_bridge")).isTrue();
        assertThat(rule.applies("deadlift")).isFalse();
        assertThat(rule.applies("back_squat")).isFalse();
        var previous = new SideSet("p", "a", "s", "romanian_deadlift", Side.BOTH, T, 60, 8, 2);
        var current = new SideSet("c", "a", "s", "romanian_deadlift", Side.BOTH, T.plusSeconds(60), 80, 8, null);
        assertThat(rule.evaluate(previous, current)).isEmpty();
    }

    private static SideSet set(String id, double kg, int reps, Integer controlled) {
        return new SideSet(id, "ath-1", "s-1", "barbell_single_leg_hip_thrust", Side.LEFT, id.equals("p") ? T : T.plusSeconds(120),
                kg, reps, controlled);
    }
}
