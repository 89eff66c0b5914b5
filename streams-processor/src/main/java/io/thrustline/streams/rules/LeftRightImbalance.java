package io.thrustline.streams.rules;

import io.thrustline.seeds.Catalog;
import io.thrustline.seeds.Exercise;
import io.thrustline.seeds.RuleBook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * LEFT_RIGHT_IMBALANCE and UNILATERAL_SIDE_MISSING, judged at session close for every unilateral exercise
 * of the session: one {@link Balance} each, an insight when the weaker side falls behind by the warning or
 * alert threshold, and an INFO when only one side was logged.
 */
public final class LeftRightImbalance {

    /** Everything one session's sides produced. */
    public record Outcome(List<Balance> balances, List<Finding> findings) {}

    private final Catalog catalog;
    private final RuleBook.LeftRightImbalance thresholds;

    public LeftRightImbalance(Catalog catalog, RuleBook.LeftRightImbalance thresholds) {
        this.catalog = catalog;
        this.thresholds = thresholds;
    }

    public Outcome evaluate(List<LoggedSet> sessionSets) {
        Map<String, List<LoggedSet>> byExercise = new TreeMap<>(); // sorted: output order never depends on arrival
        for (LoggedSet set : sessionSets) {
            boolean unilateral = catalog.find(set.exercise()).map(Exercise::isUnilateral).orElse(false);
            if (unilateral && set.side() != Side.BOTH) {
                byExercise.computeIfAbsent(set.exercise(), k -> new ArrayList<>()).add(set);
            }
        }
        var balances = new ArrayList<Balance>();
        var findings = new ArrayList<Finding>();
        byExercise.forEach((code, sets) -> {
            Balance balance = balance(sets);
            balances.add(balance);
            finding(balance, catalog.require(code)).ifPresent(findings::add);
        });
        return new Outcome(balances, findings);
    }

    private static Balance balance(List<LoggedSet> sets) {
        boolean loaded = sets.stream().anyMatch(s -> s.loadKg() > 0);
        double left = 0;
        double right = 0;
        int leftReps = 0;
        int rightReps = 0;
        Instant startedAt = Instant.MAX;
        for (LoggedSet s : sets) {
            double volume = loaded ? s.reps() * s.loadKg() : s.reps();
            if (s.side() == Side.LEFT) {
                left += volume;
                leftReps += s.reps();
            } else {
                right += volume;
                rightReps += s.reps();
            }
            startedAt = s.performedAt().isBefore(startedAt) ? s.performedAt() : startedAt;
        }
        double pct = Percent.asymmetry(left, right);
        Side weaker = pct == 0.0 ? null : (left < right ? Side.LEFT : Side.RIGHT);
        LoggedSet first = sets.get(0);
        return new Balance(first.athleteId(), first.sessionId(), first.exercise(), startedAt,
                left, right, leftReps, rightReps, pct, weaker, loaded);
    }

    private Optional<Finding> finding(Balance b, Exercise exercise) {
        if (!b.bothSidesLogged()) {
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
        return Optional.of(new Finding(RuleName.LEFT_RIGHT_IMBALANCE, severity, b.athleteId(), b.sessionId(), b.exercise(), weaker,
                b.startedAt(),
                Map.of("asymmetryPct", b.asymmetryPct(), "leftVolume", b.leftVolume(), "rightVolume", b.rightVolume(),
                        "leftReps", (double) b.leftReps(), "rightReps", (double) b.rightReps()),
                message, advice, null));
    }
}
