package io.thrustline.streams.sessions;

import io.thrustline.streams.rules.LoggedSet;
import java.util.List;

/** What the session tracker tells the processors after it: each takes the kinds it needs and passes over the rest. */
public sealed interface SessionEvent {

    /** A new set was accepted into its session (not a retry, not refused). */
    record SetAccepted(LoggedSet set) implements SessionEvent {}

    /** A session closed, or closed again after a late set or a retried completion: judge all its sets. At most 300. */
    record SessionClosed(String athleteId, String sessionId, List<LoggedSet> sets) implements SessionEvent {
        public SessionClosed {
            sets = List.copyOf(sets);
        }
    }

    /** A session's retention ran out (or it never had a set): forget what was kept about it. */
    record SessionForgotten(String athleteId, String sessionId) implements SessionEvent {}
}
