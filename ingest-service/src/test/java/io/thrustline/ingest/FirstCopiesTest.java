package io.thrustline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.schemas.SessionCompleted;
import io.thrustline.schemas.TrainingEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirstCopiesTest {

    private static TrainingEvent completion(String athlete, String eventId, String completedAt, String receivedAt) {
        return TrainingEvent.newBuilder().setEventId(eventId).setAthleteId(athlete).setSource("gym-a")
                .setReceivedAt(Instant.parse(receivedAt))
                .setPayload(SessionCompleted.newBuilder().setSessionId("s1").setCompletedAt(Instant.parse(completedAt)).build()).build();
    }

    @Test
    void aRetryWithTheSameContentIsFineAndDifferentContentIsAConflict() {
        var copies = new FirstCopies(10);
        copies.accepted(FirstCopies.Fingerprints.of(List.of(completion("gym-a:ath-1", "e1", "2026-11-21T10:00:00Z", "2026-11-21T10:00:01Z"))));
        assertThat(copies.conflicts(FirstCopies.Fingerprints.of(List.of(completion("gym-a:ath-1", "e1", "2026-11-21T10:00:00Z", "2026-11-21T10:05:00Z")))))
                .as("a retry arrives later; only what the sender said counts").isEmpty();
        assertThat(copies.conflicts(FirstCopies.Fingerprints.of(List.of(completion("gym-a:ath-1", "e1", "2026-11-21T11:00:00Z", "2026-11-21T10:05:00Z")))))
                .containsExactly("e1");
        assertThat(copies.conflicts(FirstCopies.Fingerprints.of(List.of(completion("gym-b:ath-1", "e1", "2026-11-21T11:00:00Z", "2026-11-21T10:05:00Z")))))
                .as("another tenant's athlete is another athlete").isEmpty();
    }

    @Test
    void twoCopiesInOneRequestConflictWhenTheyDiffer() {
        var copies = new FirstCopies(10);
        var first = completion("gym-a:ath-1", "e1", "2026-11-21T10:00:00Z", "2026-11-21T10:00:01Z");
        assertThat(copies.conflicts(FirstCopies.Fingerprints.of(List.of(first, first)))).isEmpty();
        assertThat(copies.conflicts(FirstCopies.Fingerprints.of(List.of(first, completion("gym-a:ath-1", "e1", "2026-11-21T12:00:00Z", "2026-11-21T10:00:01Z")))))
                .containsExactly("e1");
    }

    @Test
    void onlyTheNewestEventsAreRemembered() {
        var copies = new FirstCopies(2);
        copies.accepted(FirstCopies.Fingerprints.of(List.of(completion("gym-a:ath-1", "e1", "2026-11-21T10:00:00Z", "2026-11-21T10:00:01Z"))));
        copies.accepted(FirstCopies.Fingerprints.of(List.of(completion("gym-a:ath-1", "e2", "2026-11-21T10:00:00Z", "2026-11-21T10:00:01Z"))));
        copies.accepted(FirstCopies.Fingerprints.of(List.of(completion("gym-a:ath-1", "e3", "2026-11-21T10:00:00Z", "2026-11-21T10:00:01Z"))));
        assertThat(copies.conflicts(FirstCopies.Fingerprints.of(List.of(completion("gym-a:ath-1", "e1", "2026-11-21T12:00:00Z", "2026-11-21T10:00:01Z"))))).isEmpty();
        assertThat(copies.conflicts(FirstCopies.Fingerprints.of(List.of(completion("gym-a:ath-1", "e3", "2026-11-21T12:00:00Z", "2026-11-21T10:00:01Z"))))).containsExactly("e3");
    }
}
