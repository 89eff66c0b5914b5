package io.thrustline.streams.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Left against right for one unilateral exercise in one session. Volume is reps x kg when any set of the
 * exercise in the session carried load, otherwise reps. {@code weakerSide} is null when both sides are
 * equal; when one side was not logged at all its volume and reps are 0 and it is the weaker side.
 * {@code insufficientData}: either side had fewer working sets or reps than a comparison needs.
 */
public record Balance(
        String athleteId,
        String sessionId,
        String exercise,
        Instant startedAt,
        double leftVolume,
        double rightVolume,
        int leftReps,
        int rightReps,
        double asymmetryPct,
        Side weakerSide,
        boolean loaded,
        int leftSets,
        int rightSets,
        boolean insufficientData) {

    /** The session's date: the UTC day of its earliest set. */
    public LocalDate sessionDate() {
        return LocalDate.ofInstant(startedAt, ZoneOffset.UTC);
    }

    public boolean bothSidesLogged() {
        return leftReps > 0 && rightReps > 0;
    }
}
