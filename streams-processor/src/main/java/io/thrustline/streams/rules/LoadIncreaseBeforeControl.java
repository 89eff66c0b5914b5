package io.thrustline.streams.rules;

import io.thrustline.schemas.RuleName;
import io.thrustline.seeds.Catalog;
import io.thrustline.seeds.Exercise;
import io.thrustline.seeds.MovementPattern;
import io.thrustline.seeds.RuleBook;
import java.util.Map;
import java.util.Optional;

/**
 * LOAD_INCREASE_BEFORE_CONTROL: for hip thrusts and bridges, load goes up only after a set in which every
 * rep was controlled. A set is judged against the set before it on the same exercise and side, by
 * performedAt and across sessions; when the previous set's control is unknown nothing is raised.
 */
public final class LoadIncreaseBeforeControl implements SetRule {

    private final Catalog catalog;
    private final RuleBook.ControlledRep controlledRep;

    public LoadIncreaseBeforeControl(Catalog catalog, RuleBook rules) {
        this.catalog = catalog;
        this.controlledRep = rules.controlledRep();
    }

    @Override
    public RuleName name() {
        return RuleName.LOAD_INCREASE_BEFORE_CONTROL;
    }

    @Override
    public boolean applies(String exerciseCode) {
        return catalog.find(exerciseCode)
                .map(e -> e.pattern() == MovementPattern.HIP_THRUST || e.pattern() == MovementPattern.BRIDGE)
                .orElse(false);
    }

    @Override
    public Optional<Finding> evaluate(SideSet previous, SideSet current) {
        if (!applies(current.exercise()) || !(current.loadKg() > previous.loadKg()) || previous.controlledReps() == null
                || previous.controlledReps() >= previous.reps()) {
            return Optional.empty();
        }
        Exercise exercise = catalog.require(current.exercise());
        String side = current.side() == Side.BOTH ? "" : Wording.side(current.side()) + " ";
        String message = "Load on " + side + Wording.name(exercise) + " went up from " + Percent.amount(previous.loadKg()) + " kg to "
                + Percent.amount(current.loadKg()) + " kg, but only " + previous.controlledReps() + " of " + previous.reps()
                + " reps of the set before were controlled.";
        String advice = "Stay at " + Percent.amount(previous.loadKg()) + " kg until every rep is lowered over at least "
                + Percent.amount(controlledRep.minEccentricSeconds()) + " s and held " + Percent.amount(controlledRep.minTopHoldSeconds())
                + " s at the top with the pelvis level; then add weight. " + Wording.firstCue(exercise);
        return Optional.of(new Finding(RuleName.LOAD_INCREASE_BEFORE_CONTROL, Severity.WARNING, current.athleteId(), current.sessionId(),
                current.exercise(), current.side(), current.performedAt(),
                Map.of("previousLoadKg", previous.loadKg(), "loadKg", current.loadKg(),
                        "previousControlledReps", (double) previous.controlledReps(), "previousReps", (double) previous.reps()),
                message, advice.trim(), current.eventId()));
    }

    @Override
    public Finding withdrawn(SideSet current) {
        return new Finding(RuleName.LOAD_INCREASE_BEFORE_CONTROL, Severity.WARNING, current.athleteId(), current.sessionId(),
                current.exercise(), current.side(), current.performedAt(), Map.of(),
                "Withdrawn: a set that arrived later changed which set came before this one.", "", current.eventId());
    }
}
