package io.thrustline.streams.rules;

import java.util.List;

/** Where the rules find an athlete's earlier session balances; backed by a state store in the topology. */
@FunctionalInterface
public interface EarlierBalances {
    /** Up to {@code count} sessions of the exercise that started before {@code current}, newest first. */
    List<PriorBalance> before(Balance current, int count);
}
