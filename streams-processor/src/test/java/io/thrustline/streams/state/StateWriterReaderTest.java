package io.thrustline.streams.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StateWriterReaderTest {

    @Test
    void everyKindOfValueReadsBackAsWritten() {
        var random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            long anyLong = random.nextLong();
            long small = random.nextInt(1 << 20);
            double kg = random.nextBoolean() ? random.nextInt(400) * 0.5 : random.nextDouble() * 300; // whole grams, and not
            String id = random.nextBoolean() ? UUID.randomUUID().toString() : "id-" + random.nextInt() + (random.nextBoolean() ? "-ÄÖ" : "");
            Integer maybe = random.nextBoolean() ? null : random.nextInt(1000);
            byte[] bytes = StateWriter.of(7).writeSignedLong(anyLong).writeLong(small).writeKg(kg).writeId(id).writeOptionalInt(maybe)
                    .writeDouble(-kg).writeOptionalString(random.nextBoolean() ? null : id).toBytes();
            StateReader in = StateReader.of(bytes, 7, "test");
            assertThat(in.readSignedLong()).isEqualTo(anyLong);
            assertThat(in.readLong()).isEqualTo(small);
            assertThat(in.readKg()).isEqualTo(kg);
            assertThat(in.readId()).isEqualTo(id);
            assertThat(in.readOptionalInt()).isEqualTo(maybe);
            assertThat(in.readDouble()).isEqualTo(-kg);
            in.readOptionalString();
            assertThat(in.atEnd()).isTrue();
        }
    }

    @Test
    void timesInWholeSecondsTakeAFewBytesAndAnyTimeReadsBack() {
        long base = 1_763_710_200_000L;
        assertThat(StateWriter.part().writeTime(base + 90_000, base).toBytes()).hasSize(2);
        assertThat(StateWriter.part().writeTime(base - 3 * 86_400_000L, base).toBytes()).hasSizeLessThanOrEqualTo(3);
        var random = new Random(5);
        for (int i = 0; i < 10_000; i++) {
            long t = base + (random.nextBoolean() ? random.nextInt(1_000_000) * 1000L : random.nextLong() / 4);
            long from = random.nextBoolean() ? base : 0;
            byte[] bytes = StateWriter.of(1).writeTime(t, from).writeDecimal(random.nextInt(1000) / 10.0, 10).toBytes();
            StateReader in = StateReader.of(bytes, 1, "test");
            assertThat(in.readTime(from)).isEqualTo(t);
            in.readDecimal(10);
        }
    }

    @Test
    void uuidsTakeSeventeenBytesAndOnlyCanonicalOnesAreShortened() {
        String canonical = "3f2a1c4e-9b7d-4e21-8a55-0c6b2f9d1e07";
        assertThat(StateWriter.part().writeId(canonical).toBytes()).hasSize(17);
        String upper = canonical.toUpperCase(); // would read back lowercase, so it is kept as text
        byte[] bytes = StateWriter.of(1).writeId(upper).toBytes();
        assertThat(StateReader.of(bytes, 1, "test").readId()).isEqualTo(upper);
    }

    @Test
    void wholeGramLoadsTakeAFewBytes() {
        assertThat(StateWriter.part().writeKg(22.5).toBytes()).hasSizeLessThanOrEqualTo(3);
        assertThat(StateWriter.part().writeKg(22.68).toBytes()).hasSizeLessThanOrEqualTo(3);
        assertThat(StateWriter.part().writeKg(0.1 + 0.2).toBytes()).hasSize(9); // not a whole gram: kept exact
    }

    @Test
    void aValueInAnotherLayoutIsRefusedWithWhatToDo() {
        byte[] bytes = StateWriter.of(2).writeLong(5).toBytes();
        assertThatThrownBy(() -> StateReader.of(bytes, 1, "sessions"))
                .hasMessageContaining("'sessions'").hasMessageContaining("layout 2").hasMessageContaining("reset the application's state");
    }
}
