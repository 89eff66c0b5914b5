package io.thrustline.streams.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.streams.sessions.SessionTimer.Kind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionTimerTest {

    private static final Duration INACTIVITY = Duration.ofMinutes(120);
    private static final Duration RETENTION = Duration.ofDays(30);
    private static final Instant LAST = Instant.parse("2026-11-21T07:30:20Z");

    @Test
    void anOpenSessionWaitsForItsInactivityCloseOnTheNextMinute() {
        assertThat(SessionTimer.of(false, 3, LAST, INACTIVITY, RETENTION))
                .isEqualTo(new SessionTimer(Kind.INACTIVITY, Instant.parse("2026-11-21T09:31:00Z").toEpochMilli()));
    }

    @Test
    void aClosedSessionWithSetsExpiresAfterItsRetentionOnTheNextHour() {
        assertThat(SessionTimer.of(true, 3, LAST, INACTIVITY, RETENTION))
                .isEqualTo(new SessionTimer(Kind.EXPIRY, Instant.parse("2026-12-21T08:00:00Z").toEpochMilli()));
    }

    @Test
    void aSessionThatNeverHadASetIsForgottenAtItsInactivityDeadlineEvenWhenCompleted() {
        assertThat(SessionTimer.of(true, 0, LAST, INACTIVITY, RETENTION).kind()).isEqualTo(Kind.INACTIVITY);
    }

    @Test
    void timerKeysSortByTimeSoThatWhatIsDueIsOneRangeFromTheStart() {
        String early = SessionTimer.of(true, 1, LAST, INACTIVITY, RETENTION).key("zz:ath|s9");
        String late = SessionTimer.of(true, 1, LAST.plus(Duration.ofDays(1)), INACTIVITY, RETENTION).key("aa:ath|s1");
        assertThat(early).isLessThan(late);
        long dueAt = SessionTimer.of(true, 1, LAST, INACTIVITY, RETENTION).atMillis();
        assertThat(early).isLessThan(StoreKeys.timersDueBy(Kind.EXPIRY, dueAt)).isGreaterThanOrEqualTo(StoreKeys.timersFrom(Kind.EXPIRY));
        assertThat(late).isGreaterThan(StoreKeys.timersDueBy(Kind.EXPIRY, dueAt));
        // the two kinds never mix: no inactivity close is in the expiries' range, whenever it is due
        String close = SessionTimer.of(false, 1, LAST.minus(Duration.ofDays(400)), INACTIVITY, RETENTION).key("aa:ath|s1");
        assertThat(close).isLessThan(StoreKeys.timersFrom(Kind.EXPIRY));
        assertThat(StoreKeys.sessionOfTimer(early)).isEqualTo("zz:ath|s9");
    }
}
