package io.thrustline.streams;

import java.time.Duration;

/**
 * How long streams-processor remembers things, which bounds its state per athlete (docs/rules.md).
 *
 * @param sessions    a closed session's sets kept after its last event: until then later sets re-open it and
 *                    a repeated event id is recognised as a duplicate
 * @param loadHistorySets the most recent sets kept per athlete, exercise and side for judging load increases
 * @param balancesPerExercise earlier session balances kept per athlete and exercise
 */
public record Retention(Duration sessions, int loadHistorySets, int balancesPerExercise) {

    public static Retention defaults() {
        return new Retention(Duration.ofDays(30), 50, 10);
    }
}
