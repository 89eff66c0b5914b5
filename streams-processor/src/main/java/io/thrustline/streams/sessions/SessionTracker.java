package io.thrustline.streams.sessions;

import io.thrustline.schemas.SessionCompleted;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.seeds.Seeds;
import io.thrustline.streams.EventMapping;
import io.thrustline.streams.InvalidEventException;
import io.thrustline.streams.Retention;
import io.thrustline.streams.rules.ControlledReps;
import io.thrustline.streams.rules.LoggedSet;
import io.thrustline.streams.sessions.SessionEvent.SessionClosed;
import io.thrustline.streams.sessions.SessionEvent.SessionForgotten;
import io.thrustline.streams.sessions.SessionEvent.SetAccepted;
import io.thrustline.streams.state.StateStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The first processor: checks each event, counts each event id once per athlete (the first copy wins), keeps
 * every session within its bounds, and closes and forgets sessions on time. It tells the processors after it
 * what happened ({@link SessionEvent}); it judges nothing itself.
 *
 * <p>An event is refused (to the dead-letter topic, with the reason) before it touches any state when the rules
 * could not judge it, when it speaks for another integration's athlete, when its time is impossible, when its
 * event id was already used for other content, or when it would break its session's bounds ({@link SessionLimits}).
 * Every session has one timer in a time-ordered index: its inactivity close while open, its expiry once closed
 * ({@link SessionTimer}), so what each punctuation does depends on what is due, not on how many athletes there are.
 */
public final class SessionTracker implements Processor<String, TrainingEvent, String, SessionEvent> {

    public static final String SESSIONS_STORE = "sessions";
    public static final String EVENT_IDS_STORE = "event-ids";
    public static final String TIMERS_STORE = "session-timers";

    /** How often sessions quiet for longer than the inactivity limit are closed (by wall clock). */
    public static final Duration CLOSE_CHECK_EVERY = Duration.ofSeconds(30);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final EventMapping mapping;
    private final ControlledReps controlledReps;
    private final Duration inactivity;
    private final Retention retention;
    private final SessionLimits limits;

    private ProcessorContext<String, SessionEvent> context;
    private KeyValueStore<String, SessionRecord> sessions;
    private KeyValueStore<String, AthleteEventIds> eventIds;
    private KeyValueStore<String, String> timers;

    SessionTracker(Seeds seeds, Retention retention) {
        this.mapping = new EventMapping(seeds.catalog());
        this.controlledReps = new ControlledReps(seeds.rules().controlledRep());
        this.inactivity = seeds.rules().sessions().inactivity();
        this.retention = retention;
        this.limits = SessionLimits.of(seeds.rules().sessions());
    }

