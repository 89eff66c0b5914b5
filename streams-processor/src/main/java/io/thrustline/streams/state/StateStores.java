package io.thrustline.streams.state;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** How every store of the rules topology is built. */
public final class StateStores {

    private StateStores() {}

    /**
     * A RocksDB store with a changelog, keyed by strings that start with the athlete (or with a time, for the timer
     * index). Cached, so the many updates one key sees within a commit interval reach RocksDB and the changelog once.
     */
    public static <V> StoreBuilder<KeyValueStore<String, V>> cached(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values).withCachingEnabled();
    }
}
