package io.thrustline.streams;

import static io.thrustline.streams.TopologyHarness.START;
import static io.thrustline.streams.TopologyHarness.completed;
import static io.thrustline.streams.TopologyHarness.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.streams.sessions.AthleteEventIds;
import io.thrustline.streams.sessions.SessionRecord;
import io.thrustline.streams.sessions.SessionTracker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a session keeps is bounded, and what has run out is found through a time-ordered index, never a scan. */
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
        assertThat(session().sets()).hasSize(300);
    }

    @Test
    void aSessionRemembersOnlyItsNewestCompletions() {
        t.send(set("l1", ATHLETE, "s1", 0, "barbell_single_leg_hip_thrust", io.thrustline.schemas.Side.LEFT, 8, 50, 8, null));
        for (int i = 0; i < 25; i++) {
            t.send(completed("c" + i, ATHLETE, "s1", 10 + i));
        }
        var newest = IntStream.range(5, 25).mapToObj(i -> "c" + i).toList();
        assertThat(session().completions()).extracting(SessionRecord.Completion::eventId).containsExactlyElementsOf(newest);
        assertThat(indexedIds()).containsExactlyInAnyOrderElementsOf(fingerprints(newest, "l1"));

        // A retry of a forgotten completion closes the session again, to the same effect.
        var standing = t.standingInsights();
        t.send(completed("c0", ATHLETE, "s1", 10));
        assertThat(t.standingInsights()).isEqualTo(standing);
        assertThat(session().completions()).hasSize(Retention.COMPLETIONS_PER_SESSION).last().extracting(SessionRecord.Completion::eventId)
                .isEqualTo("c0");
        assertThat(t.deadLetterReasons()).isEmpty();
    }

    @Test
    void aCompletionWithoutSetsIsForgottenAtItsInactivityDeadline() {
        t.send(completed("c1", ATHLETE, "s1", 10));
        assertThat(t.keysOf(SessionTracker.SESSIONS_STORE)).containsExactly(SESSION);
        assertThat(t.keysOf(SessionTracker.TIMERS_STORE)).containsExactly(closeAt(START.plus(Duration.ofMinutes(120))));
        t.driver.advanceWallClockTime(Duration.ofMinutes(119));
        assertThat(t.keysOf(SessionTracker.SESSIONS_STORE)).containsExactly(SESSION);
        t.driver.advanceWallClockTime(Duration.ofMinutes(2));
        t.state().forEach((store, entries) -> assertThat(entries).as(store).isEmpty());
    }

    @Test
    void aClosedSessionIsForgottenThroughTheExpiryIndexOnceItsRetentionHasPassed() {
        t.send(set("l1", ATHLETE, "s1", 0, "barbell_single_leg_hip_thrust", io.thrustline.schemas.Side.LEFT, 8, 50, 8, null));
        t.send(completed("c1", ATHLETE, "s1", 10));
        // Closed: its inactivity deadline gave way to its expiry, 30 days after its last event, on the hour.
        assertThat(t.keysOf(SessionTracker.TIMERS_STORE)).containsExactly(forgetAt(Instant.parse("2026-12-21T08:00:00Z")));
        assertThat(t.keysOf(SessionJudge_VERDICTS)).containsExactly(SESSION); // UNILATERAL_SIDE_MISSING was raised

        // A session no index names is never looked at by the purge, however old: the purge reads the timer
        // index's due range and nothing else.
        SessionRecord unindexed = SessionRecord.of(START.minus(Duration.ofDays(400)).toEpochMilli(), true, session().sets(), List.of());
        t.store(SessionTracker.SESSIONS_STORE).put(ATHLETE + "|s0", unindexed);

        t.driver.advanceWallClockTime(Duration.ofDays(29));
        assertThat(t.keysOf(SessionTracker.SESSIONS_STORE)).containsExactly(ATHLETE + "|s0", SESSION);
        t.driver.advanceWallClockTime(Duration.ofDays(1).plusHours(1));
        assertThat(t.keysOf(SessionTracker.SESSIONS_STORE)).containsExactly(ATHLETE + "|s0");
        assertThat(t.keysOf(SessionTracker.EVENT_IDS_STORE)).isEmpty();
        assertThat(t.keysOf(SessionTracker.TIMERS_STORE)).isEmpty();
        assertThat(t.keysOf(SessionJudge_VERDICTS)).isEmpty();
    }

    @Test
    void aSessionClosedByInactivityMovesOnToItsExpiry() {
        t.send(set("d1", ATHLETE, "s1", 0, "deadlift", 100));
        assertThat(t.keysOf(SessionTracker.TIMERS_STORE)).containsExactly(closeAt(START.plus(Duration.ofMinutes(120))));
        t.driver.advanceWallClockTime(Duration.ofMinutes(121));
        assertThat(session().closed()).isTrue();
        assertThat(t.keysOf(SessionTracker.TIMERS_STORE)).containsExactly(forgetAt(Instant.parse("2026-12-21T08:00:00Z")));
    }

    private static final String SessionJudge_VERDICTS = io.thrustline.streams.judging.SessionJudge.VERDICTS_STORE;

    private SessionRecord session() {
        return t.<SessionRecord>store(SessionTracker.SESSIONS_STORE).get(SESSION);
    }

    private List<Integer> indexedIds() {
        AthleteEventIds ids = t.<AthleteEventIds>store(SessionTracker.EVENT_IDS_STORE).get(ATHLETE);
        return ids.sessions().stream().flatMapToInt(e -> IntStream.of(e.fingerprints())).boxed().toList();
    }

    private static List<Integer> fingerprints(List<String> ids, String more) {
        var all = new java.util.ArrayList<>(ids);
        all.add(more);
        return all.stream().map(AthleteEventIds::fingerprint).toList();
    }

    private static String closeAt(Instant at) {
        return "close@" + timeDigits(at) + "|" + SESSION;
    }

    private static String forgetAt(Instant at) {
        return "forget@" + timeDigits(at) + "|" + SESSION;
    }

    /** The timer index's fixed-width time: epoch millis shifted to stay positive, 16 digits. */
    private static String timeDigits(Instant at) {
        return String.format("%016d", at.toEpochMilli() + 100_000_000_000_000L);
    }
}
