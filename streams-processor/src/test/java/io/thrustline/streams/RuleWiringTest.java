package io.thrustline.streams;

import static io.thrustline.streams.TopologyHarness.completed;
import static io.thrustline.streams.TopologyHarness.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.schemas.Insight;
import io.thrustline.schemas.RepDetail;
import io.thrustline.schemas.SessionBalance;
import io.thrustline.schemas.Side;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each rule through the topology: stores, session close, late and duplicate arrival, retractions. */
class RuleWiringTest {

    private static final String SL = "barbell_single_leg_hip_thrust";
    private final TopologyHarness t = new TopologyHarness();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void aClosedSessionEmitsABalancePerUnilateralExerciseAndTheImbalance() {
        t.send(set("l1", "gym-a:ath", "s1", 0, SL, Side.LEFT, 8, 50, 8, null));
        t.send(set("r1", "gym-a:ath", "s1", 2, SL, Side.RIGHT, 8, 42, 8, null));
        t.send(set("b1", "gym-a:ath", "s1", 4, "single_leg_glute_bridge", Side.LEFT, 10, 0, null, null));
        t.send(completed("c1", "gym-a:ath", "s1", 10));

        var balances = t.latestBalances();
        assertThat(balances).hasSize(2);
        SessionBalance thrust = balances.get("gym-a:ath|s1|" + SL);
        assertThat(thrust.getLeftVolume()).isEqualTo(400.0);
        assertThat(thrust.getRightVolume()).isEqualTo(336.0);
        assertThat(thrust.getAsymmetryPct()).isEqualTo(16.0);
        assertThat(thrust.getWeakerSide()).isEqualTo(Side.RIGHT);
        assertThat(thrust.getSessionDate()).isEqualTo(LocalDate.of(2026, 11, 21));
        assertThat(t.standingRules()).containsExactly(
                "LEFT_RIGHT_IMBALANCE " + SL + " RIGHT",
                "UNILATERAL_SIDE_MISSING single_leg_glute_bridge RIGHT");
    }

    @Test
    void warmUpSetsCountForNothingButABodyweightWarmUpBridgeStillActivates() {
        t.send(warmUp(set("wb", "gym-a:ath", "s1", 0, "glute_bridge", Side.BOTH, 15, 0, null, null)));
        t.send(warmUp(set("wl", "gym-a:ath", "s1", 1, SL, Side.LEFT, 10, 20, 4, null))); // 4 of 10 controlled: a warm-up
        t.send(set("l1", "gym-a:ath", "s1", 3, SL, Side.LEFT, 8, 40, 8, null)); // heavier than the warm-up, judged against nothing
        t.send(set("r1", "gym-a:ath", "s1", 5, SL, Side.RIGHT, 8, 40, 8, null));
        t.send(set("d1", "gym-a:ath", "s1", 9, "deadlift", 100));
        t.send(completed("c1", "gym-a:ath", "s1", 12));

        SessionBalance thrust = t.latestBalances().get("gym-a:ath|s1|" + SL);
        assertThat(thrust.getLeftVolume()).isEqualTo(320.0);
        assertThat(thrust.getAsymmetryPct()).isEqualTo(0.0);
        assertThat(t.standingRules()).as("no imbalance, no load increase, and the warm-up bridge was the activation").isEmpty();
        assertThat(t.deadLetterReasons()).isEmpty();
    }

    private static io.thrustline.schemas.TrainingEvent warmUp(io.thrustline.schemas.TrainingEvent set) {
        var payload = io.thrustline.schemas.SetLogged.newBuilder((io.thrustline.schemas.SetLogged) set.getPayload())
                .setSetType(io.thrustline.schemas.SetType.WARMUP).build();
        return io.thrustline.schemas.TrainingEvent.newBuilder(set).setPayload(payload).build();
    }

    @Test
    void aSessionWithoutNewsClosesByWallClockAfterTheInactivityPeriod() {
        t.send(set("d1", "gym-a:ath", "s1", 0, "deadlift", 100));
        t.driver.advanceWallClockTime(Duration.ofMinutes(119));
        assertThat(t.standingInsights()).isEmpty();
        t.driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertThat(t.standingRules()).containsExactly("HINGE_BEFORE_BRIDGE deadlift null");
    }

    @Test
    void eachNewSetPostponesTheInactivityClose() {
        t.send(set("d1", "gym-a:ath", "s1", 0, "deadlift", 100));
        t.driver.advanceWallClockTime(Duration.ofMinutes(100));
        t.send(set("d2", "gym-a:ath", "s1", 100, "deadlift", 100));
        t.driver.advanceWallClockTime(Duration.ofMinutes(100));
        assertThat(t.standingInsights()).isEmpty();
        t.driver.advanceWallClockTime(Duration.ofMinutes(21));
        assertThat(t.standingInsights()).hasSize(1);
    }

    @Test
    void aLateBridgeWithdrawsTheHingeWarningWhenTheSessionClosesAgain() {
        t.send(set("d1", "gym-a:ath", "s1", 10, "deadlift", 100));
        t.send(completed("c1", "gym-a:ath", "s1", 30));
        assertThat(t.standingInsights()).hasSize(1);
        t.send(set("g1", "gym-a:ath", "s1", 0, "glute_bridge", 0)); // synced late; performed before the deadlift
        t.send(completed("c2", "gym-a:ath", "s1", 31));
        assertThat(t.standingInsights()).isEmpty();
        assertThat(t.insightLog()).extracting(Insight::getRetracted).containsExactly(false, true);
    }

