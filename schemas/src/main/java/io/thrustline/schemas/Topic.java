package io.thrustline.schemas;

import org.apache.kafka.common.serialization.Serde;

/** One Kafka topic: its name and how its keys and values are (de)serialized. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {}
