package io.thrustline.streams;

import io.thrustline.schemas.Insight;
import io.thrustline.schemas.SessionCompleted;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.schemas.state.BalanceEntry;
import io.thrustline.schemas.state.LoadEntry;
import io.thrustline.schemas.state.LoadHistory;
import io.thrustline.schemas.state.SessionState;
import io.thrustline.seeds.Seeds;
import io.thrustline.streams.rules.Balance;
import io.thrustline.streams.rules.ControlledReps;
import io.thrustline.streams.rules.Finding;
import io.thrustline.streams.rules.LoadIncreaseBeforeControl;
import io.thrustline.streams.rules.LoggedSet;
import io.thrustline.streams.rules.PriorBalance;
import io.thrustline.streams.rules.SessionRules;
import io.thrustline.streams.rules.SideSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each athlete's sessions and set history and runs the rules. Input is keyed by athleteId, so one
 * task sees all of an athlete's events, in order, and every store key starts with the athlete: the
 * topology scales out by partitions without an athlete's state ever being split.
 *
 * <p>Load increases are judged as each set arrives, against its predecessor by performedAt; a late set
 * also makes its successor be judged again. Session rules are judged when the session closes: on
 * SessionCompleted, or by wall clock after the configured inactivity. A later close replaces the earlier
 * results under the same ids and withdraws those that no longer apply.
 */
final class TrainingProcessor implements Processor<String, TrainingEvent, String, SpecificRecord> {

    private static final Duration CLOSE_CHECK_EVERY = Duration.ofSeconds(30);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final EventMapping mapping;
    private final SessionRules sessionRules;
    private final LoadIncreaseBeforeControl loadRule;
    private final ControlledReps controlledReps;
    private final Duration inactivity;
    private final Retention retention;

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, SessionState> sessions;
    private KeyValueStore<String, TrainingEvent> sessionSets;
    private KeyValueStore<String, String> deadlines;
    private KeyValueStore<String, LoadHistory> loadHistory;
    private KeyValueStore<String, BalanceEntry> balanceHistory;

    TrainingProcessor(Seeds seeds, Retention retention) {
        this.mapping = new EventMapping(seeds.catalog());
        this.sessionRules = new SessionRules(seeds);
        this.loadRule = new LoadIncreaseBeforeControl(seeds.catalog(), seeds.rules());
        this.controlledReps = new ControlledReps(seeds.rules().controlledRep());
        this.inactivity = seeds.rules().sessions().inactivity();
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.sessions = context.getStateStore(RulesTopology.SESSIONS_STORE);
        this.sessionSets = context.getStateStore(RulesTopology.SESSION_SETS_STORE);
        this.deadlines = context.getStateStore(RulesTopology.SESSION_DEADLINES_STORE);
        this.loadHistory = context.getStateStore(RulesTopology.LOAD_HISTORY_STORE);
        this.balanceHistory = context.getStateStore(RulesTopology.BALANCE_HISTORY_STORE);
        context.schedule(CLOSE_CHECK_EVERY, PunctuationType.WALL_CLOCK_TIME, this::closeInactiveSessions);
        context.schedule(PURGE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::purgeExpired);
    }

    @Override
    public void process(Record<String, TrainingEvent> record) {
        TrainingEvent event = record.value();
        mapping.check(record.key(), event); // before any state changes, so a rejected event leaves none behind
        String sessionKey = StoreKeys.session(event.getAthleteId(), EventMapping.sessionId(event));
        String setKey = StoreKeys.sessionSet(sessionKey, event.getEventId());
        // A set is stored under its event id, so a retry or replay finds itself already there.
        if (event.getPayload() instanceof SetLogged && sessionSets.get(setKey) != null) {
            return;
        }
        long now = context.currentSystemTimeMs();
        SessionState stored = sessions.get(sessionKey);
        SessionState session = stored != null ? stored : SessionState.newBuilder()
                .setAthleteId(event.getAthleteId()).setSessionId(EventMapping.sessionId(event)).setClosed(false)
                .setCompletionEventIds(new ArrayList<>()).setLastActivityAt(Instant.ofEpochMilli(now)).setEmitted(new ArrayList<>()).build();
        if (session.getCompletionEventIds().contains(event.getEventId())) {
            return; // this completion was already counted
        }
        // Only an open, stored session has a deadline in the index.
        String oldDeadline = stored == null || stored.getClosed() ? null : StoreKeys.deadline(deadlineOf(stored), sessionKey);
        session.setLastActivityAt(Instant.ofEpochMilli(now));
        switch (event.getPayload()) {
            case SetLogged ignored -> {
                sessionSets.put(setKey, event);
                session.setClosed(false); // a late set re-opens a closed session until it closes again
                sessions.put(sessionKey, session);
                String newDeadline = StoreKeys.deadline(deadlineOf(session), sessionKey);
                if (!newDeadline.equals(oldDeadline)) {
                    if (oldDeadline != null) {
                        deadlines.delete(oldDeadline);
                    }
                    deadlines.put(newDeadline, "");
                }
                judgeLoad(EventMapping.toLoggedSet(event), record.timestamp());
            }
            case SessionCompleted ignored -> {
                if (oldDeadline != null) {
                    deadlines.delete(oldDeadline);
                }
                session.getCompletionEventIds().add(event.getEventId());
                close(session, record.timestamp());
            }
            default -> throw new InvalidEventException("unknown payload");
        }
    }

