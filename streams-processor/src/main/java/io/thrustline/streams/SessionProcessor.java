package io.thrustline.streams;

import io.thrustline.schemas.Insight;
import io.thrustline.schemas.SessionCompleted;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.schemas.state.SessionState;
import io.thrustline.streams.rules.Finding;
import io.thrustline.streams.rules.LoggedSet;
import io.thrustline.streams.rules.SessionRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each athlete's open sessions and judges a session when it closes. Input is keyed by athleteId, so
 * one instance sees all of an athlete's events, in order, on one partition.
 */
final class SessionProcessor implements Processor<String, TrainingEvent, String, Insight> {

    private final EventMapping mapping;
    private final SessionRules rules;
    private final Duration dedupeRetention;

    private ProcessorContext<String, Insight> context;
    private KeyValueStore<String, Long> seenEvents;
    private KeyValueStore<String, SessionState> sessions;

    SessionProcessor(EventMapping mapping, SessionRules rules, Duration dedupeRetention) {
        this.mapping = mapping;
        this.rules = rules;
        this.dedupeRetention = dedupeRetention;
    }

    @Override
    public void init(ProcessorContext<String, Insight> context) {
        this.context = context;
        this.seenEvents = context.getStateStore(RulesTopology.SEEN_EVENTS_STORE);
        this.sessions = context.getStateStore(RulesTopology.SESSIONS_STORE);
        context.schedule(Duration.ofMinutes(10), PunctuationType.WALL_CLOCK_TIME, this::forgetOldEventIds);
    }

    @Override
    public void process(Record<String, TrainingEvent> record) {
        TrainingEvent event = record.value();
        mapping.check(record.key(), event); // before any state changes, so a rejected event leaves none behind
        if (seenEvents.get(event.getEventId()) != null) {
            return; // a retry or a replay: already counted
        }
        long now = context.currentSystemTimeMs();
        seenEvents.put(event.getEventId(), now);

        String key = sessionKey(event.getAthleteId(), EventMapping.sessionId(event));
        SessionState session = sessions.get(key);
        if (session == null) {
            session = SessionState.newBuilder()
                    .setAthleteId(event.getAthleteId())
                    .setSessionId(EventMapping.sessionId(event))
                    .setSets(new ArrayList<>())
                    .setClosed(false)
                    .setLastActivityAt(Instant.ofEpochMilli(now))
                    .build();
        }
        session.setLastActivityAt(Instant.ofEpochMilli(now));
        switch (event.getPayload()) {
            case SetLogged ignored -> {
                session.getSets().add(event);
                session.setClosed(false); // a late set re-opens a closed session until it closes again
                sessions.put(key, session);
            }
            case SessionCompleted ignored -> {
                session.setClosed(true);
                sessions.put(key, session);
                close(session, record.timestamp());
            }
            default -> throw new InvalidEventException("unknown payload");
        }
    }

    private void close(SessionState session, long timestamp) {
        List<LoggedSet> sets = session.getSets().stream().map(EventMapping::toLoggedSet).toList();
        for (Finding finding : rules.atClose(sets)) {
            context.forward(new Record<>(finding.athleteId(), EventMapping.toInsight(finding), timestamp), RulesTopology.INSIGHTS_SINK);
        }
    }

    /** Event ids are remembered for the retention period; a retry later than that would count again. */
    private void forgetOldEventIds(long now) {
        long cutoff = now - dedupeRetention.toMillis();
        var expired = new ArrayList<String>();
        try (var all = seenEvents.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (entry.value < cutoff) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(seenEvents::delete);
    }

    static String sessionKey(String athleteId, String sessionId) {
        return athleteId + "|" + sessionId; // '|' cannot occur in ids
    }
}
