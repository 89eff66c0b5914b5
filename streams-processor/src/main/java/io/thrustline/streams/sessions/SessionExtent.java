package io.thrustline.streams.sessions;

import java.time.Duration;
import java.time.Instant;

/**
 * The sets a session holds so far, as far as its bounds are concerned: how many, and the performedAt of the
 * earliest and the latest.
 *
 * @param earliest null while the session has no set
 * @param latest   null while the session has no set
 */
record SessionExtent(Instant earliest, Instant latest, int sets) {

    static final SessionExtent EMPTY = new SessionExtent(null, null, 0);

    boolean isEmpty() {
        return sets == 0 || earliest == null;
    }

    /** From the earliest to the latest set if a set performed at {@code performedAt} joined the session. */
    Duration spanWith(Instant performedAt) {
        if (isEmpty()) {
            return Duration.ZERO;
        }
        Instant from = performedAt.isBefore(earliest) ? performedAt : earliest;
        Instant to = performedAt.isAfter(latest) ? performedAt : latest;
        return Duration.between(from, to);
    }

    SessionExtent with(Instant performedAt) {
        if (isEmpty()) {
            return new SessionExtent(performedAt, performedAt, sets + 1);
        }
        return new SessionExtent(performedAt.isBefore(earliest) ? performedAt : earliest,
                performedAt.isAfter(latest) ? performedAt : latest, sets + 1);
    }
}
