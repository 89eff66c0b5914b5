package io.thrustline.streams;

import static io.thrustline.streams.TopologyHarness.START;
import static io.thrustline.streams.TopologyHarness.completed;
import static io.thrustline.streams.TopologyHarness.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.schemas.state.SessionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a session keeps is bounded, and what has run out is found through time-ordered indexes, never a scan. */
class StateBoundsTest {

    private static final String ATHLETE = "gym-a:ath-1";
    private static final String SESSION = ATHLETE + "|s1";
    private final TopologyHarness t = new TopologyHarness();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void aSessionHoldsAtMostItsMaximumOfSets() {
        for (int i = 0; i < 300; i++) {
            t.send(set("d" + i, ATHLETE, "s1", i, "deadlift", 100));
        }
        assertThat(t.deadLetterReasons()).isEmpty();
        var before = t.state();
        t.send(set("d300", ATHLETE, "s1", 300, "deadlift", 100));
        assertThat(t.deadLetterReasons()).singleElement().asString().contains("already holds 300 sets");
        assertThat(t.state()).isEqualTo(before);
        assertThat(session().getSetCount()).isEqualTo(300);
        assertThat(t.keysOf(RulesTopology.SESSION_SETS_STORE)).hasSize(300);
    }

    @Test
    void aSessionRemembersOnlyItsNewestCompletions() {
        t.send(set("l1", ATHLETE, "s1", 0, "barbell_single_leg_hip_thrust", io.thrustline.schemas.Side.LEFT, 8, 50, 8, null));
        for (int i = 0; i < 25; i++) {
            t.send(completed("c" + i, ATHLETE, "s1", 10 + i));
        }
        var newest = IntStream.range(5, 25).mapToObj(i -> "c" + i).toList();
        assertThat(session().getCompletionEventIds()).containsExactlyElementsOf(newest);
        var remembered = new ArrayList<String>(newest.stream().map(id -> ATHLETE + "|" + id).toList());
        remembered.add(ATHLETE + "|l1");
        assertThat(t.keysOf(RulesTopology.ACCEPTED_EVENTS_STORE)).containsExactlyInAnyOrderElementsOf(remembered);

        // A retry of a forgotten completion closes the session again, to the same effect.
        var standing = t.standingInsights();
        t.send(completed("c0", ATHLETE, "s1", 10));
        assertThat(t.standingInsights()).isEqualTo(standing);
        assertThat(session().getCompletionEventIds()).hasSize(Retention.COMPLETIONS_PER_SESSION).endsWith("c0");
        assertThat(t.deadLetterReasons()).isEmpty();
    }

    @Test
    void aCompletionWithoutSetsIsForgottenAtItsInactivityDeadline() {
        t.send(completed("c1", ATHLETE, "s1", 10));
        assertThat(t.keysOf(RulesTopology.SESSIONS_STORE)).containsExactly(SESSION);
        assertThat(t.keysOf(RulesTopology.SESSION_DEADLINES_STORE)).containsExactly(timer(START.plus(Duration.ofMinutes(120))));
        t.driver.advanceWallClockTime(Duration.ofMinutes(119));
        assertThat(t.keysOf(RulesTopology.SESSIONS_STORE)).containsExactly(SESSION);
        t.driver.advanceWallClockTime(Duration.ofMinutes(2));
        t.state().forEach((store, entries) -> assertThat(entries).as(store).isEmpty());
    }

    @Test
    void aClosedSessionIsForgottenThroughTheExpiryIndexOnceItsRetentionHasPassed() {
        t.send(set("d1", ATHLETE, "s1", 0, "deadlift", 100));
        t.send(completed("c1", ATHLETE, "s1", 10));
        // Closed: its inactivity deadline gave way to its expiry, 30 days after its last event, on the hour.
        assertThat(t.keysOf(RulesTopology.SESSION_DEADLINES_STORE)).isEmpty();
        assertThat(t.keysOf(RulesTopology.SESSION_EXPIRIES_STORE)).containsExactly(timer(Instant.parse("2026-12-21T08:00:00Z")));

        // A session no index names is never looked at by the purge, however old: the purge reads the expiry
        // index's due range and nothing else.
        SessionState unindexed = SessionState.newBuilder(session()).setSessionId("s0").setLastActivityAt(START.minus(Duration.ofDays(400))).build();
        t.store(RulesTopology.SESSIONS_STORE).put(ATHLETE + "|s0", unindexed);

        t.driver.advanceWallClockTime(Duration.ofDays(29));
        assertThat(t.keysOf(RulesTopology.SESSIONS_STORE)).containsExactly(ATHLETE + "|s0", SESSION);
        t.driver.advanceWallClockTime(Duration.ofDays(1).plusHours(1));
        assertThat(t.keysOf(RulesTopology.SESSIONS_STORE)).containsExactly(ATHLETE + "|s0");
        assertThat(t.keysOf(RulesTopology.SESSION_SETS_STORE)).isEmpty();
        assertThat(t.keysOf(RulesTopology.ACCEPTED_EVENTS_STORE)).isEmpty();
        assertThat(t.keysOf(RulesTopology.SESSION_EXPIRIES_STORE)).isEmpty();
    }

    @Test
    void aSessionClosedByInactivityMovesOnToItsExpiry() {
        t.send(set("d1", ATHLETE, "s1", 0, "deadlift", 100));
        assertThat(t.keysOf(RulesTopology.SESSION_DEADLINES_STORE)).containsExactly(timer(START.plus(Duration.ofMinutes(120))));
        t.driver.advanceWallClockTime(Duration.ofMinutes(121));
        assertThat(session().getClosed()).isTrue();
        assertThat(t.keysOf(RulesTopology.SESSION_DEADLINES_STORE)).isEmpty();
        assertThat(t.keysOf(RulesTopology.SESSION_EXPIRIES_STORE)).containsExactly(timer(Instant.parse("2026-12-21T08:00:00Z")));
    }

    private SessionState session() {
        return t.<SessionState>store(RulesTopology.SESSIONS_STORE).get(SESSION);
    }

    private static String timer(Instant at) {
        return StoreKeys.timer(at.toEpochMilli(), SESSION);
    }
}
