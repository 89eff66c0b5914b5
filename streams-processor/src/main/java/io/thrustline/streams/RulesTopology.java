package io.thrustline.streams;

import io.thrustline.schemas.Topics;
import io.thrustline.seeds.Seeds;
import io.thrustline.streams.judging.SessionJudge;
import io.thrustline.streams.load.LoadProgression;
import io.thrustline.streams.rules.Rules;
import io.thrustline.streams.sessions.SessionTracker;
import org.apache.kafka.streams.Topology;

/**
 * <pre>
 * events --> [sessions: check, first copy wins, session bounds and timers] --+--> [load-progression: per-set rules] ----> insights
 *                                                                            +--> [session-judging: session rules] --+--> insights
 *                                                                                                                    +--> balances
 * </pre>
 * Only wiring: each processor declares the stores it owns, what is judged lives in {@code io.thrustline.streams.rules},
 * and poison records leave through the dead-letter handlers configured in {@link StreamsProcessorService}. All three
 * processors run in one task per partition, so an athlete's events are handled in order, by one thread, with no
 * repartition between them.
 */
public final class RulesTopology {

    static final String SOURCE = "training-events";
    static final String SESSIONS = "sessions";
    static final String LOAD_PROGRESSION = "load-progression";
    static final String SESSION_JUDGING = "session-judging";
    static final String INSIGHTS_SINK = "insights";
    static final String BALANCES_SINK = "balances";

    private RulesTopology() {}

    public static Topology build(Topics topics, Seeds seeds, Retention retention) {
        Rules rules = Rules.from(seeds);
        var topology = new Topology();
        topology.addSource(SOURCE, topics.events().keySerde().deserializer(), topics.events().valueSerde().deserializer(),
                topics.events().name());
        topology.addProcessor(SESSIONS, SessionTracker.supplier(seeds, retention), SOURCE);
        topology.addProcessor(LOAD_PROGRESSION, LoadProgression.supplier(rules, retention), SESSIONS);
        topology.addProcessor(SESSION_JUDGING, SessionJudge.supplier(seeds, rules, retention, INSIGHTS_SINK, BALANCES_SINK), SESSIONS);
        topology.addSink(INSIGHTS_SINK, topics.insights().name(), topics.insights().keySerde().serializer(),
                topics.insights().valueSerde().serializer(), LOAD_PROGRESSION, SESSION_JUDGING);
        topology.addSink(BALANCES_SINK, topics.balances().name(), topics.balances().keySerde().serializer(),
                topics.balances().valueSerde().serializer(), SESSION_JUDGING);
        return topology;
    }
}
