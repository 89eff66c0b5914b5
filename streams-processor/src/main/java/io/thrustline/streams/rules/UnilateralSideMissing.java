package io.thrustline.streams.rules;

import io.thrustline.schemas.RuleName;
import io.thrustline.seeds.Catalog;
import io.thrustline.seeds.Exercise;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * UNILATERAL_SIDE_MISSING: a unilateral exercise logged on one side only in a session cannot be compared,
 * which the coach should know (INFO), naming the side that is missing.
 */
public final class UnilateralSideMissing implements SessionRule {

    private final Catalog catalog;

    public UnilateralSideMissing(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public RuleName name() {
        return RuleName.UNILATERAL_SIDE_MISSING;
    }

    @Override
    public List<Finding> judge(ClosedSession session) {
        return session.balances().stream().map(this::evaluate).flatMap(Optional::stream).toList();
    }

    /** The finding for one exercise's balance, if only one side was logged. */
    public Optional<Finding> evaluate(Balance b) {
        if (b.bothSidesLogged()) {
            return Optional.empty();
        }
        Exercise exercise = catalog.require(b.exercise());
        Side missing = b.leftReps() == 0 ? Side.LEFT : Side.RIGHT;
        Side logged = missing.opposite();
        return Optional.of(new Finding(RuleName.UNILATERAL_SIDE_MISSING, Severity.INFO, b.athleteId(), b.sessionId(),
                b.exercise(), missing, b.startedAt(),
                Map.of("loggedVolume", logged == Side.LEFT ? b.leftVolume() : b.rightVolume(),
                        "loggedReps", (double) (logged == Side.LEFT ? b.leftReps() : b.rightReps())),
                "Only the " + Wording.side(logged) + " leg was logged for " + Wording.name(exercise)
                        + " in this session, so the two sides cannot be compared.",
                "Work the " + Wording.side(missing) + " leg for the same sets and reps before the session ends (or check that the device "
                        + "recorded it): single-leg work only shows a difference between the sides when both are done.",
                null));
    }
}
