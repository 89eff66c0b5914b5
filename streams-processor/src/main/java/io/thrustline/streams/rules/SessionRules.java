package io.thrustline.streams.rules;

import io.thrustline.seeds.Seeds;
import java.util.ArrayList;
import java.util.List;

/** Every rule judged when a session closes, run over all of the session's sets. */
public final class SessionRules {

    /** What closing a session produced. */
    public record Verdict(List<Finding> findings, List<Balance> balances) {}

    private final HingeBeforeBridge hingeBeforeBridge;
    private final LeftRightImbalance leftRightImbalance;
    private final PersistentImbalance persistentImbalance;

    public SessionRules(Seeds seeds) {
        this.hingeBeforeBridge = new HingeBeforeBridge(seeds.catalog());
        this.leftRightImbalance = new LeftRightImbalance(seeds.catalog(), seeds.rules().leftRightImbalance());
        this.persistentImbalance = new PersistentImbalance(seeds.catalog(), seeds.rules().persistentImbalance());
    }

    public Verdict atClose(List<LoggedSet> sessionSets, BalanceHistory history) {
        var findings = new ArrayList<Finding>();
        var sides = leftRightImbalance.evaluate(sessionSets);
        findings.addAll(sides.findings());
        for (Balance balance : sides.balances()) {
            if (balance.bothSidesLogged()) {
                persistentImbalance.evaluate(balance, history.before(balance, persistentImbalance.earlierSessionsNeeded()))
                        .ifPresent(findings::add);
            }
        }
        hingeBeforeBridge.evaluate(sessionSets).ifPresent(findings::add);
        return new Verdict(findings, sides.balances());
    }
}
