package io.thrustline.streams.rules;

import io.thrustline.seeds.Catalog;
import io.thrustline.seeds.RuleBook;
import java.util.List;

/**
 * A session as the session rules see it when it closes: its sets (in any order; a set's control already resolved
 * into {@code controlledReps}, so {@code repDetails} is absent), the left/right balance of each unilateral
 * exercise, and where to find the athlete's earlier balances.
 */
public record ClosedSession(List<LoggedSet> sets, List<Balance> balances, EarlierBalances history) {

    public ClosedSession {
        sets = List.copyOf(sets);
        balances = List.copyOf(balances);
    }

    public static ClosedSession of(Catalog catalog, RuleBook.LeftRightImbalance evidence, List<LoggedSet> sets, EarlierBalances history) {
        return new ClosedSession(sets, SessionBalances.of(catalog, evidence, sets), history);
    }
}
