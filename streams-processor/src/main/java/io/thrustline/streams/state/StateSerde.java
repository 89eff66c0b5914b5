package io.thrustline.streams.state;

import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** A store value serde from a record's own encode and decode; null stays null (a delete). */
public final class StateSerde {

    private StateSerde() {}

    public static <T> Serde<T> of(Function<T, byte[]> encode, Function<byte[], T> decode) {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : encode.apply(value),
                (topic, bytes) -> bytes == null ? null : decode.apply(bytes));
    }
}
