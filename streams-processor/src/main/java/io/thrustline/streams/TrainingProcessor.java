package io.thrustline.streams;

import io.thrustline.schemas.Insight;
import io.thrustline.schemas.SessionCompleted;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.schemas.state.AcceptedEvent;
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
 * topology scales out by partitions without an athlete's state ever being split. The athlete id is qualified
 * by its integration, so two integrations' athletes never share a key.
 *
 * <p>An event is refused (to the dead-letter topic, with the reason) before it touches any state when the
 * rules could not judge it, when it speaks for another integration's athlete, when its time is impossible,
 * when its event id was already used for other content, or when it would break its session's bounds
 * ({@link SessionLimits}). Every session has one timer in a time-ordered index: its inactivity close while
 * open, its expiry once closed ({@link SessionTimer}), so what each punctuation does depends on what is due,
 * not on how many athletes there are.
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
    private final SessionLimits limits;

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, SessionState> sessions;
    private KeyValueStore<String, TrainingEvent> sessionSets;
    private KeyValueStore<String, String> deadlines;
    private KeyValueStore<String, String> expiries;
    private KeyValueStore<String, AcceptedEvent> acceptedEvents;
    private KeyValueStore<String, LoadHistory> loadHistory;
    private KeyValueStore<String, BalanceEntry> balanceHistory;

    TrainingProcessor(Seeds seeds, Retention retention) {
        this.mapping = new EventMapping(seeds.catalog());
        this.sessionRules = new SessionRules(seeds);
        this.loadRule = new LoadIncreaseBeforeControl(seeds.catalog(), seeds.rules());
        this.controlledReps = new ControlledReps(seeds.rules().controlledRep());
        this.inactivity = seeds.rules().sessions().inactivity();
        this.retention = retention;
        this.limits = SessionLimits.of(seeds.rules().sessions());
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.sessions = context.getStateStore(RulesTopology.SESSIONS_STORE);
        this.sessionSets = context.getStateStore(RulesTopology.SESSION_SETS_STORE);
        this.deadlines = context.getStateStore(RulesTopology.SESSION_DEADLINES_STORE);
        this.expiries = context.getStateStore(RulesTopology.SESSION_EXPIRIES_STORE);
        this.acceptedEvents = context.getStateStore(RulesTopology.ACCEPTED_EVENTS_STORE);
        this.loadHistory = context.getStateStore(RulesTopology.LOAD_HISTORY_STORE);
        this.balanceHistory = context.getStateStore(RulesTopology.BALANCE_HISTORY_STORE);
        context.schedule(CLOSE_CHECK_EVERY, PunctuationType.WALL_CLOCK_TIME, this::closeInactiveSessions);
        context.schedule(PURGE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::purgeExpired);
    }

    @Override
    public void process(Record<String, TrainingEvent> record) {
        TrainingEvent event = record.value();
        // Every check comes before any state changes, so a refused event (sent to the dead-letter topic with the
        // reason) leaves no trace: no state, no insight.
        mapping.check(record.key(), event);
        String athleteId = event.getAthleteId();
        String sessionId = EventMapping.sessionId(event);
        String sessionKey = StoreKeys.session(athleteId, sessionId);
        String eventKey = StoreKeys.event(athleteId, event.getEventId());
        if (isRepeat(acceptedEvents.get(eventKey), event)) {
            return;
        }
        SessionState stored = sessions.get(sessionKey);
        if (event.getPayload() instanceof SetLogged set) {
            String refusal = limits.refusalOf(sessionId, extentOf(stored), set.getPerformedAt());
            if (refusal != null) {
                throw new InvalidEventException(refusal);
            }
        }

        long now = context.currentSystemTimeMs();
        SessionTimer timerBefore = stored == null ? null : timerOf(stored);
        SessionState session = stored != null ? stored : SessionState.newBuilder()
                .setAthleteId(athleteId).setSessionId(sessionId).setClosed(false)
                .setCompletionEventIds(new ArrayList<>()).setLastActivityAt(Instant.ofEpochMilli(now)).setEmitted(new ArrayList<>()).build();
        session.setLastActivityAt(Instant.ofEpochMilli(now));
        switch (event.getPayload()) {
            case SetLogged set -> {
                sessionSets.put(StoreKeys.sessionSet(sessionKey, event.getEventId()), event);
                acceptedEvents.put(eventKey, new AcceptedEvent(sessionId, null));
                SessionExtent extent = extentOf(stored).with(set.getPerformedAt());
                session.setEarliestSetAt(extent.earliest());
                session.setLatestSetAt(extent.latest());
                session.setSetCount(extent.sets());
                session.setClosed(false); // a late set re-opens a closed session until it closes again
                save(sessionKey, session, timerBefore);
                judgeLoad(EventMapping.toLoggedSet(event), record.timestamp());
            }
            case SessionCompleted done -> {
                acceptedEvents.put(eventKey, new AcceptedEvent(sessionId, done));
                rememberCompletion(session, event.getEventId());
                close(session, record.timestamp());
                save(sessionKey, session, timerBefore);
            }
            default -> throw new InvalidEventException("unknown payload");
        }
    }

    // --- first copy wins -------------------------------------------------------------------------

    /**
     * Whether {@code event} is a repeat of the athlete's first copy of its event id (a retry or a replay),
     * which counts once. The same id with different content is refused: the first copy stands. receivedAt is
     * not content, since every retry is received anew.
     */
    private boolean isRepeat(AcceptedEvent first, TrainingEvent event) {
        if (first == null) {
            return false;
        }
        Object firstContent = first.getCompletion();
        if (firstContent == null) {
            String sessionKey = StoreKeys.session(event.getAthleteId(), first.getSessionId());
            TrainingEvent firstSet = sessionSets.get(StoreKeys.sessionSet(sessionKey, event.getEventId()));
            if (firstSet == null) {
                return false; // not expected (a set and its id are forgotten together); the index entry is stale
            }
            firstContent = firstSet.getPayload();
        }
        if (event.getPayload().equals(firstContent)) {
            return true;
        }
        throw new InvalidEventException("eventId '" + event.getEventId() + "' was already used for different content (first in session '"
                + first.getSessionId() + "'); the first copy stands");
    }

    /**
     * Keeps the newest completion ids on the session and the id index in step with them; an older one is
     * forgotten in both (see {@link Retention#COMPLETIONS_PER_SESSION} for why that is harmless).
     */
    private void rememberCompletion(SessionState session, String eventId) {
        List<String> ids = session.getCompletionEventIds();
        ids.add(eventId);
        while (ids.size() > Retention.COMPLETIONS_PER_SESSION) {
            forgetEventId(session, ids.remove(0));
        }
    }

    /** Removes an event id from the index, unless it now names another session's event. */
    private void forgetEventId(SessionState session, String eventId) {
        String key = StoreKeys.event(session.getAthleteId(), eventId);
        AcceptedEvent first = acceptedEvents.get(key);
        if (first != null && first.getSessionId().equals(session.getSessionId())) {
            acceptedEvents.delete(key);
        }
    }

    // --- session bounds and timers ---------------------------------------------------------------

    private static SessionExtent extentOf(SessionState session) {
        return session == null || session.getSetCount() == 0 ? SessionExtent.EMPTY
                : new SessionExtent(session.getEarliestSetAt(), session.getLatestSetAt(), session.getSetCount());
    }

    private SessionTimer timerOf(SessionState session) {
        return SessionTimer.of(session.getClosed(), session.getSetCount(), session.getLastActivityAt(), inactivity, retention.sessions());
    }

    private KeyValueStore<String, String> timers(SessionTimer.Kind kind) {
        return kind == SessionTimer.Kind.INACTIVITY ? deadlines : expiries;
    }

    /**
     * Stores the session and moves its timer when it changed; {@code before} is the timer still in its
     * index, null when there is none. Each stored session has exactly one timer, so every session is
     * eventually closed and then forgotten.
     */
    private void save(String sessionKey, SessionState session, SessionTimer before) {
        sessions.put(sessionKey, session);
        SessionTimer after = timerOf(session);
        if (!after.equals(before)) {
            if (before != null) {
                timers(before.kind()).delete(before.key(sessionKey));
            }
            timers(after.kind()).put(after.key(sessionKey), "");
        }
    }

    /** Forgets a session: its sets, their event ids and its completions' ids, and the session itself. */
    private void forget(String sessionKey, SessionState session) {
        var setKeys = new ArrayList<String>();
        try (var it = sessionSets.prefixScan(StoreKeys.setsOf(sessionKey), new StringSerializer())) {
            it.forEachRemaining(kv -> setKeys.add(kv.key));
        }
        for (String setKey : setKeys) {
            sessionSets.delete(setKey);
            forgetEventId(session, StoreKeys.eventOfSessionSet(setKey));
        }
        session.getCompletionEventIds().forEach(id -> forgetEventId(session, id));
        sessions.delete(sessionKey);
    }

    // --- session close ---------------------------------------------------------------------------

    /** Judges the session's sets and marks it closed; the caller stores it. */
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

    /**
     * Closes every open session whose inactivity deadline (wall clock) has passed, and forgets each session
     * that never had a set (a SessionCompleted alone): it has nothing worth keeping longer.
     */
    private void closeInactiveSessions(long now) {
        for (String timerKey : due(deadlines, now)) {
            deadlines.delete(timerKey);
            String sessionKey = StoreKeys.sessionOfTimer(timerKey);
            SessionState session = sessions.get(sessionKey);
            if (session == null || !timerOf(session).key(sessionKey).equals(timerKey)) {
                continue; // a stale entry: the session has moved on
            }
            if (session.getSetCount() == 0) {
                forget(sessionKey, session);
            } else if (!session.getClosed()) {
                close(session, now);
                save(sessionKey, session, null);
            }
        }
    }

    /** Forgets each closed session whose retention has run out; see {@link Retention}. Reads only the expiry index's due part. */
    private void purgeExpired(long now) {
        for (String timerKey : due(expiries, now)) {
            expiries.delete(timerKey);
            String sessionKey = StoreKeys.sessionOfTimer(timerKey);
            SessionState session = sessions.get(sessionKey);
            if (session != null && timerOf(session).key(sessionKey).equals(timerKey)) {
                forget(sessionKey, session);
            }
        }
    }

    /** The keys of a timer index due by {@code now}, in time order: one range scan from the start of the index. */
    private static List<String> due(KeyValueStore<String, String> timers, long now) {
        var due = new ArrayList<String>();
        try (var it = timers.range("", StoreKeys.timersDueBy(now))) {
            it.forEachRemaining(kv -> due.add(kv.key));
        }
        return due;
    }
}
