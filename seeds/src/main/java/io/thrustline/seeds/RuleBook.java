package io.thrustline.seeds;

import java.time.Duration;

/**
 * Every rule threshold, as read from {@code rules.json}.
 *
 * @param version raised with every change of the book; stamped on every insight and balance judged by it
 */
public record RuleBook(
        int version,
        ControlledRep controlledRep,
        Sessions sessions,
        LeftRightImbalance leftRightImbalance,
        UnilateralSideMissing unilateralSideMissing,
        PersistentImbalance persistentImbalance,
        LoadIncreaseBeforeControl loadIncreaseBeforeControl,
        HingeBeforeBridge hingeBeforeBridge) {

    /** A rep is controlled when it is lowered slowly, held at the top, and the pelvis stays level. */
    public record ControlledRep(double minEccentricSeconds, double minTopHoldSeconds, boolean pelvisMustStayLevel, Citation source) {}

    /**
     * A session with no events for {@code inactivityMinutes} is closed by wall clock. A session spans at most
     * {@code maxSpanHours} from its earliest set to its latest, and holds at most {@code maxSetsPerSession}
     * sets: a set that would break either bound is refused, so one bogus set can neither move a session's date
     * nor make its state grow without end.
     */
    public record Sessions(int inactivityMinutes, int maxSpanHours, int maxSetsPerSession, Citation source) {
        public Duration inactivity() {
            return Duration.ofMinutes(inactivityMinutes);
        }

        public Duration maxSpan() {
            return Duration.ofHours(maxSpanHours);
        }
    }

    /**
     * The warning and alert bands, and the evidence a comparison needs: below {@code minSetsPerSide} working sets or
     * {@code minRepsPerSide} reps on either side a session's balance is recorded but raises nothing and stays out of
     * the persistent-imbalance streak. {@code baselineSessions}: how many earlier sessions with enough evidence the
     * athlete's own usual asymmetry (the median) is taken from.
     */
    public record LeftRightImbalance(double warningPct, double alertPct, int minSetsPerSide, int minRepsPerSide, int baselineSessions,
            Citation source) {}

    public record UnilateralSideMissing(Citation source) {}

    public record PersistentImbalance(double minPct, int sessions, Citation source) {}

    public record LoadIncreaseBeforeControl(Citation source) {}

    /** @param activation what the advice prescribes before the first hinge of the next session */
    public record HingeBeforeBridge(Activation activation, Citation source) {}

    /** {@code sets} sets of {@code minReps} to {@code maxReps} reps of a bodyweight bridge from the catalog. */
    public record Activation(String exercise, int sets, int minReps, int maxReps) {}
}
