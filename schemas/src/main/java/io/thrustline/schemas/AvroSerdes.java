package io.thrustline.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Makes value serdes for generated Avro classes: through the schema registry, or plain for internal state. */
@FunctionalInterface
public interface AvroSerdes {
    <T extends SpecificRecord> Serde<T> forValues(Class<T> type);
}
