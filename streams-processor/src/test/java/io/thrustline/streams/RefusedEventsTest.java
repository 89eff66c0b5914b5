package io.thrustline.streams;

import static io.thrustline.streams.TopologyHarness.START;
import static io.thrustline.streams.TopologyHarness.completed;
import static io.thrustline.streams.TopologyHarness.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.schemas.Insight;
import io.thrustline.schemas.SessionBalance;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.Side;
import io.thrustline.schemas.Topics;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.streams.sessions.SessionRecord;
import io.thrustline.streams.sessions.SessionTracker;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Events that would mix tenants, carry impossible times, move a session's date or overwrite a first copy are
 * refused before they touch any state: they reach the dead-letter topic with the reason in the headers, and the
 * stores, insights and balances stay exactly as they were.
 */
class RefusedEventsTest {

    private static final String SL = "barbell_single_leg_hip_thrust";
    private final TopologyHarness t = new TopologyHarness();

    @AfterEach
    void close() {
        t.close();
    }

    // --- tenancy ---------------------------------------------------------------------------------

    @Test
    void anIntegrationCannotWriteAboutAnotherIntegrationsAthlete() {
        t.send(set("l1", "gym-a:ath-1", "s1", 0, SL, Side.LEFT, 8, 50, 8, null));
        // gym-b sends a right-side set naming gym-a's athlete: it would have evened out gym-a's session
        var intruder = TrainingEvent.newBuilder(set("r1", "gym-a:ath-1", "s1", 2, SL, Side.RIGHT, 8, 50, 8, null)).setSource("gym-b").build();
        assertRefused(intruder, "belongs to integration 'gym-a', but the event's source is 'gym-b'");
        assertRefused(TrainingEvent.newBuilder(intruder).setSource(null).build(), "source is missing");
        assertRefused(TrainingEvent.newBuilder(intruder).setAthleteId("ath-1").setSource("ath-1").build(), "must be an integration id");
    }

    @Test
    void theSameAthleteIdFromTwoIntegrationsIsTwoAthletesWithTwoHistories() {
        // The same raw athlete id and session id at two gyms. Mixed into one history these would be a 44 %
        // ALERT (left 720 vs right 400) and a load increase on the left after 5/8 controlled reps.
        t.send(set("a1", "gym-a:ath-1", "s1", 0, SL, Side.LEFT, 8, 40, 5, null));
        t.send(set("b1", "gym-b:ath-1", "s1", 1, SL, Side.LEFT, 8, 50, 8, null));
        t.send(set("b2", "gym-b:ath-1", "s1", 2, SL, Side.RIGHT, 8, 50, 8, null));
        t.send(completed("c1", "gym-a:ath-1", "s1", 10));
        t.send(completed("c1", "gym-b:ath-1", "s1", 10)); // the same event id from another athlete is no duplicate

        assertThat(t.standingInsights().values()).singleElement().satisfies(i -> {
            assertThat(i.getAthleteId()).isEqualTo("gym-a:ath-1");
            assertThat(i.getRule()).isEqualTo("UNILATERAL_SIDE_MISSING");
            assertThat(i.getSide()).isEqualTo(Side.RIGHT);
        });
        var balances = t.latestBalances();
        assertThat(balances).containsOnlyKeys("gym-a:ath-1|s1|" + SL, "gym-b:ath-1|s1|" + SL);
        assertThat(balances.get("gym-a:ath-1|s1|" + SL).getLeftVolume()).isEqualTo(320.0);
        assertThat(balances.get("gym-a:ath-1|s1|" + SL).getRightVolume()).isEqualTo(0.0);
        assertThat(balances.get("gym-b:ath-1|s1|" + SL).getAsymmetryPct()).isEqualTo(0.0);
        assertThat(t.deadLetterReasons()).isEmpty();
    }

    // --- event times -----------------------------------------------------------------------------

    @Test
    void aSetDatedBefore2000OrAfterItsReceiptIsRefused() {
        t.send(set("l1", "gym-a:ath-1", "s1", 0, SL, Side.LEFT, 8, 50, 8, null));
        assertRefused(performedAt(set("old", "gym-a:ath-1", "s1", 1, SL, Side.RIGHT, 8, 50, 8, null), Instant.EPOCH), "before 2000-01-01");
        var early = set("soon", "gym-a:ath-1", "s1", 1, SL, Side.RIGHT, 8, 50, 8, null);
        var future = TrainingEvent.newBuilder(early).setReceivedAt(early.getReceivedAt().minus(Duration.ofMinutes(6))).build();
        assertRefused(future, "more than 5 minutes after the event was received");
    }

    @Test
    void aCompletionDatedAfterItsReceiptIsRefused() {
        t.send(set("d1", "gym-a:ath-1", "s1", 0, "deadlift", 100));
        var done = completed("c1", "gym-a:ath-1", "s1", 10);
        assertRefused(TrainingEvent.newBuilder(done).setReceivedAt(START).build(), "completedAt");
    }

    // --- session span ----------------------------------------------------------------------------

