package io.thrustline.streams;

import io.thrustline.schemas.PlainAvroSerde;
import io.thrustline.schemas.Topics;
import io.thrustline.schemas.state.SessionState;
import io.thrustline.seeds.Seeds;
import io.thrustline.streams.rules.SessionRules;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * events --> [SessionProcessor: dedupe, sessions, rules] --> insights. Only wiring: what is judged lives in
 * {@code io.thrustline.streams.rules}.
 */
public final class RulesTopology {

    static final String SOURCE = "training-events";
    static final String PROCESSOR = "sessions";
    static final String INSIGHTS_SINK = "insights";
    static final String SEEN_EVENTS_STORE = "seen-event-ids";
    static final String SESSIONS_STORE = "open-sessions";

    private RulesTopology() {}

    public static Topology build(Topics topics, Seeds seeds, Duration dedupeRetention) {
        var mapping = new EventMapping(seeds.catalog());
        var rules = new SessionRules(seeds);
        var topology = new Topology();
        topology.addSource(SOURCE, topics.events().keySerde().deserializer(), topics.events().valueSerde().deserializer(),
                topics.events().name());
        topology.addProcessor(PROCESSOR, () -> new SessionProcessor(mapping, rules, dedupeRetention), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SEEN_EVENTS_STORE), Serdes.String(), Serdes.Long()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SESSIONS_STORE), Serdes.String(), new PlainAvroSerde<>(SessionState.class)), PROCESSOR);
        topology.addSink(INSIGHTS_SINK, topics.insights().name(), topics.insights().keySerde().serializer(),
                topics.insights().valueSerde().serializer(), PROCESSOR);
        return topology;
    }
}
