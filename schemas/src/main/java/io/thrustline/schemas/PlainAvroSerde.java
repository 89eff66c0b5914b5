package io.thrustline.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro binary with no registry and no schema id: writer and reader share the compiled schema. Used where no
 * registry runs (the topology tests' TopologyTestDriver), and its encoder by {@link RegistryWireSerde} behind the
 * registry header. Not for topics other systems read. (State stores use their own compact layout in streams-processor.)
 */
public final class PlainAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final DatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;

    public PlainAvroSerde(Class<T> type) {
        var schema = SpecificData.get().getSchema(type);
        this.writer = writerOf(type, SpecificData.getForClass(type));
        this.reader = new SpecificDatumReader<>(schema);
    }

    /** An {@link AvroSerdes} that makes plain serdes. */
    public static AvroSerdes factory() {
        return PlainAvroSerde::new;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : encode(writer, value, new byte[0], topic);
    }

    /** The writer of {@code type}'s compiled schema: written by hand for training events, Avro's own otherwise. */
    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> DatumWriter<T> writerOf(Class<T> type, SpecificData model) {
        if (type == TrainingEvent.class) {
            return (DatumWriter<T>) new TrainingEventWriter();
        }
        return new SpecificDatumWriter<>(model.getSchema(type), model);
    }

    /** Avro binary of {@code value} after {@code prefix} (empty here; the registry header for the wire format). */
    static <T> byte[] encode(DatumWriter<T> writer, T value, byte[] prefix, String topic) {
        try {
            var out = new ByteArrayOutputStream(256);
            out.write(prefix);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(value, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write Avro for topic " + topic, e);
        }
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
                return reader.read(null, decoder);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot read Avro from topic " + topic, e);
            }
        };
    }
}
