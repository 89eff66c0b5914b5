package io.thrustline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/** Events written before a field existed are read by today's schema, the new field at its default (BACKWARD). */
class SchemaEvolutionTest {

    /** TrainingEvent as it was before SetLogged had setType. */
    static Schema beforeSetTypes() throws IOException {
        var mapper = new ObjectMapper();
        var schema = (ObjectNode) mapper.readTree(TrainingEvent.getClassSchema().toString());
        for (var field : schema.withArray("fields")) {
            if (field.get("name").asText().equals("payload")) {
                var setLogged = (ObjectNode) field.get("type").get(0);
                var fields = (ArrayNode) setLogged.get("fields");
                for (int i = 0; i < fields.size(); i++) {
                    if (fields.get(i).get("name").asText().equals("setType")) {
                        fields.remove(i);
                    }
                }
            }
        }
        return new Schema.Parser().parse(schema.toString());
    }

    @Test
    void aSetWrittenBeforeSetTypesIsReadAsAWorkingSet() throws IOException {
        Schema old = beforeSetTypes();
        Schema oldSet = old.getField("payload").schema().getTypes().get(0);
        assertThat(oldSet.getField("setType")).isNull();
        GenericRecord set = new GenericData.Record(oldSet);
        set.put("sessionId", "s1");
        set.put("performedAt", Instant.parse("2026-11-21T07:30:00Z").toEpochMilli());
        set.put("exercise", "deadlift");
        set.put("reps", 5);
        set.put("loadKg", 100.0);
        GenericRecord event = new GenericData.Record(old);
        event.put("eventId", "e1");
        event.put("athleteId", "gym-a:ath-1");
        event.put("source", "gym-a");
        event.put("receivedAt", Instant.parse("2026-11-21T07:30:00Z").toEpochMilli());
        event.put("payload", set);
        var out = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(old).write(event, encoder);
        encoder.flush();

        var reader = new SpecificDatumReader<TrainingEvent>(old, TrainingEvent.getClassSchema());
        TrainingEvent read = reader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertThat(((SetLogged) read.getPayload()).getSetType()).isEqualTo(SetType.WORKING);
        assertThat(((SetLogged) read.getPayload()).getReps()).isEqualTo(5);
    }
}
