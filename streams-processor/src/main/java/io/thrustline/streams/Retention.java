package io.thrustline.streams;

import java.time.Duration;

/**
 * How long streams-processor remembers things, which bounds its state per athlete (docs/rules.md).
 *
 * @param sessions    a closed session's sets kept after its last event: until then later sets re-open it and
 *                    a repeated event id is recognised as a duplicate
 * @param loadHistory sets kept for judging load increases, from when they were stored
 * @param balancesPerExercise earlier session balances kept per athlete and exercise
 */
public record Retention(Duration sessions, Duration loadHistory, int balancesPerExercise) {

    public static Retention defaults() {
        return new Retention(Duration.ofDays(30), Duration.ofDays(180), 10);
    }
}
