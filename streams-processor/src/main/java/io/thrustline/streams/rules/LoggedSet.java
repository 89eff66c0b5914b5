package io.thrustline.streams.rules;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * One logged set, as the rules see it. {@code controlledReps} and {@code repDetails} may be null (unknown); a set
 * logged without a type is a WORKING set.
 */
public record LoggedSet(
        String eventId,
        String athleteId,
        String sessionId,
        Instant performedAt,
        String exercise,
        Side side,
        int reps,
        double loadKg,
        Integer controlledReps,
        List<RepDetail> repDetails,
        SetType setType) {

    /** Event-time order; the event id breaks ties so the order never depends on arrival. */
    public static final Comparator<LoggedSet> BY_PERFORMED_AT =
            Comparator.comparing(LoggedSet::performedAt).thenComparing(LoggedSet::eventId);

    public LoggedSet {
        repDetails = repDetails == null ? null : List.copyOf(repDetails);
        setType = setType == null ? SetType.WORKING : setType;
    }

    /** A working set. */
    public LoggedSet(String eventId, String athleteId, String sessionId, Instant performedAt, String exercise, Side side, int reps,
            double loadKg, Integer controlledReps, List<RepDetail> repDetails) {
        this(eventId, athleteId, sessionId, performedAt, exercise, side, reps, loadKg, controlledReps, repDetails, SetType.WORKING);
    }

    public boolean isWork() {
        return setType.isWork();
    }

    public boolean isUnloaded() {
        return loadKg == 0.0;
    }
}
