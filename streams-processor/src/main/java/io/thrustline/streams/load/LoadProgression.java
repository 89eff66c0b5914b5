package io.thrustline.streams.load;

import io.thrustline.schemas.Insight;
import io.thrustline.streams.EventMapping;
import io.thrustline.streams.Retention;
import io.thrustline.streams.rules.Finding;
import io.thrustline.streams.rules.LoggedSet;
import io.thrustline.streams.rules.Rules;
import io.thrustline.streams.rules.SetRule;
import io.thrustline.streams.rules.SideSet;
import io.thrustline.streams.sessions.SessionEvent;
import io.thrustline.streams.sessions.SessionEvent.SetAccepted;
import io.thrustline.streams.state.StateStores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Judges each accepted set with every {@link SetRule} against the set before it on the same exercise and side, by
 * performedAt and across sessions. A set that arrived late sits before one already judged: that one is judged
 * again, against this set, and its finding withdrawn if it no longer holds.
 */
public final class LoadProgression implements Processor<String, SessionEvent, String, Insight> {

    public static final String LOAD_HISTORY_STORE = "load-history";

    private final Rules registered;
    private final List<SetRule> rules;
    private final int setsKept;
    private ProcessorContext<String, Insight> context;
    private KeyValueStore<String, LoadHistory> history;

    LoadProgression(Rules rules, Retention retention) {
        this.rules = rules.perSet();
        this.registered = rules;
        this.setsKept = retention.loadHistorySets();
    }

    public static ProcessorSupplier<String, SessionEvent, String, Insight> supplier(Rules rules, Retention retention) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SessionEvent, String, Insight> get() {
                return new LoadProgression(rules, retention);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(StateStores.cached(LOAD_HISTORY_STORE, LoadHistory.serde()));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, Insight> context) {
        this.context = context;
        this.history = context.getStateStore(LOAD_HISTORY_STORE);
    }

    @Override
    public void process(Record<String, SessionEvent> record) {
        // A warm-up set is neither judged nor kept: the next working set is judged against the last working one.
        if (record.value() instanceof SetAccepted(LoggedSet set) && set.isWork() && registered.anySetRuleApplies(set.exercise())) {
            judge(set, record.timestamp());
        }
    }

    private void judge(LoggedSet set, long timestamp) {
        SideSet current = new SideSet(set.eventId(), set.athleteId(), set.sessionId(), set.exercise(), set.side(), set.performedAt(),
                set.loadKg(), set.reps(), set.controlledReps());
        String key = set.athleteId() + "|" + set.exercise();
        LoadHistory stored = history.get(key);
        LoadHistory before = stored == null ? LoadHistory.EMPTY : stored;
        List<LoadHistory.Entry> entries = new ArrayList<>(before.entries());
        long performedAt = set.performedAt().toEpochMilli();
        int at = before.insertionPoint(set.side(), performedAt, set.eventId());
        LoadHistory.Entry previous = at > 0 && entries.get(at - 1).side() == set.side() ? entries.get(at - 1) : null;
        LoadHistory.Entry next = at < entries.size() && entries.get(at).side() == set.side() ? entries.get(at) : null;

        int flags = 0;
        for (int r = 0; r < rules.size(); r++) {
            SetRule rule = rules.get(r);
            if (!rule.applies(set.exercise())) {
                continue;
            }
            Optional<Finding> finding = previous == null ? Optional.empty() : rule.evaluate(sideSet(previous, current), current);
            if (finding.isPresent()) {
                forward(EventMapping.toInsight(finding.get(), registered.ruleBook()), timestamp);
                flags |= 1 << r;
            }
            if (next != null) { // this set arrived late: judge the one after it again, against this set
                SideSet successor = sideSet(next, current);
                Optional<Finding> again = rule.evaluate(current, successor);
                if (again.isPresent()) {
                    forward(EventMapping.toInsight(again.get(), registered.ruleBook()), timestamp);
                } else if (next.flagged(r)) {
                    forward(EventMapping.toWithdrawal(rule.withdrawn(successor), registered.ruleBook()), timestamp);
                }
                next = next.withFlag(r, again.isPresent());
            }
        }
        if (next != null) {
            entries.set(at, next);
        }
        entries.add(at, new LoadHistory.Entry(set.side(), set.eventId(), set.sessionId(), performedAt, set.loadKg(), set.reps(),
                set.controlledReps(), flags));
        if (entries.stream().filter(e -> e.side() == set.side()).count() > setsKept) {
            entries.remove(firstOf(entries, set.side())); // the side's oldest set falls out
        }
        history.put(key, new LoadHistory(entries));
    }

    private static int firstOf(List<LoadHistory.Entry> entries, io.thrustline.streams.rules.Side side) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).side() == side) {
                return i;
            }
        }
        throw new IllegalStateException("no entry on side " + side);
    }

    /** A kept entry of the same athlete, exercise and side as {@code sameSeries}. */
    private static SideSet sideSet(LoadHistory.Entry e, SideSet sameSeries) {
        return new SideSet(e.eventId(), sameSeries.athleteId(), e.sessionId(), sameSeries.exercise(), sameSeries.side(),
                Instant.ofEpochMilli(e.performedAt()), e.loadKg(), e.reps(), e.controlledReps());
    }

    private void forward(Insight insight, long timestamp) {
        context.forward(new Record<>(insight.getAthleteId(), insight, timestamp));
    }
}
