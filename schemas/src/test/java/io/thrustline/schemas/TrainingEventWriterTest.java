package io.thrustline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** The hand-written writer must give Avro's own bytes for every event, and follow every change to the schemas. */
class TrainingEventWriterTest {

    @Property(tries = 2000)
    void writesTheSameBytesAsAvrosOwnWriter(@ForAll("events") TrainingEvent event) throws IOException {
        Statistics.label("payload").collect(event.getPayload().getClass().getSimpleName());
        Statistics.label("payload").coverage(coverage -> {
            coverage.check("SetLogged").percentage(p -> p > 60);
            coverage.check("SessionCompleted").percentage(p -> p > 5);
        });
        assertThat(bytes(new TrainingEventWriter(), event)).isEqualTo(bytes(new SpecificDatumWriter<>(TrainingEvent.class), event));
    }

    @Test
    void theSchemasHoldExactlyTheFieldsItWrites() {
        var records = List.of(TrainingEvent.getClassSchema(), SetLogged.getClassSchema(), SessionCompleted.getClassSchema(),
                RepDetail.getClassSchema());
        var fields = records.stream().map(r -> r.getName() + ": " + String.join(" ", r.getFields().stream().map(Schema.Field::name).toList())).toList();
        assertThat(fields).as("a schema changed: make TrainingEventWriter write it, then update its FIELDS")
                .isEqualTo(TrainingEventWriter.FIELDS);
        assertThat(Side.getClassSchema().getEnumSymbols()).containsExactly("LEFT", "RIGHT", "BOTH");
        assertThat(SetType.getClassSchema().getEnumSymbols()).containsExactly("WORKING", "WARMUP", "DROP", "FAILURE");
    }

    @Test
    void theSerdesWriteEventsWithIt() {
        var event = completed("e-1");
        byte[] written = new PlainAvroSerde<>(TrainingEvent.class).serializer().serialize(Topics.EVENTS, event);
        assertThat(new PlainAvroSerde<>(TrainingEvent.class).deserializer().deserialize(Topics.EVENTS, written)).isEqualTo(event);
        assertThat(PlainAvroSerde.writerOf(TrainingEvent.class, org.apache.avro.specific.SpecificData.getForClass(TrainingEvent.class)))
                .isInstanceOf(TrainingEventWriter.class);
    }

    private static <T> byte[] bytes(DatumWriter<T> writer, T value) throws IOException {
        var out = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(value, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static TrainingEvent completed(String eventId) {
        return TrainingEvent.newBuilder().setEventId(eventId).setAthleteId("gym-a:ath-1").setSource("gym-a")
                .setReceivedAt(Instant.parse("2026-11-21T09:00:00Z"))
                .setPayload(SessionCompleted.newBuilder().setSessionId("s1").setCompletedAt(Instant.parse("2026-11-21T10:00:00Z")).build()).build();
    }

    @Provide
    Arbitrary<TrainingEvent> events() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40); // any characters, multi-byte ones included
        Arbitrary<Instant> time = Arbitraries.longs().between(-10_000_000_000_000L, 10_000_000_000_000L).map(Instant::ofEpochMilli);
        Arbitrary<Double> number = Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.of(0.0, -0.0, Double.NaN, Double.MAX_VALUE));
        Arbitrary<RepDetail> rep = Combinators.combine(number.injectNull(0.3), number.injectNull(0.3), Arbitraries.of(true, false).injectNull(0.3))
                .as((eccentric, hold, level) -> RepDetail.newBuilder().setEccentricSeconds(eccentric).setTopHoldSeconds(hold).setPelvisLevel(level).build());
        Arbitrary<List<RepDetail>> reps = rep.list().ofMaxSize(70).map(ArrayList::new); // past 64 items: more than one block would show
        Arbitrary<SetLogged> set = Combinators.combine(text, time, text, Arbitraries.of(Side.class).injectNull(0.3),
                Arbitraries.integers(), number, Arbitraries.integers().injectNull(0.4), reps.injectNull(0.4))
                .as((session, at, exercise, side, repCount, kg, controlled, details) -> SetLogged.newBuilder().setSessionId(session)
                        .setPerformedAt(at).setExercise(exercise).setSide(side).setReps(repCount).setLoadKg(kg).setControlledReps(controlled)
                        .setRepDetails(details))
                .flatMap(builder -> Combinators.combine(number.injectNull(0.5), text.injectNull(0.5), Arbitraries.of(SetType.class))
                        .as((rpe, notes, type) -> builder.setRpe(rpe).setNotes(notes).setSetType(type).build()));
        Arbitrary<SessionCompleted> completion = Combinators.combine(text, time)
                .as((session, at) -> SessionCompleted.newBuilder().setSessionId(session).setCompletedAt(at).build());
        Arbitrary<Object> payload = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, set.map(s -> (Object) s)),
                net.jqwik.api.Tuple.of(2, completion.map(c -> (Object) c)));
        return Combinators.combine(text, text, text.injectNull(0.3), time, payload)
                .as((id, athlete, source, received, body) -> TrainingEvent.newBuilder().setEventId(id).setAthleteId(athlete).setSource(source)
                        .setReceivedAt(received).setPayload(body).build());
    }
}
