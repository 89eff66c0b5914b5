package io.thrustline.streams.sessions;

import io.thrustline.seeds.RuleBook;
import java.time.Duration;
import java.time.Instant;

/**
 * What one session may hold. No real session lasts longer than {@code maxSpan} from its first set to its last
 * or holds more than {@code maxSets} sets, so a set that would break either bound is refused rather than let
 * one bogus set move the session's date (and with it the balance's date and the insights' detectedAt) or
 * grow its state without end. The sets already accepted always stand: the first ones win.
 */
record SessionLimits(Duration maxSpan, int maxSets) {

    static SessionLimits of(RuleBook.Sessions sessions) {
        return new SessionLimits(sessions.maxSpan(), sessions.maxSetsPerSession());
    }

    /** Null when a set performed at {@code performedAt} may join the session; otherwise why not, for the dead-letter headers. */
    String refusalOf(String sessionId, SessionExtent extent, Instant performedAt) {
        if (extent.sets() >= maxSets) {
            return "session '" + sessionId + "' already holds " + extent.sets() + " sets, the most one session may hold";
        }
        Duration span = extent.spanWith(performedAt);
        if (span.compareTo(maxSpan) > 0) {
            return "set performed at " + performedAt + " would stretch session '" + sessionId + "' to " + hours(span)
                    + " (its sets so far run from " + extent.earliest() + " to " + extent.latest() + "); a session spans at most "
                    + hours(maxSpan) + ", so the set is refused and the session keeps its date";
        }
        return null;
    }

    private static String hours(Duration d) {
        long minutes = d.toMinutes();
        return minutes % 60 == 0 ? (minutes / 60) + " hours" : (minutes / 60) + " h " + (minutes % 60) + " min";
    }
}
