package io.thrustline.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class IsoInstantTest {

    @Property(tries = 5000)
    void writesWhatInstantToStringWrites(@ForAll("instants") Instant instant) {
        var out = new StringBuilder("x,");
        if (IsoInstant.append(out, instant)) {
            assertThat(out.toString()).isEqualTo("x," + instant);
        } else {
            assertThat(out.toString()).isEqualTo("x,");
            int year = instant.atZone(java.time.ZoneOffset.UTC).getYear();
            assertThat(year < 1000 || year > 9999).as("left to the caller: year %d", year).isTrue();
        }
    }

    /** Whole seconds, milli-, micro- and nanosecond fractions, around the years where the fast path stops. */
    @Provide
    Arbitrary<Instant> instants() {
        Arbitrary<Long> seconds = Arbitraries.oneOf(
                Arbitraries.longs().between(Instant.parse("0999-12-31T23:59:59Z").getEpochSecond(), Instant.parse("+10000-01-01T00:00:01Z").getEpochSecond()),
                Arbitraries.longs().between(Instant.parse("2000-01-01T00:00:00Z").getEpochSecond(), Instant.parse("2030-01-01T00:00:00Z").getEpochSecond()),
                Arbitraries.of(Instant.parse("0999-12-31T23:59:59Z").getEpochSecond(), Instant.parse("1000-01-01T00:00:00Z").getEpochSecond(),
                        Instant.parse("9999-12-31T23:59:59Z").getEpochSecond(), -1L, 0L));
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(us -> us * 1_000), Arbitraries.integers().between(0, 999_999_999));
        return seconds.flatMap(s -> nanos.map(n -> Instant.ofEpochSecond(s, n)));
    }
}
