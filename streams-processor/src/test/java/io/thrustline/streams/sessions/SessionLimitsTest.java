package io.thrustline.streams.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionLimitsTest {

    private static final Instant NINE = Instant.parse("2026-11-21T09:00:00Z");
    private final SessionLimits limits = new SessionLimits(Duration.ofHours(12), 300);

    @Test
    void theFirstSetOfASessionAlwaysFits() {
        assertThat(limits.refusalOf("s1", SessionExtent.EMPTY, Instant.parse("2001-01-01T00:00:00Z"))).isNull();
    }

    @Test
    void aSessionMaySpanExactlyItsMaximumInEitherDirection() {
        var extent = SessionExtent.EMPTY.with(NINE).with(NINE.plus(Duration.ofHours(2)));
        assertThat(limits.refusalOf("s1", extent, NINE.minus(Duration.ofHours(10)))).isNull();
        assertThat(limits.refusalOf("s1", extent, NINE.plus(Duration.ofHours(12)))).isNull();
    }

    @Test
    void aSetThatWouldStretchTheSessionFurtherIsRefusedEitherSide() {
        var extent = SessionExtent.EMPTY.with(NINE).with(NINE.plus(Duration.ofHours(2)));
        assertThat(limits.refusalOf("s1", extent, NINE.minus(Duration.ofHours(10)).minusMillis(1)))
                .contains("would stretch session 's1'").contains("at most 12 hours");
        assertThat(limits.refusalOf("s1", extent, NINE.plus(Duration.ofHours(12)).plusMillis(1))).contains("would stretch");
        assertThat(limits.refusalOf("s1", extent, Instant.parse("1970-01-01T00:00:00Z"))).contains("would stretch");
    }

    @Test
    void theSpanIsMeasuredOverTheSetsAlreadyAcceptedNotTheNewestAlone() {
        var extent = SessionExtent.EMPTY.with(NINE).with(NINE.plus(Duration.ofHours(11))).with(NINE.plus(Duration.ofHours(1)));
        assertThat(extent).isEqualTo(new SessionExtent(NINE, NINE.plus(Duration.ofHours(11)), 3));
        assertThat(limits.refusalOf("s1", extent, NINE.minus(Duration.ofHours(2)))).isNotNull();
    }

    @Test
    void aFullSessionRefusesAnyFurtherSet() {
        var almostFull = new SessionExtent(NINE, NINE.plus(Duration.ofHours(1)), 299);
        assertThat(limits.refusalOf("s1", almostFull, NINE)).isNull();
        var full = almostFull.with(NINE);
        assertThat(limits.refusalOf("s1", full, NINE)).contains("already holds 300 sets");
    }
}
