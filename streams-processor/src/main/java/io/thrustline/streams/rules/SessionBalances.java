package io.thrustline.streams.rules;

import io.thrustline.seeds.Catalog;
import io.thrustline.seeds.Exercise;
import io.thrustline.seeds.RuleBook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Left against right for every unilateral exercise of a session: one {@link Balance} each, in exercise order
 * so the output never depends on arrival. Volume is reps x kg when any set of the exercise carried load,
 * otherwise reps. Warm-up sets count for nothing. A balance with too few working sets or reps on a side to compare
 * says so ({@link Balance#insufficientData()}).
 */
public final class SessionBalances {

    private SessionBalances() {}

    public static List<Balance> of(Catalog catalog, RuleBook.LeftRightImbalance evidence, List<LoggedSet> sessionSets) {
        Map<String, List<LoggedSet>> byExercise = new TreeMap<>();
        for (LoggedSet set : sessionSets) {
            boolean unilateral = catalog.find(set.exercise()).map(Exercise::isUnilateral).orElse(false);
            if (unilateral && set.side() != Side.BOTH && set.isWork()) { // a warm-up set is no part of a side's work
                byExercise.computeIfAbsent(set.exercise(), k -> new ArrayList<>()).add(set);
            }
        }
        var balances = new ArrayList<Balance>();
        byExercise.values().forEach(sets -> balances.add(balance(sets, evidence)));
        return balances;
    }

    private static Balance balance(List<LoggedSet> sets, RuleBook.LeftRightImbalance evidence) {
        boolean loaded = sets.stream().anyMatch(s -> s.loadKg() > 0);
        double left = 0;
        double right = 0;
        int leftReps = 0;
        int rightReps = 0;
        int leftSets = 0;
        int rightSets = 0;
        Instant startedAt = Instant.MAX;
        for (LoggedSet s : sets) {
            double volume = loaded ? s.reps() * s.loadKg() : s.reps();
            if (s.side() == Side.LEFT) {
                left += volume;
                leftReps += s.reps();
                leftSets++;
            } else {
                right += volume;
                rightReps += s.reps();
                rightSets++;
            }
            startedAt = s.performedAt().isBefore(startedAt) ? s.performedAt() : startedAt;
        }
        double pct = Percent.asymmetry(left, right);
        Side weaker = pct == 0.0 ? null : (left < right ? Side.LEFT : Side.RIGHT);
        LoggedSet first = sets.get(0);
        boolean insufficient = Math.min(leftSets, rightSets) < evidence.minSetsPerSide() || Math.min(leftReps, rightReps) < evidence.minRepsPerSide();
        return new Balance(first.athleteId(), first.sessionId(), first.exercise(), startedAt,
                left, right, leftReps, rightReps, pct, weaker, loaded, leftSets, rightSets, insufficient);
    }
}
