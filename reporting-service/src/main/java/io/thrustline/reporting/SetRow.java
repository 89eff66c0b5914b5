package io.thrustline.reporting;

import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.TrainingEvent;
import java.time.Instant;

/** One row of the sets table, from a SetLogged event. */
public record SetRow(
        String eventId,
        String athleteId,
        String sessionId,
        Instant performedAt,
        String exercise,
        String side,
        int reps,
        double loadKg,
        Integer controlledReps,
        Double rpe,
        String notes,
        String source,
        Instant receivedAt,
        String setType) {

    static SetRow of(TrainingEvent event, SetLogged set) {
        return new SetRow(event.getEventId(), event.getAthleteId(), set.getSessionId(), set.getPerformedAt(), set.getExercise(),
                set.getSide() == null ? null : set.getSide().name(), set.getReps(), set.getLoadKg(), set.getControlledReps(),
                set.getRpe(), set.getNotes(), event.getSource(), event.getReceivedAt(), set.getSetType().name());
    }
}
