package io.thrustline.streams.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.schemas.Insight;
import io.thrustline.seeds.Seeds;
import io.thrustline.streams.ProcessorFixture;
import io.thrustline.streams.Retention;
import io.thrustline.streams.rules.LoggedSet;
import io.thrustline.streams.rules.Rules;
import io.thrustline.streams.rules.Side;
import io.thrustline.streams.sessions.SessionEvent;
import io.thrustline.streams.sessions.SessionEvent.SetAccepted;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The load-progression processor alone: each set judged against the one before it, late sets re-judging the next. */
class LoadProgressionTest {

    private static final Instant START = Instant.parse("2026-11-21T07:30:00Z");
    private static final String ATHLETE = "gym-a:ath-1";
    private static final String SL = "barbell_single_leg_hip_thrust";
    private final ProcessorFixture<String, SessionEvent, String, Insight> load = new ProcessorFixture<>(
            LoadProgression.supplier(Rules.from(Seeds.loadBuiltIn()), new Retention(Duration.ofDays(30), 3, 10)), START.toEpochMilli());

    @AfterEach
    void close() {
        load.close();
    }

    @Test
    void moreLoadAfterASetWithUncontrolledRepsIsFlagged() {
        accept(set("a", 0, 50, 8, 6));
        assertThat(load.takeForwarded(null)).isEmpty();
        accept(set("b", 5, 55, 8, 8));
        assertThat(load.takeForwarded(null)).singleElement().satisfies(i -> {
            assertThat(i.getRule()).isEqualTo("LOAD_INCREASE_BEFORE_CONTROL");
            assertThat(i.getTriggerEventId()).isEqualTo("b");
            assertThat(i.getRetracted()).isFalse();
        });
    }

    @Test
    void aLateSetInBetweenWithdrawsTheFindingOfTheSetAfterIt() {
        accept(set("a", 0, 50, 8, 6));
        accept(set("c", 10, 55, 8, 8)); // flagged: after 6 of 8 controlled
        Insight flagged = load.takeForwarded(null).getLast();
        load.resetForwards();
        accept(set("b", 5, 55, 8, 8)); // arrives late: now c follows a fully controlled 55 kg set
        assertThat(load.takeForwarded(null)).satisfiesExactly(
                i -> assertThat(i.getTriggerEventId()).isEqualTo("b"), // b itself went up after a's 6 of 8
                i -> {
                    assertThat(i.getInsightId()).isEqualTo(flagged.getInsightId());
                    assertThat(i.getRetracted()).isTrue();
                });
        assertThat(history().entries()).extracting(LoadHistory.Entry::eventId).containsExactly("a", "b", "c");
        assertThat(history().entries()).extracting(e -> e.flagged(0)).containsExactly(false, true, false);
    }

    @Test
    void onlyTheNewestSetsAreKeptAndOnlyForExercisesAPerSetRuleLooksAt() {
        for (int i = 0; i < 5; i++) {
            accept(set("s" + i, i, 50, 8, 8));
        }
        assertThat(history().entries()).extracting(LoadHistory.Entry::eventId).containsExactly("s2", "s3", "s4");
        accept(new LoggedSet("d1", ATHLETE, "s1", START, "deadlift", Side.BOTH, 5, 100, null, null));
        assertThat(load.keys(LoadProgression.LOAD_HISTORY_STORE)).containsExactly(ATHLETE + "|" + SL);
    }

    @Test
    void eachSideIsJudgedAgainstItsOwnSetsAndKeepsItsOwnNewest() {
        accept(set("l1", 0, 50, 8, 4));
        accept(new LoggedSet("r1", ATHLETE, "s1", START.plusSeconds(60), SL, Side.RIGHT, 8, 60, 8, null)); // heavier, but the first right set
        assertThat(load.takeForwarded(null)).isEmpty();
        for (int i = 2; i < 6; i++) {
            accept(set("l" + i, i, 50, 8, 8));
        }
        assertThat(history().entries()).extracting(LoadHistory.Entry::eventId).containsExactly("l3", "l4", "l5", "r1");
    }

    @Test
    void warmUpSetsAreNeitherJudgedNorKept() {
        accept(set("a", 0, 50, 8, 6)); // 6 of 8 controlled
        var warmUp = set("w", 10, 30, 10, 4);
        accept(new LoggedSet(warmUp.eventId(), ATHLETE, "s2", warmUp.performedAt(), SL, Side.LEFT, 10, 30, 4, null,
                io.thrustline.streams.rules.SetType.WARMUP));
        assertThat(load.takeForwarded(null)).isEmpty();
        accept(set("b", 20, 40, 8, 8)); // lighter than a: judged against a, not against the 30 kg warm-up
        assertThat(load.takeForwarded(null)).isEmpty();
        assertThat(history().entries()).extracting(LoadHistory.Entry::eventId).containsExactly("a", "b");
    }

    private LoadHistory history() {
        return load.<LoadHistory>store(LoadProgression.LOAD_HISTORY_STORE).get(ATHLETE + "|" + SL);
    }

    private void accept(LoggedSet set) {
        load.process(ATHLETE, new SetAccepted(set), START.toEpochMilli());
    }

    private static LoggedSet set(String id, int minute, double kg, int reps, Integer controlled) {
        return new LoggedSet(id, ATHLETE, "s1", START.plusSeconds(60L * minute), SL, Side.LEFT, reps, kg, controlled, null);
    }
}
