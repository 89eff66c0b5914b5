package io.thrustline.streams.rules;

import io.thrustline.schemas.RuleName;
import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.seeds.Seeds;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeftRightImbalanceTest {

    private static final String SL_THRUST = "barbell_single_leg_hip_thrust";
    private final Seeds seeds = Seeds.loadBuiltIn();
    private final LeftRightImbalance rule = new LeftRightImbalance(seeds.catalog(), seeds.rules().leftRightImbalance());
    private final UnilateralSideMissing sideMissing = new UnilateralSideMissing(seeds.catalog());
    private final SetsForTests sets = new SetsForTests("ath-1", "s-1");

    @Test
    void loadedSessionsCompareRepsTimesKilograms() {
        var outcome = judged(List.of(
                sets.set(0, SL_THRUST, Side.LEFT, 8, 50), sets.set(3, SL_THRUST, Side.LEFT, 8, 50),
                sets.set(1, SL_THRUST, Side.RIGHT, 8, 40), sets.set(4, SL_THRUST, Side.RIGHT, 8, 40)));
        Balance b = outcome.balances().get(0);
        assertThat(b.leftVolume()).isEqualTo(800.0);
        assertThat(b.rightVolume()).isEqualTo(640.0);
        assertThat(b.leftReps()).isEqualTo(16);
        assertThat(b.asymmetryPct()).isEqualTo(20.0);
        assertThat(b.weakerSide()).isEqualTo(Side.RIGHT);
        assertThat(b.loaded()).isTrue();
        assertThat(b.startedAt()).isEqualTo(SetsForTests.START);
        Finding f = outcome.findings().get(0);
        assertThat(f.rule()).isEqualTo(RuleName.LEFT_RIGHT_IMBALANCE);
        assertThat(f.severity()).isEqualTo(Severity.ALERT);
        assertThat(f.side()).isEqualTo(Side.RIGHT);
        assertThat(f.metrics()).containsEntry("asymmetryPct", 20.0).containsEntry("leftVolume", 800.0).containsEntry("rightVolume", 640.0);
        assertThat(f.message()).contains("right leg did 20.0% less").contains("left 800 kg, right 640 kg");
        assertThat(f.advice()).contains("Start each round with the right leg").contains("pelvis");
    }

    @Test
    void bodyweightSessionsCompareReps() {
        Balance b = only(judged(List.of(sets.set(0, "single_leg_glute_bridge", Side.LEFT, 12, 0),
                sets.set(1, "single_leg_glute_bridge", Side.RIGHT, 10, 0))));
        assertThat(b.loaded()).isFalse();
        assertThat(b.leftVolume()).isEqualTo(12.0);
        assertThat(b.rightVolume()).isEqualTo(10.0);
        assertThat(b.asymmetryPct()).isEqualTo(16.7);
    }

    @Test
    void oneLoadedSetMakesTheWholeExerciseCountInKilograms() {
        // A bodyweight-only right side against a loaded left side moved no external load at all.
        var outcome = judged(List.of(sets.set(0, "weighted_single_leg_hip_thrust", Side.LEFT, 10, 20),
                sets.set(1, "weighted_single_leg_hip_thrust", Side.RIGHT, 10, 0)));
        assertThat(outcome.balances().get(0).asymmetryPct()).isEqualTo(100.0);
        assertThat(outcome.findings().get(0).severity()).isEqualTo(Severity.ALERT);
    }

    @Test
    void thresholdsAreInclusiveOnTheRoundedPercentage() {
        assertThat(severityFor(100, 90)).isEqualTo(Severity.WARNING);     // exactly 10.0 %
        assertThat(severityFor(1000, 900.5)).isEqualTo(Severity.WARNING); // 9.95 % rounds to 10.0
        assertThat(severityFor(1000, 900.6)).isNull();                    // 9.94 % rounds to 9.9
        assertThat(severityFor(100, 85)).isEqualTo(Severity.ALERT);       // exactly 15.0 %
        assertThat(severityFor(1000, 850.6)).isEqualTo(Severity.WARNING); // 14.94 %
        assertThat(severityFor(1000, 850.5)).isEqualTo(Severity.ALERT);   // 14.95 % rounds to 15.0
    }

    @Test
    void equalSidesGiveABalanceButNoInsight() {
        var outcome = judged(List.of(sets.set(0, SL_THRUST, Side.LEFT, 8, 40), sets.set(1, SL_THRUST, Side.RIGHT, 8, 40)));
        assertThat(outcome.findings()).isEmpty();
        assertThat(outcome.balances()).singleElement().satisfies(b -> {
            assertThat(b.asymmetryPct()).isEqualTo(0.0);
            assertThat(b.weakerSide()).isNull();
        });
    }

    @Test
    void aSessionWithOneSideOnlyNamesTheMissingSide() {
        var outcome = judged(List.of(sets.set(0, SL_THRUST, Side.LEFT, 8, 40), sets.set(2, SL_THRUST, Side.LEFT, 8, 40)));
        assertThat(outcome.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(RuleName.UNILATERAL_SIDE_MISSING);
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.side()).isEqualTo(Side.RIGHT);
            assertThat(f.message()).contains("Only the left leg");
        });
        assertThat(outcome.balances()).singleElement().satisfies(b -> {
            assertThat(b.rightReps()).isZero();
            assertThat(b.bothSidesLogged()).isFalse();
        });
    }

    @Test
    void warmUpSetsAreNoPartOfEitherSidesWork() {
        LoggedSet warmUp = sets.set(0, SL_THRUST, Side.LEFT, 10, 20);
        warmUp = new LoggedSet(warmUp.eventId(), warmUp.athleteId(), warmUp.sessionId(), warmUp.performedAt(), warmUp.exercise(), warmUp.side(),
                warmUp.reps(), warmUp.loadKg(), null, null, SetType.WARMUP);
        var outcome = judged(List.of(warmUp, sets.set(2, SL_THRUST, Side.LEFT, 8, 40), sets.set(3, SL_THRUST, Side.RIGHT, 8, 40)));
        assertThat(outcome.findings()).isEmpty(); // with the warm-up counted, left would be 1,000 kg against 320: an ALERT
        assertThat(only(outcome).leftVolume()).isEqualTo(320.0);
        assertThat(only(outcome).leftReps()).isEqualTo(8);

        // A side trained only as a warm-up was not trained: the coach hears that side is missing.
        var onlyWarmedUp = judged(List.of(sets.set(5, SL_THRUST, Side.LEFT, 8, 40), new LoggedSet("w-r", "ath-1", "s-1",
                SetsForTests.START.plusSeconds(360), SL_THRUST, Side.RIGHT, 8, 20, null, null, SetType.WARMUP)));
        assertThat(onlyWarmedUp.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(RuleName.UNILATERAL_SIDE_MISSING);
            assertThat(f.side()).isEqualTo(Side.RIGHT);
        });
    }

    @Test
    void threeRepsAgainstTwoAreNotEnoughToRaiseAnything() {
        // 3 reps against 2 is 33 %, an ALERT if it counted; the balance is kept, marked as too thin to compare.
        var outcome = judged(List.of(sets.set(0, "single_leg_glute_bridge", Side.LEFT, 3, 0), sets.set(1, "single_leg_glute_bridge", Side.RIGHT, 2, 0)));
        assertThat(outcome.findings()).isEmpty();
        assertThat(only(outcome).asymmetryPct()).isEqualTo(33.3);
        assertThat(only(outcome).insufficientData()).isTrue();
        // Five reps a side is enough (rules.json: minRepsPerSide 5, minSetsPerSide 1).
        var enough = judged(List.of(sets.set(0, "single_leg_glute_bridge", Side.LEFT, 8, 0), sets.set(1, "single_leg_glute_bridge", Side.RIGHT, 5, 0)));
        assertThat(only(enough).insufficientData()).isFalse();
        assertThat(enough.findings()).singleElement().extracting(Finding::severity).isEqualTo(Severity.ALERT);
        // Warm-up reps are not evidence.
        LoggedSet warmUp = new LoggedSet("w", "ath-1", "s-1", SetsForTests.START, "single_leg_glute_bridge", Side.RIGHT, 10, 0, null, null,
                SetType.WARMUP);
        assertThat(only(judged(List.of(sets.set(0, "single_leg_glute_bridge", Side.LEFT, 8, 0), warmUp,
                sets.set(1, "single_leg_glute_bridge", Side.RIGHT, 2, 0)))).insufficientData()).isTrue();
    }

    @Test
    void anImbalanceSaysWhatIsUsualForTheAthlete() {
        Balance b = only(judged(List.of(sets.set(0, SL_THRUST, Side.LEFT, 8, 50), sets.set(1, SL_THRUST, Side.RIGHT, 8, 40))));
        var earlier = List.of(prior(4.0), prior(12.0), prior(6.0), prior(30.0));
        Finding f = rule.evaluate(b, earlier).orElseThrow();
        assertThat(f.metrics()).containsEntry("baselinePct", 9.0); // median of 4, 6, 12, 30
        assertThat(f.message()).contains("Usual for this athlete: 9.0% (the median of their last 4 sessions");
        assertThat(rule.evaluate(b, List.of()).orElseThrow().metrics()).doesNotContainKey("baselinePct");
    }

    private static PriorBalance prior(double pct) {
        return new PriorBalance("earlier-" + pct, SetsForTests.START.minusSeconds(86_400), pct, Side.RIGHT);
    }

    @Test
    void bilateralExercisesHaveNoSidesToCompare() {
        assertThat(judged(List.of(sets.set(0, "barbell_hip_thrust", Side.BOTH, 8, 100), sets.set(2, "deadlift", Side.BOTH, 5, 120))).balances())
                .isEmpty();
    }

    @Test
    void eachUnilateralExerciseIsJudgedOnItsOwn() {
        var outcome = judged(List.of(
                sets.set(0, SL_THRUST, Side.LEFT, 8, 40), sets.set(1, SL_THRUST, Side.RIGHT, 8, 40),
                sets.set(5, "single_leg_glute_bridge", Side.LEFT, 10, 0), sets.set(6, "single_leg_glute_bridge", Side.RIGHT, 7, 0)));
        assertThat(outcome.balances()).extracting(Balance::exercise).containsExactly(SL_THRUST, "single_leg_glute_bridge");
        assertThat(outcome.findings()).singleElement().extracting(Finding::exercise).isEqualTo("single_leg_glute_bridge");
    }

    private Severity severityFor(double leftKg, double rightKg) {
        var outcome = judged(List.of(sets.set(0, SL_THRUST, Side.LEFT, 5, leftKg), sets.set(1, SL_THRUST, Side.RIGHT, 5, rightKg)));
        return outcome.findings().isEmpty() ? null : outcome.findings().get(0).severity();
    }

    /** What closing a session with these sets gives: its balances, and the findings of both side rules. */
    private record Outcome(List<Balance> balances, List<Finding> findings) {}

    private Outcome judged(List<LoggedSet> sessionSets) {
        ClosedSession session = ClosedSession.of(seeds.catalog(), seeds.rules().leftRightImbalance(), sessionSets, (current, count) -> List.of());
        var findings = new java.util.ArrayList<Finding>(rule.judge(session));
        findings.addAll(sideMissing.judge(session));
        return new Outcome(session.balances(), findings);
    }

    private static Balance only(Outcome outcome) {
        assertThat(outcome.balances()).hasSize(1);
        return outcome.balances().get(0);
    }
}
