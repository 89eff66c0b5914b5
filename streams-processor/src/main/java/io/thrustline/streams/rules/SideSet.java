package io.thrustline.streams.rules;

import java.time.Instant;

/**
 * A set as the load-progression rule sees it: one athlete, exercise and side. {@code controlledReps} is
 * null when control is unknown.
 */
public record SideSet(
        String eventId,
        String athleteId,
        String sessionId,
        String exercise,
        Side side,
        Instant performedAt,
        double loadKg,
        int reps,
        Integer controlledReps) {}