    @Test
    void loadIsJudgedAgainstThePreviousSetAcrossSessions() {
        t.send(set("a", "gym-a:ath", "mon", 0, SL, Side.LEFT, 8, 40, 6, null));
        t.send(completed("c1", "gym-a:ath", "mon", 5));
        t.send(set("b", "gym-a:ath", "wed", 2 * 24 * 60, SL, Side.LEFT, 8, 45, null, null));
        List<Insight> out = t.insightLog();
        Insight load = out.stream().filter(i -> i.getRule().equals("LOAD_INCREASE_BEFORE_CONTROL")).findFirst().orElseThrow();
        assertThat(load.getSessionId()).isEqualTo("wed");
        assertThat(load.getSide()).isEqualTo(Side.LEFT);
        assertThat(load.getMetrics()).containsEntry("previousLoadKg", 40.0).containsEntry("loadKg", 45.0)
                .containsEntry("previousControlledReps", 6.0);
    }

    @Test
    void sidesAndExercisesHaveTheirOwnLoadHistory() {
        t.send(set("a", "gym-a:ath", "s1", 0, SL, Side.LEFT, 8, 60, 4, null));
        t.send(set("b", "gym-a:ath", "s1", 1, SL, Side.RIGHT, 8, 40, 8, null));  // right starts lighter: no increase
        t.send(set("c", "gym-a:ath", "s1", 2, "weighted_single_leg_hip_thrust", Side.LEFT, 8, 80, 8, null));
        assertThat(t.standingInsights()).isEmpty();
    }

    @Test
    void controlCountedFromRepDetailsDecidesToo() {
        var sloppy = List.of(new RepDetail(2.5, 1.0, true), new RepDetail(1.0, 1.0, true));
        t.send(set("a", "gym-a:ath", "s1", 0, SL, Side.LEFT, 2, 40, null, sloppy));
        t.send(set("b", "gym-a:ath", "s1", 3, SL, Side.LEFT, 2, 50, null, null));
        assertThat(t.standingRules()).containsExactly("LOAD_INCREASE_BEFORE_CONTROL " + SL + " LEFT");
    }

    @Test
    void aLateSetIsJudgedAgainstItsTruePredecessorAndItsSuccessorAgain() {
        t.send(set("a", "gym-a:ath", "s1", 0, SL, Side.LEFT, 8, 40, 5, null));
        t.send(set("c", "gym-a:ath", "s1", 10, SL, Side.LEFT, 8, 50, 8, null)); // up from 40 after 5/8: warned
        assertThat(t.standingInsights()).hasSize(1);
        // Performed between them and synced late: 50 kg fully controlled, so c (50 kg) is no increase at all,
        // while b itself went up from a (40 kg, 5/8 controlled).
        t.send(set("b", "gym-a:ath", "s1", 5, SL, Side.LEFT, 8, 50, 8, null));
        assertThat(t.standingInsights().values()).singleElement().satisfies(i -> {
            assertThat(i.getTriggerEventId()).isEqualTo("b");
            assertThat(i.getMetrics()).containsEntry("previousLoadKg", 40.0);
        });
    }

    @Test
    void theSameWeakerSideThreeSessionsRunningRaisesAPersistentImbalance() {
        for (int day = 0; day < 3; day++) {
            String session = "d" + day;
            int minute = day * 24 * 60;
            t.send(set(session + "l", "gym-a:ath", session, minute, SL, Side.LEFT, 8, 50, 8, null));
            t.send(set(session + "r", "gym-a:ath", session, minute + 2, SL, Side.RIGHT, 8, 44, 8, null)); // 12 % weaker right
            t.send(completed(session + "c", "gym-a:ath", session, minute + 10));
        }
        assertThat(t.standingInsights().values()).filteredOn(i -> i.getRule().equals("PERSISTENT_IMBALANCE"))
                .singleElement().satisfies(i -> {
                    assertThat(i.getSessionId()).isEqualTo("d2");
                    assertThat(i.getSide()).isEqualTo(Side.RIGHT);
                });
    }

    @Test
    void aReclosedSessionReplacesItsResultsUnderTheSameIds() {
        t.send(set("l1", "gym-a:ath", "s1", 0, SL, Side.LEFT, 8, 50, 8, null));
        t.send(set("r1", "gym-a:ath", "s1", 2, SL, Side.RIGHT, 8, 40, 8, null));
        t.send(completed("c1", "gym-a:ath", "s1", 10));
        var first = t.standingInsights().keySet();
        t.send(set("r2", "gym-a:ath", "s1", 4, SL, Side.RIGHT, 1, 40, 1, null)); // closes part of the gap: 20 % -> 10 %
        t.send(completed("c2", "gym-a:ath", "s1", 12));
        assertThat(t.standingInsights().keySet()).isEqualTo(first);
        assertThat(t.standingInsights().values().iterator().next().getMetrics()).containsEntry("rightVolume", 360.0)
                .containsEntry("asymmetryPct", 10.0);
        t.send(set("r3", "gym-a:ath", "s1", 6, SL, Side.RIGHT, 1, 40, 1, null)); // and now the sides are equal
        t.send(completed("c3", "gym-a:ath", "s1", 14));
        assertThat(t.standingInsights()).isEmpty();
        assertThat(t.latestBalances()).hasSize(1);
    }
}
