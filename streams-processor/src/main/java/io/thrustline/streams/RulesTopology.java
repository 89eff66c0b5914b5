package io.thrustline.streams;

import io.thrustline.schemas.PlainAvroSerde;
import io.thrustline.schemas.Topics;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.schemas.state.AcceptedEvent;
import io.thrustline.schemas.state.BalanceEntry;
import io.thrustline.schemas.state.LoadHistory;
import io.thrustline.schemas.state.SessionState;
import io.thrustline.seeds.Seeds;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * events --> [TrainingProcessor: dedupe, sessions, rules] --> insights, balances. Only wiring: what is
 * judged lives in {@code io.thrustline.streams.rules}; poison records leave through the dead-letter
 * handlers configured in {@link StreamsProcessorService}.
 */
public final class RulesTopology {

    static final String SOURCE = "training-events";
    static final String PROCESSOR = "training";
    static final String INSIGHTS_SINK = "insights";
    static final String BALANCES_SINK = "balances";

    static final String SESSIONS_STORE = "sessions";
    static final String SESSION_SETS_STORE = "session-sets";
    static final String SESSION_DEADLINES_STORE = "session-deadlines";
    static final String SESSION_EXPIRIES_STORE = "session-expiries";
    static final String ACCEPTED_EVENTS_STORE = "accepted-events";
    static final String LOAD_HISTORY_STORE = "load-history";
    static final String BALANCE_HISTORY_STORE = "balance-history";

    private RulesTopology() {}

    public static Topology build(Topics topics, Seeds seeds, Retention retention) {
        var topology = new Topology();
        topology.addSource(SOURCE, topics.events().keySerde().deserializer(), topics.events().valueSerde().deserializer(),
                topics.events().name());
        topology.addProcessor(PROCESSOR, () -> new TrainingProcessor(seeds, retention), SOURCE);
        store(topology, SESSIONS_STORE, new PlainAvroSerde<>(SessionState.class));
        store(topology, SESSION_SETS_STORE, new PlainAvroSerde<>(TrainingEvent.class));
        store(topology, SESSION_DEADLINES_STORE, Serdes.String());
        store(topology, SESSION_EXPIRIES_STORE, Serdes.String());
        store(topology, ACCEPTED_EVENTS_STORE, new PlainAvroSerde<>(AcceptedEvent.class));
        store(topology, LOAD_HISTORY_STORE, new PlainAvroSerde<>(LoadHistory.class));
        store(topology, BALANCE_HISTORY_STORE, new PlainAvroSerde<>(BalanceEntry.class));
        topology.addSink(INSIGHTS_SINK, topics.insights().name(), topics.insights().keySerde().serializer(),
                topics.insights().valueSerde().serializer(), PROCESSOR);
        topology.addSink(BALANCES_SINK, topics.balances().name(), topics.balances().keySerde().serializer(),
                topics.balances().valueSerde().serializer(), PROCESSOR);
        return topology;
    }

    /**
     * A RocksDB store with a changelog, keyed by strings that start with the athlete (or a time, for
     * the timer indexes: deadlines and expiries). Cached, so the many updates a session's keys see within one commit interval reach RocksDB
     * and the changelog once.
     */
    private static <V> void store(Topology topology, String name, Serde<V> values) {
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
                .withCachingEnabled(), PROCESSOR);
    }
}
