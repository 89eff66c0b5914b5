package io.thrustline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/** The fast path must give the formatter's answer wherever it answers at all, and refuse what the formatter refuses. */
class OffsetTimestampTest {

    @Test
    void theCommonShapesAreReadWithoutTheFormatter() {
        assertThat(OffsetTimestamp.fastPath("2026-11-21T09:14:05Z")).isEqualTo(Instant.parse("2026-11-21T09:14:05Z"));
        assertThat(OffsetTimestamp.fastPath("2026-11-21T09:14:05.25+01:30")).isEqualTo(Instant.parse("2026-11-21T07:44:05.250Z"));
        assertThat(OffsetTimestamp.fastPath("2026-11-21t09:14:05.123456789-05:00")).isEqualTo(Instant.parse("2026-11-21T14:14:05.123456789Z"));
        // Left to the formatter: no seconds, a year past 9999, a ten-digit fraction (refused there).
        assertThat(OffsetTimestamp.fastPath("2026-11-21T09:14Z")).isNull();
        assertThat(OffsetTimestamp.parse("2026-11-21T09:14Z")).isEqualTo(Instant.parse("2026-11-21T09:14:00Z"));
        assertThat(OffsetTimestamp.fastPath("2026-11-21T09:14:05.1234567890Z")).isNull();
        assertThat(OffsetTimestamp.fastPath("2026-11-21T09:14:05.Z")).isNull(); // a bare point: the formatter takes it
        assertThat(OffsetTimestamp.parse("2026-11-21T09:14:05.Z")).isEqualTo(Instant.parse("2026-11-21T09:14:05Z"));
    }

    @Test
    void impossibleDatesAndTimesAreRefusedAsTheFormatterRefusesThem() {
        for (String bad : new String[] {"2026-02-30T09:14:05Z", "2026-11-21T24:00:00Z", "2026-11-21T09:14:60Z", "2026-11-21T09:14:05+19:00",
                "2026-11-21T09:14:05", "2026-11-21 09:14:05Z", "２026-11-21T09:14:05Z"}) {
            assertThatThrownBy(() -> OffsetTimestamp.parse(bad)).as(bad).isInstanceOf(DateTimeException.class);
        }
    }

    @Property(tries = 3000)
    void anyTextGetsTheFormattersAnswer(@ForAll("timestamps") String text) {
        Instant expected;
        try {
            expected = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException refused) {
            expected = null;
        }
        Instant fast = OffsetTimestamp.fastPath(text);
        Statistics.label("answered by").collect(fast != null ? "fast path" : expected != null ? "formatter" : "refused");
        Statistics.label("answered by").coverage(coverage -> {
            coverage.check("fast path").percentage(p -> p > 15);
            coverage.check("formatter").percentage(p -> p > 1);
            coverage.check("refused").percentage(p -> p > 5);
        });
        if (fast != null) {
            assertThat(fast).isEqualTo(expected);
        }
        if (expected == null) {
            assertThatThrownBy(() -> OffsetTimestamp.parse(text)).isInstanceOf(DateTimeException.class);
        } else {
            assertThat(OffsetTimestamp.parse(text)).isEqualTo(expected);
        }
    }

    private static Arbitrary<String> inRangeOrNot(int min, int max) {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(12, Arbitraries.integers().between(min, max).map(v -> String.format("%02d", v))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("00", "24", "32", "60", "99", "1a", "+1")));
    }

    /** Mostly well-formed times, with every part sometimes out of range or oddly written. */
    @Provide
    Arbitrary<String> timestamps() {
        Arbitrary<String> year = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0, 9999).map(y -> String.format("%04d", y))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("+10000", "-0001", "202")));
        Arbitrary<String> month = inRangeOrNot(1, 12);
        Arbitrary<String> day = inRangeOrNot(1, 31);
        Arbitrary<String> hour = inRangeOrNot(0, 23);
        Arbitrary<String> sixty = inRangeOrNot(0, 59);
        Arbitrary<String> fraction = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(".")),
                net.jqwik.api.Tuple.of(4, Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(11).map(d -> "." + d)));
        Arbitrary<String> offset = Arbitraries.oneOf(Arbitraries.of("Z", "z", "", "+00:00", "-00:00", "+18:00", "-18:00", "+18:01", "+05:30",
                "+0530", "+05", "+05:30:15", "-12:60"), Arbitraries.integers().between(0, 19).map(h -> (h % 2 == 0 ? "+" : "-") + String.format("%02d:%02d", h, h * 7 % 60)));
        Arbitrary<String> separator = Arbitraries.of("T", "T", "T", "t", " ");
        return Combinators.combine(year, month, day, separator, hour, sixty, sixty, fraction)
                .as((y, mo, d, t, h, mi, s, f) -> y + "-" + mo + "-" + d + t + h + ":" + mi + ":" + s + f)
                .flatMap(local -> offset.map(o -> local + o));
    }
}