    /**
     * When the session closes for inactivity, rounded up to the minute: sets arriving within the same
     * minute leave the deadline index untouched, and the close is at most a minute late.
     */
    private long deadlineOf(SessionState session) {
        long exact = session.getLastActivityAt().toEpochMilli() + inactivity.toMillis();
        return Math.ceilDiv(exact, 60_000L) * 60_000L;
    }

    // --- session close ---------------------------------------------------------------------------

    private void close(SessionState session, long timestamp) {
        String sessionKey = StoreKeys.session(session.getAthleteId(), session.getSessionId());
        List<LoggedSet> sets = new ArrayList<>();
        try (var it = sessionSets.prefixScan(StoreKeys.setsOf(sessionKey), new StringSerializer())) {
            it.forEachRemaining(kv -> sets.add(EventMapping.toLoggedSet(kv.value)));
        }
        SessionRules.Verdict verdict = sessionRules.atClose(sets, this::earlierBalances);
        for (Balance balance : verdict.balances()) {
            context.forward(new Record<>(balance.athleteId(), EventMapping.toSessionBalance(balance), timestamp), RulesTopology.BALANCES_SINK);
            if (balance.bothSidesLogged()) {
                remember(balance);
            }
        }
        var emitted = new ArrayList<Insight>();
        Set<String> ids = new HashSet<>();
        for (Finding finding : verdict.findings()) {
            Insight insight = EventMapping.toInsight(finding);
            emitted.add(insight);
            ids.add(insight.getInsightId());
            forwardInsight(insight, timestamp);
        }
        for (Insight earlier : session.getEmitted()) {
            if (!ids.contains(earlier.getInsightId())) {
                earlier.setRetracted(true);
                forwardInsight(earlier, timestamp);
            }
        }
        session.setEmitted(emitted);
        session.setClosed(true);
        sessions.put(sessionKey, session);
    }

    private List<PriorBalance> earlierBalances(Balance current, int count) {
        var earlier = new ArrayList<PriorBalance>();
        String prefix = StoreKeys.balanceHistoryOf(current.athleteId(), current.exercise());
        String upTo = prefix + StoreKeys.time(current.startedAt()) + "|" + current.sessionId();
        try (KeyValueIterator<String, BalanceEntry> it = balanceHistory.reverseRange(prefix, upTo)) {
            while (it.hasNext() && earlier.size() < count) {
                BalanceEntry entry = it.next().value;
                if (!entry.getSessionId().equals(current.sessionId())) {
                    earlier.add(EventMapping.toPriorBalance(entry));
                }
            }
        }
        return earlier;
    }

    /** Adds (or replaces) this session in the athlete's balance history for the exercise, keeping the newest few. */
    private void remember(Balance balance) {
        String prefix = StoreKeys.balanceHistoryOf(balance.athleteId(), balance.exercise());
        var keys = new ArrayList<String>();
        try (KeyValueIterator<String, BalanceEntry> it = balanceHistory.range(prefix, prefix + StoreKeys.END)) {
            while (it.hasNext()) {
                KeyValue<String, BalanceEntry> kv = it.next();
                if (kv.value.getSessionId().equals(balance.sessionId())) {
                    balanceHistory.delete(kv.key); // its start may have moved with a late set
                } else {
                    keys.add(kv.key);
                }
            }
        }
        String key = prefix + StoreKeys.time(balance.startedAt()) + "|" + balance.sessionId();
        balanceHistory.put(key, EventMapping.toBalanceEntry(balance));
        keys.add(key);
        keys.sort(null);
        for (int i = 0; i < keys.size() - retention.balancesPerExercise(); i++) {
            balanceHistory.delete(keys.get(i));
        }
    }

    // --- load progression ------------------------------------------------------------------------

