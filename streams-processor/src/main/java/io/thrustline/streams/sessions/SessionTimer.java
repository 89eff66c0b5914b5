package io.thrustline.streams.sessions;

import java.time.Duration;
import java.time.Instant;

/**
 * The one timer each stored session has. Timers live in time-ordered indexes (store keys that start with the
 * time), so each punctuation reads only the sessions that are due, with one range scan, however many athletes
 * there are.
 *
 * @param atMillis wall-clock time the timer is due
 */
public record SessionTimer(Kind kind, long atMillis) {

    public enum Kind {
        /** Open, or never given a set: closed after the inactivity period, or forgotten when it has no set. */
        INACTIVITY,
        /** Closed with sets: forgotten when the retention period since its last event has passed. */
        EXPIRY
    }

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;

    /**
     * The timer of a session in this state. The inactivity close is rounded up to the minute and the expiry up
     * to the hour (the purge runs hourly), so the many events of one minute or hour leave the index untouched.
     * A session that never had a set (a SessionCompleted alone) has nothing to keep for the retention period,
     * so it keeps the inactivity timer even when closed.
     */
    static SessionTimer of(boolean closed, int sets, Instant lastActivityAt, Duration inactivity, Duration retention) {
        long last = lastActivityAt.toEpochMilli();
        if (!closed || sets == 0) {
            return new SessionTimer(Kind.INACTIVITY, Math.ceilDiv(last + inactivity.toMillis(), MINUTE) * MINUTE);
        }
        return new SessionTimer(Kind.EXPIRY, Math.ceilDiv(last + retention.toMillis(), HOUR) * HOUR);
    }

    String key(String sessionKey) {
        return StoreKeys.timer(kind, atMillis, sessionKey);
    }
}