    /** The processor with the stores it owns. */
    public static ProcessorSupplier<String, TrainingEvent, String, SessionEvent> supplier(Seeds seeds, Retention retention) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, TrainingEvent, String, SessionEvent> get() {
                return new SessionTracker(seeds, retention);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        StateStores.cached(SESSIONS_STORE, SessionRecord.serde()),
                        StateStores.cached(EVENT_IDS_STORE, AthleteEventIds.serde()),
                        StateStores.cached(TIMERS_STORE, org.apache.kafka.common.serialization.Serdes.String()));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, SessionEvent> context) {
        this.context = context;
        this.sessions = context.getStateStore(SESSIONS_STORE);
        this.eventIds = context.getStateStore(EVENT_IDS_STORE);
        this.timers = context.getStateStore(TIMERS_STORE);
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
        SessionRecord stored = sessions.get(sessionKey);
        AthleteEventIds ids = eventIds.get(athleteId);
        if (isRepeat(stored, ids, athleteId, sessionId, event)) {
            return;
        }
        long now = context.currentSystemTimeMs();
        SessionRecord session = stored != null ? stored : SessionRecord.opened(now);
        SessionTimer timerBefore = stored == null ? null : timerOf(stored);
        ids = ids == null ? AthleteEventIds.NONE : ids;
        switch (event.getPayload()) {
            case SetLogged set -> {
                String refusal = limits.refusalOf(sessionId, session.extent(), set.getPerformedAt());
                if (refusal != null) {
                    throw new InvalidEventException(refusal);
                }
                LoggedSet logged = EventMapping.toLoggedSet(event);
                Integer control = controlledReps.of(logged).orElse(null);
                session = session.withSet(new SessionRecord.StoredSet(event.getEventId(), SetContent.fingerprint(set),
                        set.getPerformedAt().toEpochMilli(), logged.exercise(), logged.side(), logged.reps(), logged.loadKg(), control,
                        logged.setType()), now);
                save(sessionKey, session, timerBefore);
                eventIds.put(athleteId, ids.with(sessionId, event.getEventId()));
                context.forward(new Record<>(athleteId, new SetAccepted(withControl(logged, control)), record.timestamp()));
            }
            case SessionCompleted done -> {
                var completion = new SessionRecord.Completion(event.getEventId(), done.getCompletedAt().toEpochMilli());
                SessionRecord withCompletion = session.withCompletion(completion, now, Retention.COMPLETIONS_PER_SESSION);
                ids = ids.with(sessionId, event.getEventId());
                for (SessionRecord.Completion forgotten : session.completions()) {
                    if (!withCompletion.completions().contains(forgotten)) {
                        ids = ids.without(sessionId, forgotten.eventId()); // see Retention#COMPLETIONS_PER_SESSION
                    }
                }
                eventIds.put(athleteId, ids);
                session = close(sessionKey, withCompletion, record.timestamp());
                save(sessionKey, session, timerBefore);
            }
            default -> throw new InvalidEventException("unknown payload");
        }
    }

    // --- first copy wins -------------------------------------------------------------------------

    /**
     * Whether {@code event} is a repeat of the athlete's first copy of its event id (a retry or a replay), which
     * counts once. The same id with different content is refused: the first copy stands. receivedAt is not content,
     * since every retry is received anew. The event's own session is looked at first, then any other session the
     * athlete's id index says may hold the id.
     */
    private boolean isRepeat(SessionRecord own, AthleteEventIds ids, String athleteId, String sessionId, TrainingEvent event) {
        if (own != null && isRepeatIn(own, sessionId, sessionId, event)) {
            return true;
        }
        if (ids == null) {
            return false;
        }
        for (String other : ids.sessionsThatMayHold(event.getEventId(), sessionId)) {
            SessionRecord first = sessions.get(StoreKeys.session(athleteId, other));
            if (first != null && isRepeatIn(first, other, sessionId, event)) {
                return true;
            }
        }
        return false;
    }

    /** True for a repeat found in {@code first}; throws for a different copy; false when the session does not hold the id. */
    private static boolean isRepeatIn(SessionRecord first, String firstSessionId, String claimedSessionId, TrainingEvent event) {
        String eventId = event.getEventId();
        boolean same;
        SessionRecord.StoredSet set = first.set(eventId);
        SessionRecord.Completion completion = set == null ? first.completion(eventId) : null;
        if (set != null) {
            same = event.getPayload() instanceof SetLogged s && firstSessionId.equals(claimedSessionId)
                    && SetContent.fingerprint(s) == set.content();
        } else if (completion != null) {
            same = event.getPayload() instanceof SessionCompleted c && firstSessionId.equals(claimedSessionId)
                    && c.getCompletedAt().toEpochMilli() == completion.completedAt();
        } else {
            return false;
        }
        if (same) {
            return true;
        }
        throw new InvalidEventException("eventId '" + eventId + "' was already used for different content (first in session '"
                + firstSessionId + "'); the first copy stands");
    }

    // --- session bounds and timers ---------------------------------------------------------------

    private SessionTimer timerOf(SessionRecord session) {
        return SessionTimer.of(session.closed(), session.sets().size(), java.time.Instant.ofEpochMilli(session.lastActivityAt()),
                inactivity, retention.sessions());
    }

    /**
     * Stores the session and moves its timer when it changed; {@code before} is the timer still in the index, null
     * when there is none. Each stored session has exactly one timer, so every session is eventually closed and then
     * forgotten.
     */
    private void save(String sessionKey, SessionRecord session, SessionTimer before) {
        sessions.put(sessionKey, session);
        SessionTimer after = timerOf(session);
        if (!after.equals(before)) {
            if (before != null) {
                timers.delete(before.key(sessionKey));
            }
            timers.put(after.key(sessionKey), "");
        }
    }

    /** Tells the judge to look at the whole session; the caller stores what this returns. */
    private SessionRecord close(String sessionKey, SessionRecord session, long timestamp) {
        String athleteId = StoreKeys.athleteOf(sessionKey);
        String sessionId = StoreKeys.sessionIdOf(sessionKey);
        context.forward(new Record<>(athleteId, new SessionClosed(athleteId, sessionId, session.loggedSets(athleteId, sessionId)), timestamp));
        return session.closedNow();
    }

    /** Forgets a session: the session, its ids in the athlete's index, and (downstream) what was judged of it. */
    private void forget(String sessionKey, long timestamp) {
        String athleteId = StoreKeys.athleteOf(sessionKey);
        String sessionId = StoreKeys.sessionIdOf(sessionKey);
        sessions.delete(sessionKey);
        AthleteEventIds ids = eventIds.get(athleteId);
        if (ids != null) {
            AthleteEventIds fewer = ids.withoutSession(sessionId);
            if (fewer.isEmpty()) {
                eventIds.delete(athleteId);
            } else {
                eventIds.put(athleteId, fewer);
            }
        }
        context.forward(new Record<>(athleteId, new SessionForgotten(athleteId, sessionId), timestamp));
    }

    private static LoggedSet withControl(LoggedSet set, Integer control) {
        return new LoggedSet(set.eventId(), set.athleteId(), set.sessionId(), set.performedAt(), set.exercise(), set.side(), set.reps(),
                set.loadKg(), control, null, set.setType());
    }

    // --- punctuators -----------------------------------------------------------------------------

    /**
     * Closes every open session whose inactivity deadline (wall clock) has passed, and forgets each session that
     * never had a set (a SessionCompleted alone): it has nothing worth keeping longer.
     */
    private void closeInactiveSessions(long now) {
        for (String timerKey : due(SessionTimer.Kind.INACTIVITY, now)) {
            timers.delete(timerKey);
            String sessionKey = StoreKeys.sessionOfTimer(timerKey);
            SessionRecord session = sessions.get(sessionKey);
            if (session == null || !timerOf(session).key(sessionKey).equals(timerKey)) {
                continue; // a stale entry: the session has moved on
            }
            if (session.sets().isEmpty()) {
                forget(sessionKey, now);
            } else if (!session.closed()) {
                save(sessionKey, close(sessionKey, session, now), null);
            }
        }
    }

    /** Forgets each closed session whose retention has run out; see {@link Retention}. Reads only the index's due part. */
    private void purgeExpired(long now) {
        for (String timerKey : due(SessionTimer.Kind.EXPIRY, now)) {
            timers.delete(timerKey);
            String sessionKey = StoreKeys.sessionOfTimer(timerKey);
            SessionRecord session = sessions.get(sessionKey);
            if (session != null && timerOf(session).key(sessionKey).equals(timerKey)) {
                forget(sessionKey, now);
            }
        }
    }

    /** The keys of the timers of a kind due by {@code now}, in time order: one range scan. */
    private List<String> due(SessionTimer.Kind kind, long now) {
        var due = new ArrayList<String>();
        try (var it = timers.range(StoreKeys.timersFrom(kind), StoreKeys.timersDueBy(kind, now))) {
            it.forEachRemaining(kv -> due.add(kv.key));
        }
        return due;
    }
}
