package io.thrustline.streams.rules;

import io.thrustline.schemas.RuleName;
import io.thrustline.seeds.Catalog;
import io.thrustline.seeds.Exercise;
import io.thrustline.seeds.RuleBook;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * PERSISTENT_IMBALANCE: the same side behind by at least the threshold in each of the athlete's last few
 * sessions of an exercise (this one included) is a real difference between the legs, not a bad day. Sessions with
 * too little on a side to compare are left out: they neither count towards the run nor break it.
 */
public final class PersistentImbalance implements SessionRule {

    private final Catalog catalog;
    private final RuleBook.PersistentImbalance settings;
    private final int baselineSessions;

    public PersistentImbalance(Catalog catalog, RuleBook.PersistentImbalance settings) {
        this(catalog, settings, 0);
    }

    /** @param baselineSessions how many earlier sessions the athlete's usual asymmetry is taken from */
    public PersistentImbalance(Catalog catalog, RuleBook.PersistentImbalance settings, int baselineSessions) {
        this.catalog = catalog;
        this.settings = settings;
        this.baselineSessions = baselineSessions;
    }

    @Override
    public RuleName name() {
        return RuleName.PERSISTENT_IMBALANCE;
    }

    @Override
    public List<Finding> judge(ClosedSession session) {
        var findings = new ArrayList<Finding>();
        for (Balance balance : session.balances()) {
            if (balance.bothSidesLogged() && !balance.insufficientData()) {
                List<PriorBalance> earlier = session.history().before(balance, Math.max(earlierSessionsNeeded(), baselineSessions));
                evaluate(balance, earlier.subList(0, Math.min(earlier.size(), earlierSessionsNeeded())),
                        earlier.subList(0, Math.min(earlier.size(), baselineSessions))).ifPresent(findings::add);
            }
        }
        return findings;
    }

    /** How many earlier sessions the rule needs besides the current one. */
    public int earlierSessionsNeeded() {
        return settings.sessions() - 1;
    }

    /**
     * @param current this session's balance, both sides logged
     * @param earlier the athlete's earlier sessions of the same exercise (both sides logged), newest first
     */
    public Optional<Finding> evaluate(Balance current, List<PriorBalance> earlier) {
        return evaluate(current, earlier, List.of());
    }

    /** @param forBaseline the athlete's earlier sessions the usual asymmetry ({@code baselinePct}) is taken from */
    public Optional<Finding> evaluate(Balance current, List<PriorBalance> earlier, List<PriorBalance> forBaseline) {
        if (!current.bothSidesLogged() || current.insufficientData() || current.weakerSide() == null || earlier.size() < earlierSessionsNeeded()) {
            return Optional.empty();
        }
        var run = new ArrayList<PriorBalance>();
        run.add(new PriorBalance(current.sessionId(), current.startedAt(), current.asymmetryPct(), current.weakerSide()));
        run.addAll(earlier.subList(0, earlierSessionsNeeded()));
        boolean persistent = run.stream().allMatch(b -> b.weakerSide() == current.weakerSide() && b.asymmetryPct() >= settings.minPct());
        if (!persistent) {
            return Optional.empty();
        }
        Exercise exercise = catalog.require(current.exercise());
        Side weaker = current.weakerSide();
        String history = run.reversed().stream().map(b -> Percent.format(b.asymmetryPct()) + "%").collect(Collectors.joining(", "));
        String regression = exercise.regressions().isEmpty() ? ""
                : " If the " + Wording.side(weaker) + " side's form breaks down, step back to "
                        + Wording.name(catalog.require(exercise.regressions().get(0))) + " on that leg and build up again.";
        return Optional.of(new Finding(RuleName.PERSISTENT_IMBALANCE, Severity.ALERT, current.athleteId(), current.sessionId(),
                current.exercise(), weaker, current.startedAt(),
                metrics(current, run, forBaseline),
                "The " + Wording.side(weaker) + " leg has been behind on " + Wording.name(exercise) + " by "
                        + Percent.format(settings.minPct()) + "% or more in each of the last " + run.size() + " sessions (" + history + ")."
                        + Baseline.sentence(Baseline.of(forBaseline), forBaseline.size()),
                "Treat this as a real difference between the legs, not a bad day: lead with the " + Wording.side(weaker)
                        + " leg and add one extra set on that side each session until the gap closes." + regression,
                null));
    }

    private static Map<String, Double> metrics(Balance current, List<PriorBalance> run, List<PriorBalance> forBaseline) {
        var metrics = new HashMap<String, Double>(Map.of("asymmetryPct", current.asymmetryPct(), "sessions", (double) run.size(),
                "minAsymmetryPct", run.stream().mapToDouble(PriorBalance::asymmetryPct).min().orElse(0)));
        Baseline.of(forBaseline).ifPresent(pct -> metrics.put("baselinePct", pct));
        return metrics;
    }
}
