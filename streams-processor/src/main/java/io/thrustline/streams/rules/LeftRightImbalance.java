package io.thrustline.streams.rules;

import io.thrustline.schemas.RuleName;
import io.thrustline.seeds.Catalog;
import io.thrustline.seeds.Exercise;
import io.thrustline.seeds.RuleBook;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * LEFT_RIGHT_IMBALANCE, judged at session close for every unilateral exercise trained on both sides: an
 * insight when the weaker side falls behind by the warning or alert threshold, and each side did enough working
 * sets and reps to compare. The insight carries the athlete's usual asymmetry ({@code baselinePct}) when known. An exercise trained on one side
 * only is {@link UnilateralSideMissing}'s.
 */
public final class LeftRightImbalance implements SessionRule {

    private final Catalog catalog;
    private final RuleBook.LeftRightImbalance thresholds;

    public LeftRightImbalance(Catalog catalog, RuleBook.LeftRightImbalance thresholds) {
        this.catalog = catalog;
        this.thresholds = thresholds;
    }

    @Override
    public RuleName name() {
        return RuleName.LEFT_RIGHT_IMBALANCE;
    }

    @Override
    public List<Finding> judge(ClosedSession session) {
        return session.balances().stream().map(b -> evaluate(b, session.history().before(b, thresholds.baselineSessions())))
                .flatMap(Optional::stream).toList();
    }

    /** The finding for one exercise's balance with no earlier sessions known. */
    public Optional<Finding> evaluate(Balance b) {
        return evaluate(b, List.of());
    }

    /**
     * The finding for one exercise's balance, if its sides differ by a threshold or more and each side did enough
     * to compare. {@code earlier}: the athlete's earlier sessions of the exercise with enough evidence, newest first.
     */
    public Optional<Finding> evaluate(Balance b, List<PriorBalance> earlier) {
        if (!b.bothSidesLogged() || b.insufficientData()) {
            return Optional.empty();
        }
        Exercise exercise = catalog.require(b.exercise());
        Severity severity;
        if (b.asymmetryPct() >= thresholds.alertPct()) {
            severity = Severity.ALERT;
        } else if (b.asymmetryPct() >= thresholds.warningPct()) {
            severity = Severity.WARNING;
        } else {
            return Optional.empty();
        }
        Side weaker = b.weakerSide();
        String unit = b.loaded() ? " kg" : " reps";
        String message = "The " + Wording.side(weaker) + " leg did " + Percent.format(b.asymmetryPct()) + "% less "
                + (b.loaded() ? "volume (reps x kg)" : "work (reps)") + " than the " + Wording.side(weaker.opposite())
                + " on " + Wording.name(exercise) + ": left " + Percent.amount(b.leftVolume()) + unit
                + ", right " + Percent.amount(b.rightVolume()) + unit + ".";
        String mistake = Wording.firstMistake(exercise);
        String advice = "Start each round with the " + Wording.side(weaker) + " leg and let it set the reps and load for both sides"
                + " until they match." + (mistake.isEmpty() ? "" : " Watch for " + Wording.lowerFirst(mistake));
        var metrics = new HashMap<String, Double>(Map.of("asymmetryPct", b.asymmetryPct(), "leftVolume", b.leftVolume(),
                "rightVolume", b.rightVolume(), "leftReps", (double) b.leftReps(), "rightReps", (double) b.rightReps()));
        OptionalDouble baseline = Baseline.of(earlier);
        baseline.ifPresent(pct -> metrics.put("baselinePct", pct));
        return Optional.of(new Finding(RuleName.LEFT_RIGHT_IMBALANCE, severity, b.athleteId(), b.sessionId(), b.exercise(), weaker,
                b.startedAt(), metrics, message + Baseline.sentence(baseline, earlier.size()), advice, null));
    }
}