    private void judgeLoad(LoggedSet set, long timestamp) {
        if (!loadRule.applies(set.exercise())) {
            return;
        }
        SideSet current = new SideSet(set.eventId(), set.athleteId(), set.sessionId(), set.exercise(), set.side(),
                set.performedAt(), set.loadKg(), set.reps(), controlledReps.of(set).orElse(null));
        String key = StoreKeys.loadHistory(set.athleteId(), set.exercise(), set.side().name());
        LoadHistory history = Optional.ofNullable(loadHistory.get(key)).orElseGet(() -> new LoadHistory(new ArrayList<>()));
        List<LoadEntry> entries = history.getEntries();
        int at = insertionPoint(entries, current);

        LoadEntry previous = at > 0 ? entries.get(at - 1) : null;
        Optional<Finding> finding = previous == null ? Optional.empty()
                : loadRule.evaluate(EventMapping.toSideSet(previous, current), current);
        finding.ifPresent(f -> forwardInsight(EventMapping.toInsight(f), timestamp));
        entries.add(at, EventMapping.toLoadEntry(current, finding.isPresent()));

        // A set that arrived late sits before one already judged: judge that one again, against this set.
        if (at + 1 < entries.size()) {
            LoadEntry next = entries.get(at + 1);
            SideSet successor = EventMapping.toSideSet(next, current);
            Optional<Finding> again = loadRule.evaluate(current, successor);
            if (again.isPresent()) {
                forwardInsight(EventMapping.toInsight(again.get()), timestamp);
            } else if (next.getFlagged()) {
                Insight withdrawn = EventMapping.toInsight(loadRule.withdrawn(successor));
                withdrawn.setRetracted(true);
                forwardInsight(withdrawn, timestamp);
            }
            next.setFlagged(again.isPresent());
        }
        while (entries.size() > retention.loadHistorySets()) {
            entries.remove(0); // the oldest set falls out of the history
        }
        loadHistory.put(key, history);
    }

    /** Where {@code set} belongs in the history, ordered by performedAt, then event id. */
    private static int insertionPoint(List<LoadEntry> entries, SideSet set) {
        int at = entries.size();
        while (at > 0) {
            LoadEntry before = entries.get(at - 1);
            int byTime = before.getPerformedAt().compareTo(set.performedAt());
            if (byTime < 0 || (byTime == 0 && before.getEventId().compareTo(set.eventId()) < 0)) {
                break;
            }
            at--;
        }
        return at; // usually the end: sets mostly arrive in order
    }

    private void forwardInsight(Insight insight, long timestamp) {
        context.forward(new Record<>(insight.getAthleteId(), insight, timestamp), RulesTopology.INSIGHTS_SINK);
    }

    // --- punctuators -----------------------------------------------------------------------------

    /** Closes every open session whose inactivity deadline (wall clock) has passed. */
    private void closeInactiveSessions(long now) {
        var due = new ArrayList<String>();
        try (var it = deadlines.range("", StoreKeys.time(now) + "|" + StoreKeys.END)) {
            it.forEachRemaining(kv -> due.add(kv.key));
        }
        for (String deadlineKey : due) {
            deadlines.delete(deadlineKey);
            SessionState session = sessions.get(StoreKeys.sessionOfDeadline(deadlineKey));
            if (session != null && !session.getClosed()) {
                close(session, now);
            }
        }
    }

    /** Forgets what is older than the retention periods; see {@link Retention}. */
    private void purgeExpired(long now) {
        var expired = new ArrayList<String>();
        try (var it = sessions.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value.getClosed() && kv.value.getLastActivityAt().toEpochMilli() < now - retention.sessions().toMillis()) {
                    expired.add(kv.key);
                }
            });
        }
        for (String sessionKey : expired) {
            deleteWhere(sessionSets, StoreKeys.setsOf(sessionKey), event -> true);
            sessions.delete(sessionKey);
        }
    }

    private static <V> void deleteWhere(KeyValueStore<String, V> store, java.util.function.Predicate<V> expired) {
        var keys = new ArrayList<String>();
        try (var it = store.all()) {
            it.forEachRemaining(kv -> {
                if (expired.test(kv.value)) {
                    keys.add(kv.key);
                }
            });
        }
        keys.forEach(store::delete);
    }

    private static <V> void deleteWhere(KeyValueStore<String, V> store, String prefix, java.util.function.Predicate<V> expired) {
        var keys = new ArrayList<String>();
        try (var it = store.prefixScan(prefix, new StringSerializer())) {
            it.forEachRemaining(kv -> {
                if (expired.test(kv.value)) {
                    keys.add(kv.key);
                }
            });
        }
        keys.forEach(store::delete);
    }
}
