package io.thrustline.streams.judging;

import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.schemas.Insight;
import io.thrustline.schemas.SessionBalance;
import io.thrustline.seeds.Seeds;
import io.thrustline.streams.ProcessorFixture;
import io.thrustline.streams.Retention;
import io.thrustline.streams.rules.LoggedSet;
import io.thrustline.streams.rules.Rules;
import io.thrustline.streams.rules.Side;
import io.thrustline.streams.sessions.SessionEvent;
import io.thrustline.streams.sessions.SessionEvent.SessionClosed;
import io.thrustline.streams.sessions.SessionEvent.SessionForgotten;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session judge alone: balances and insights at each close, withdrawals at a later one, history across sessions. */
class SessionJudgeTest {

    private static final Instant START = Instant.parse("2026-11-21T07:30:00Z");
    private static final String ATHLETE = "gym-a:ath-1";
    private static final String SL = "barbell_single_leg_hip_thrust";
    private final Seeds seeds = Seeds.loadBuiltIn();
    private final ProcessorFixture<String, SessionEvent, String, SpecificRecord> judge = new ProcessorFixture<>(
            SessionJudge.supplier(seeds, Rules.from(seeds), new Retention(Duration.ofDays(30), 50, 2), "out-insights", "out-balances"),
            START.toEpochMilli());

    @AfterEach
    void close() {
        judge.close();
    }

    @Test
    void aClosedSessionGivesItsBalanceAndItsInsightsToTheirOwnOutputs() {
        close("s1", 0, 50, 40);
        assertThat(judge.takeForwarded("out-balances")).singleElement()
                .satisfies(b -> assertThat(((SessionBalance) b).getAsymmetryPct()).isEqualTo(20.0));
        assertThat(judge.takeForwarded("out-insights")).singleElement()
                .satisfies(i -> assertThat(((Insight) i).getRule()).isEqualTo("LEFT_RIGHT_IMBALANCE"));
    }

    @Test
    void closingAgainWithdrawsWhatNoLongerAppliesUnderTheSameId() {
        judge.process(ATHLETE, new SessionClosed(ATHLETE, "s1", List.of(set("l1", "s1", 0, Side.LEFT, 50))), START.toEpochMilli());
        Insight missing = (Insight) judge.takeForwarded("out-insights").getFirst();
        assertThat(missing.getRule()).isEqualTo("UNILATERAL_SIDE_MISSING");
        judge.resetForwards();
        judge.process(ATHLETE, new SessionClosed(ATHLETE, "s1", List.of(set("l1", "s1", 0, Side.LEFT, 50), set("r1", "s1", 1, Side.RIGHT, 50))),
                START.toEpochMilli());
        assertThat(judge.takeForwarded("out-insights")).singleElement().satisfies(i -> {
            assertThat(((Insight) i).getInsightId()).isEqualTo(missing.getInsightId());
            assertThat(((Insight) i).getRetracted()).isTrue();
        });
        assertThat(judge.keys(SessionJudge.VERDICTS_STORE)).isEmpty();
    }

    @Test
    void theSameWeakerSideInThreeSessionsRunningIsPersistentAndTheHistoryKeepsTheNewest() {
        close("s1", 0, 50, 40);
        close("s2", 2, 50, 42);
        judge.resetForwards();
        close("s3", 4, 50, 41);
        assertThat(judge.takeForwarded("out-insights")).extracting(i -> ((Insight) i).getRule())
                .containsExactlyInAnyOrder("LEFT_RIGHT_IMBALANCE", "PERSISTENT_IMBALANCE");
        BalanceHistory history = judge.<BalanceHistory>store(SessionJudge.BALANCE_HISTORY_STORE).get(ATHLETE + "|" + SL);
        assertThat(history.entries()).extracting(io.thrustline.streams.rules.PriorBalance::sessionId).containsExactly("s2", "s3");

        judge.process(ATHLETE, new SessionForgotten(ATHLETE, "s3"), START.toEpochMilli());
        assertThat(judge.keys(SessionJudge.VERDICTS_STORE)).containsExactly(ATHLETE + "|s1", ATHLETE + "|s2");
    }

    /** Closes a session of one left and one right set on day {@code day}. */
    private void close(String session, int day, double leftKg, double rightKg) {
        int minute = day * 24 * 60;
        judge.process(ATHLETE, new SessionClosed(ATHLETE, session, List.of(set(session + "-l", session, minute, Side.LEFT, leftKg),
                set(session + "-r", session, minute + 1, Side.RIGHT, rightKg))), START.toEpochMilli());
    }

    private static LoggedSet set(String id, String session, int minute, Side side, double kg) {
        return new LoggedSet(id, ATHLETE, session, START.plusSeconds(60L * minute), SL, side, 8, kg, 8, null);
    }
}
