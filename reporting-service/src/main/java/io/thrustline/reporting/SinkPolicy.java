package io.thrustline.reporting;

import java.time.Duration;
import java.util.Map;

/**
 * How the sinks ride out failures.
 *
 * @param firstRetry   wait after the first failure of a batch (or a sink's death); doubled after each further one
 * @param maxRetry     the longest wait between two attempts
 * @param writeTimeout the longest a write may wait on PostgreSQL, locks included, before it counts as a transient
 *                     failure: a sink blocked forever would look healthy while storing nothing
 */
public record SinkPolicy(Duration firstRetry, Duration maxRetry, Duration writeTimeout) {

    public SinkPolicy {
        if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0 || writeTimeout.isNegative()
                || writeTimeout.isZero()) {
            throw new IllegalArgumentException("sink retry waits and write timeout must be positive, the first retry at most the longest: "
                    + "firstRetry=" + firstRetry + ", maxRetry=" + maxRetry + ", writeTimeout=" + writeTimeout);
        }
    }

    public static SinkPolicy defaults() {
        return new SinkPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    static SinkPolicy fromEnv(Map<String, String> env) {
        var defaults = defaults();
        return new SinkPolicy(
                millis(env, "THRUSTLINE_REPORTING_RETRY_FIRST_MS", defaults.firstRetry()),
                millis(env, "THRUSTLINE_REPORTING_RETRY_MAX_MS", defaults.maxRetry()),
                millis(env, "THRUSTLINE_REPORTING_WRITE_TIMEOUT_MS", defaults.writeTimeout()));
    }

    /** The wait before the next attempt after {@code failures} failures in a row (1 = the first failure). */
    Duration backoff(int failures) {
        Duration wait = firstRetry;
        for (int i = 1; i < failures && wait.compareTo(maxRetry) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxRetry) < 0 ? wait : maxRetry;
    }

    private static Duration millis(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : Duration.ofMillis(Long.parseLong(value.trim()));
    }
}
