package io.thrustline.streams.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thrustline.schemas.RepDetail;
import io.thrustline.schemas.SessionCompleted;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.Side;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.seeds.Seeds;
import io.thrustline.streams.InvalidEventException;
import io.thrustline.streams.ProcessorFixture;
import io.thrustline.streams.Retention;
import io.thrustline.streams.rules.LoggedSet;
import io.thrustline.streams.sessions.SessionEvent.SessionClosed;
import io.thrustline.streams.sessions.SessionEvent.SessionForgotten;
import io.thrustline.streams.sessions.SessionEvent.SetAccepted;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session tracker alone: what it keeps and what it tells the processors after it. */
class SessionTrackerTest {

    private static final Instant START = Instant.parse("2026-11-21T07:30:00Z");
    private static final String ATHLETE = "gym-a:ath-1";
    private static final String SL = "barbell_single_leg_hip_thrust";
    private final ProcessorFixture<String, TrainingEvent, String, SessionEvent> tracker =
            new ProcessorFixture<>(SessionTracker.supplier(Seeds.loadBuiltIn(), Retention.defaults()), START.toEpochMilli());

    @AfterEach
    void close() {
        tracker.close();
    }

    @Test
    void aNewSetIsKeptAndPassedOnWithItsControlWorkedOutFromTheRepDetails() {
        var slowAndLevel = new RepDetail(3.0, 1.0, true);
        var dropped = new RepDetail(3.0, 1.0, false);
        send(set("l1", "s1", 0, Side.LEFT, 3, 50, null, List.of(slowAndLevel, slowAndLevel, dropped)));

        LoggedSet passedOn = ((SetAccepted) tracker.takeForwarded(null).getFirst()).set();
        assertThat(passedOn.controlledReps()).isEqualTo(2);
        assertThat(passedOn.repDetails()).isNull();
        SessionRecord session = tracker.<SessionRecord>store(SessionTracker.SESSIONS_STORE).get(ATHLETE + "|s1");
        assertThat(session.sets()).singleElement().satisfies(s -> {
            assertThat(s.eventId()).isEqualTo("l1");
            assertThat(s.controlledReps()).isEqualTo(2);
            assertThat(s.loadKg()).isEqualTo(50.0);
        });
        assertThat(session.closed()).isFalse();
    }

    @Test
    void aRetryReceivedLaterIsDroppedWithoutATrace() {
        TrainingEvent first = set("l1", "s1", 0, Side.LEFT, 8, 50, 8, null);
        send(first);
        tracker.resetForwards();
        var stored = tracker.store(SessionTracker.SESSIONS_STORE).get(ATHLETE + "|s1");
        send(TrainingEvent.newBuilder(first).setReceivedAt(first.getReceivedAt().plusSeconds(90)).build());
        assertThat(tracker.takeForwarded(null)).isEmpty();
        assertThat(tracker.store(SessionTracker.SESSIONS_STORE).get(ATHLETE + "|s1")).isEqualTo(stored);
    }

    @Test
    void anIdReusedInAnotherSessionIsRefusedNamingTheFirstSession() {
        send(set("e1", "s1", 0, Side.LEFT, 8, 50, 8, null));
        assertThatThrownBy(() -> send(set("e1", "s2", 1, Side.LEFT, 8, 50, 8, null)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("first in session 's1'");
        assertThat(tracker.store(SessionTracker.SESSIONS_STORE).get(ATHLETE + "|s2")).isNull();
    }

    @Test
    void aCompletionPassesOnEverySetOfTheSessionInEventIdOrder() {
        send(set("r2", "s1", 2, Side.RIGHT, 8, 50, 8, null));
        send(set("l1", "s1", 0, Side.LEFT, 8, 50, 8, null));
        tracker.resetForwards();
        send(completed("c1", "s1", 5));
        SessionClosed closed = (SessionClosed) tracker.takeForwarded(null).getFirst();
        assertThat(closed.sessionId()).isEqualTo("s1");
        assertThat(closed.sets()).extracting(LoggedSet::eventId).containsExactly("l1", "r2");
        assertThat(tracker.<SessionRecord>store(SessionTracker.SESSIONS_STORE).get(ATHLETE + "|s1").closed()).isTrue();
    }

    @Test
    void aQuietSessionIsClosedAndASessionWithoutSetsForgottenWhenTheirTimeComes() {
        send(set("l1", "s1", 0, Side.LEFT, 8, 50, 8, null));
        send(completed("c9", "s2", 0));
        tracker.resetForwards();
        tracker.punctuateAt(START.plus(Duration.ofMinutes(119)).toEpochMilli());
        assertThat(tracker.takeForwarded(null)).isEmpty();
        tracker.punctuateAt(START.plus(Duration.ofMinutes(121)).toEpochMilli());
        assertThat(tracker.takeForwarded(null)).containsExactlyInAnyOrder(
                new SessionClosed(ATHLETE, "s1", List.of(new LoggedSet("l1", ATHLETE, "s1", START, SL, io.thrustline.streams.rules.Side.LEFT,
                        8, 50.0, 8, null))),
                new SessionForgotten(ATHLETE, "s2"));
        assertThat(tracker.keys(SessionTracker.SESSIONS_STORE)).containsExactly(ATHLETE + "|s1");
    }

    private void send(TrainingEvent event) {
        tracker.process(event.getAthleteId(), event, event.getReceivedAt().toEpochMilli());
    }

    private static TrainingEvent set(String id, String session, int minute, Side side, int reps, double kg, Integer controlled,
            List<RepDetail> details) {
        Instant at = START.plusSeconds(60L * minute);
        return TrainingEvent.newBuilder().setEventId(id).setAthleteId(ATHLETE).setSource("gym-a").setReceivedAt(at)
                .setPayload(SetLogged.newBuilder().setSessionId(session).setPerformedAt(at).setExercise(SL).setSide(side).setReps(reps)
                        .setLoadKg(kg).setControlledReps(controlled).setRepDetails(details).build())
                .build();
    }

    private static TrainingEvent completed(String id, String session, int minute) {
        Instant at = START.plusSeconds(60L * minute);
        return TrainingEvent.newBuilder().setEventId(id).setAthleteId(ATHLETE).setSource("gym-a").setReceivedAt(at)
                .setPayload(SessionCompleted.newBuilder().setSessionId(session).setCompletedAt(at).build()).build();
    }
}
