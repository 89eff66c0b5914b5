package io.thrustline.streams;

import java.time.Duration;

/**
 * How long streams-processor remembers things, which bounds its state per athlete (docs/rules.md).
 *
 * @param sessions    a closed session's sets and event ids kept after its last event: until then later sets
 *                    re-open it and a repeated event id is recognised as a duplicate (or refused when its content
 *                    differs)
 * @param loadHistorySets the most recent sets kept per athlete, exercise and side for judging load increases
 * @param balancesPerExercise earlier session balances kept per athlete and exercise
 */
public record Retention(Duration sessions, int loadHistorySets, int balancesPerExercise) {

    /**
     * SessionCompleted event ids remembered per session, newest first. Closing a session again yields the same
     * results under the same ids, so a retry of a completion older than these only re-closes the session to the
     * same effect: forgetting it is harmless, and a flood of completions cannot grow the session's state.
     */
    public static final int COMPLETIONS_PER_SESSION = 20;

    public static Retention defaults() {
        return new Retention(Duration.ofDays(30), 50, 10);
    }
}
