package io.thrustline.streams.rules;

import java.time.Instant;
import java.util.List;

/** Builds sets for rule tests: minutes after a fixed start, ids in creation order. */
final class SetsForTests {

    static final Instant START = Instant.parse("2026-11-21T07:30:00Z");
    private int nextId;
    private final String athleteId;
    private final String sessionId;

    SetsForTests(String athleteId, String sessionId) {
        this.athleteId = athleteId;
        this.sessionId = sessionId;
    }

    LoggedSet set(int minute, String exercise, Side side, int reps, double loadKg) {
        return set(minute, exercise, side, reps, loadKg, null, null);
    }

    LoggedSet set(int minute, String exercise, Side side, int reps, double loadKg, Integer controlledReps, List<RepDetail> details) {
        return new LoggedSet("evt-" + sessionId + "-" + (nextId++), athleteId, sessionId, START.plusSeconds(60L * minute), exercise, side,
                reps, loadKg, controlledReps, details);
    }
}