    @Test
    void aBackdatedSetCannotMoveAnAlertedSessionsDateOrSoftenItsAlert() {
        t.send(set("l1", "gym-a:ath-1", "s1", 0, SL, Side.LEFT, 8, 50, 8, null));
        t.send(set("r1", "gym-a:ath-1", "s1", 2, SL, Side.RIGHT, 8, 42, 8, null)); // 16 %: ALERT
        t.send(completed("c1", "gym-a:ath-1", "s1", 10));
        Insight alert = t.standingInsights().values().iterator().next();
        assertThat(alert.getSeverity()).isEqualTo(io.thrustline.schemas.Severity.ALERT);

        // A heavy right set would even the sides out and move the session to another day, were it accepted.
        var in1970 = performedAt(set("x1", "gym-a:ath-1", "s1", 0, SL, Side.RIGHT, 8, 60, 8, null), Instant.parse("1970-01-01T00:00:00Z"));
        assertRefused(in1970, "before 2000-01-01");
        var dayBefore = set("x2", "gym-a:ath-1", "s1", -13 * 60, SL, Side.RIGHT, 8, 60, 8, null); // 13 h before the first set
        assertRefused(dayBefore, "would stretch session 's1'");
        t.send(completed("c2", "gym-a:ath-1", "s1", 12)); // judged again: the same result

        assertThat(t.standingInsights().values()).singleElement().satisfies(i -> {
            assertThat(i.getInsightId()).isEqualTo(alert.getInsightId());
            assertThat(i.getSeverity()).isEqualTo(alert.getSeverity());
            assertThat(i.getDetectedAt()).isEqualTo(alert.getDetectedAt()).isEqualTo(START);
            assertThat(i.getMetrics()).isEqualTo(alert.getMetrics());
        });
        assertThat(t.latestBalances().values()).extracting(SessionBalance::getSessionDate).containsExactly(LocalDate.of(2026, 11, 21));
        SessionRecord session = t.<SessionRecord>store(SessionTracker.SESSIONS_STORE).get("gym-a:ath-1|s1");
        assertThat(session.sets()).extracting(SessionRecord.StoredSet::performedAt)
                .containsExactlyInAnyOrder(START.toEpochMilli(), START.plus(Duration.ofMinutes(2)).toEpochMilli());
    }

    // --- first copy wins -------------------------------------------------------------------------

    @Test
    void anEventIdResentForAnotherSessionIsRefusedAndTheFirstCopyStands() {
        t.send(set("e1", "gym-a:ath-1", "s1", 0, SL, Side.LEFT, 8, 50, 8, null));
        assertRefused(set("e1", "gym-a:ath-1", "s2", 1, SL, Side.LEFT, 8, 50, 8, null),
                "eventId 'e1' was already used for different content (first in session 's1'); the first copy stands");
        assertRefused(set("e1", "gym-a:ath-1", "s1", 0, SL, Side.LEFT, 8, 55, 8, null), "already used for different content");
        assertRefused(completed("e1", "gym-a:ath-1", "s1", 5), "already used for different content");
        t.send(completed("c1", "gym-a:ath-1", "s1", 10));
        assertThat(t.latestBalances()).containsOnlyKeys("gym-a:ath-1|s1|" + SL);
        assertThat(t.latestBalances().values()).singleElement().extracting(SessionBalance::getLeftVolume).isEqualTo(400.0);
    }

    @Test
    void anExactRetryReceivedLaterCountsOnceSilently() {
        var set = set("e1", "gym-a:ath-1", "s1", 0, SL, Side.LEFT, 8, 50, 8, null);
        var done = completed("c1", "gym-a:ath-1", "s1", 10);
        t.send(set);
        t.send(done);
        var before = t.state();
        t.insightLog();
        t.latestBalances();
        t.driver.advanceWallClockTime(Duration.ofMinutes(3));
        t.send(TrainingEvent.newBuilder(set).setReceivedAt(set.getReceivedAt().plus(Duration.ofMinutes(3))).build());
        t.send(TrainingEvent.newBuilder(done).setReceivedAt(done.getReceivedAt().plus(Duration.ofMinutes(3))).build());
        assertThat(t.state()).isEqualTo(before);
        assertThat(t.insights.isEmpty()).isTrue();
        assertThat(t.balances.isEmpty()).isTrue();
        assertThat(t.deadLetterReasons()).isEmpty();
    }

    /** Sends {@code event} and checks it was refused with {@code reason} and changed nothing. */
    private void assertRefused(TrainingEvent event, String reason) {
        t.insightLog(); // drain what came before
        t.latestBalances();
        t.deadLetterReasons();
        var before = t.state();
        t.send(event);
        assertThat(t.state()).as("state after a refused event").isEqualTo(before);
        assertThat(t.insights.isEmpty()).as("no insight from a refused event").isTrue();
        assertThat(t.balances.isEmpty()).as("no balance from a refused event").isTrue();
        var dead = t.deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).headers().lastHeader("__streams.errors.message").value(), java.nio.charset.StandardCharsets.UTF_8))
                .contains(reason);
        assertThat(t.topics.events().valueSerde().deserializer().deserialize(Topics.EVENTS, dead.get(0).value())).isEqualTo(event);
    }

    private static TrainingEvent performedAt(TrainingEvent event, Instant at) {
        SetLogged set = SetLogged.newBuilder((SetLogged) event.getPayload()).setPerformedAt(at).build();
        return TrainingEvent.newBuilder(event).setPayload(set).build();
    }
}
