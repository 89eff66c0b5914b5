package io.thrustline.streams.judging;

import io.thrustline.schemas.Insight;
import io.thrustline.seeds.Catalog;
import io.thrustline.seeds.RuleBook;
import io.thrustline.seeds.Seeds;
import io.thrustline.streams.EventMapping;
import io.thrustline.streams.Retention;
import io.thrustline.streams.rules.Balance;
import io.thrustline.streams.rules.ClosedSession;
import io.thrustline.streams.rules.Finding;
import io.thrustline.streams.rules.Rules;
import io.thrustline.streams.rules.SessionRule;
import io.thrustline.streams.sessions.SessionEvent;
import io.thrustline.streams.sessions.SessionEvent.SessionClosed;
import io.thrustline.streams.sessions.SessionEvent.SessionForgotten;
import io.thrustline.streams.sessions.StoreKeys;
import io.thrustline.streams.state.StateStores;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Judges a session when it closes: every {@link SessionRule}, over all its sets (at most 300), with the athlete's
 * earlier balances. Sends one balance per unilateral exercise and one insight per finding; a later close of the
 * same session replaces its results under the same ids and withdraws those that no longer apply.
 */
public final class SessionJudge implements Processor<String, SessionEvent, String, SpecificRecord> {

    public static final String BALANCE_HISTORY_STORE = "balance-history";
    public static final String VERDICTS_STORE = "session-verdicts";

    private final Catalog catalog;
    private final RuleBook.LeftRightImbalance evidence;
    private final List<SessionRule> rules;
    private final int ruleBook;
    private final int balancesKept;
    private final String insightsNode;
    private final String balancesNode;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, BalanceHistory> balanceHistory;
    private KeyValueStore<String, SessionVerdict> verdicts;

    SessionJudge(Seeds seeds, Rules rules, Retention retention, String insightsNode, String balancesNode) {
        this.catalog = seeds.catalog();
        this.evidence = seeds.rules().leftRightImbalance();
        this.rules = rules.atSessionClose();
        this.ruleBook = rules.ruleBook();
        this.balancesKept = retention.balancesPerExercise();
        this.insightsNode = insightsNode;
        this.balancesNode = balancesNode;
    }

    /** The processor with the stores it owns; it sends insights to {@code insightsNode} and balances to {@code balancesNode}. */
    public static ProcessorSupplier<String, SessionEvent, String, SpecificRecord> supplier(Seeds seeds, Rules rules, Retention retention,
            String insightsNode, String balancesNode) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SessionEvent, String, SpecificRecord> get() {
                return new SessionJudge(seeds, rules, retention, insightsNode, balancesNode);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(StateStores.cached(BALANCE_HISTORY_STORE, BalanceHistory.serde()),
                        StateStores.cached(VERDICTS_STORE, SessionVerdict.serde()));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.balanceHistory = context.getStateStore(BALANCE_HISTORY_STORE);
        this.verdicts = context.getStateStore(VERDICTS_STORE);
    }

    @Override
    public void process(Record<String, SessionEvent> record) {
        switch (record.value()) {
            case SessionClosed closed -> judge(closed, record.timestamp());
            case SessionForgotten forgotten -> verdicts.delete(StoreKeys.session(forgotten.athleteId(), forgotten.sessionId()));
            default -> { } // a single set is the load processor's
        }
    }

    private void judge(SessionClosed closed, long timestamp) {
        // Both imbalance rules ask for the same exercise's history: read and decode each record once per close.
        var histories = new HashMap<String, BalanceHistory>();
        ClosedSession session = ClosedSession.of(catalog, evidence, closed.sets(), (current, count) -> {
            BalanceHistory history = histories.computeIfAbsent(historyKey(current), key -> {
                BalanceHistory stored = balanceHistory.get(key);
                return stored == null ? BalanceHistory.EMPTY : stored;
            });
            return history.before(current, count);
        });
        var findings = new ArrayList<Finding>();
        for (SessionRule rule : rules) {
            findings.addAll(rule.judge(session)); // every rule sees the history as it was before this close
        }
        for (Balance balance : session.balances()) {
            context.forward(new Record<>(balance.athleteId(), EventMapping.toSessionBalance(balance, ruleBook), timestamp), balancesNode);
            if (balance.bothSidesLogged() && !balance.insufficientData()) {
                remember(balance); // a session with too little to compare neither counts in a run nor breaks it
            }
        }
        var raised = new ArrayList<SessionVerdict.Raised>();
        Set<String> ids = new HashSet<>();
        for (Finding finding : findings) {
            raised.add(SessionVerdict.Raised.of(finding));
            ids.add(finding.insightId());
            forward(EventMapping.toInsight(finding, ruleBook), timestamp);
        }
        String key = StoreKeys.session(closed.athleteId(), closed.sessionId());
        SessionVerdict before = verdicts.get(key);
        if (before != null) {
            for (SessionVerdict.Raised earlier : before.raised()) {
                Finding withdrawn = earlier.withdrawn(closed.athleteId(), closed.sessionId());
                if (!ids.contains(withdrawn.insightId())) {
                    forward(EventMapping.toWithdrawal(withdrawn, ruleBook), timestamp);
                }
            }
        }
        if (raised.isEmpty()) {
            if (before != null) {
                verdicts.delete(key);
            }
        } else {
            verdicts.put(key, new SessionVerdict(raised));
        }
    }

    private void remember(Balance balance) {
        String key = historyKey(balance);
        BalanceHistory history = balanceHistory.get(key);
        balanceHistory.put(key, (history == null ? BalanceHistory.EMPTY : history).with(balance, balancesKept));
    }

    private static String historyKey(Balance balance) {
        return balance.athleteId() + "|" + balance.exercise();
    }

    private void forward(Insight insight, long timestamp) {
        context.forward(new Record<>(insight.getAthleteId(), insight, timestamp), insightsNode);
    }
}
