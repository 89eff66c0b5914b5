package io.thrustline.reporting.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How webhook deliveries are retried.
 *
 * @param firstRetry     wait after a delivery's first failed attempt; doubled after each further one
 * @param maxRetry       the longest wait between two attempts
 * @param giveUpAfter    how long after it was queued a delivery keeps being retried before it is dead-lettered
 * @param requestTimeout the longest one attempt may take, connecting included; a receiver that hangs costs its own
 *                       lane this much per attempt and nobody else anything
 * @param pollInterval   how often the dispatcher looks for receivers with a delivery due
 */
public record DeliveryPolicy(Duration firstRetry, Duration maxRetry, Duration giveUpAfter, Duration requestTimeout, Duration pollInterval) {

    public DeliveryPolicy {
        for (Duration d : new Duration[] {firstRetry, maxRetry, giveUpAfter, requestTimeout, pollInterval}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("webhook retry waits, give-up time, timeout and poll interval must be positive: " + this);
            }
        }
        if (maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("the longest webhook retry wait must be at least the first: " + this);
        }
    }

    /** Retried for 24 hours, first after 5 s, then at most an hour apart: about thirty attempts before giving up. */
    public static DeliveryPolicy defaults() {
        return new DeliveryPolicy(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(24), Duration.ofSeconds(10),
                Duration.ofMillis(250));
    }

    public static DeliveryPolicy fromEnv(Map<String, String> env) {
        var d = defaults();
        return new DeliveryPolicy(
                millis(env, "THRUSTLINE_WEBHOOK_RETRY_FIRST_MS", d.firstRetry()),
                millis(env, "THRUSTLINE_WEBHOOK_RETRY_MAX_MS", d.maxRetry()),
                millis(env, "THRUSTLINE_WEBHOOK_GIVE_UP_AFTER_MS", d.giveUpAfter()),
                millis(env, "THRUSTLINE_WEBHOOK_TIMEOUT_MS", d.requestTimeout()),
                millis(env, "THRUSTLINE_WEBHOOK_POLL_MS", d.pollInterval()));
    }

    /**
     * When to try again after {@code failedAttempts} failures of a delivery queued at {@code queuedAt}, or empty when
     * it has been retried for long enough and goes to the dead letters. The last attempt falls on the give-up time
     * itself, so a receiver is tried across the whole window.
     */
    public Optional<Instant> nextAttempt(Instant queuedAt, int failedAttempts, Instant now) {
        Instant giveUpAt = queuedAt.plus(giveUpAfter);
        if (!now.isBefore(giveUpAt)) {
            return Optional.empty();
        }
        Instant next = now.plus(backoff(failedAttempts));
        return Optional.of(next.isBefore(giveUpAt) ? next : giveUpAt);
    }

    /** The wait after {@code failures} failures in a row (1 = the first). */
    Duration backoff(int failures) {
        Duration wait = firstRetry;
        for (int i = 1; i < failures && wait.compareTo(maxRetry) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxRetry) < 0 ? wait : maxRetry;
    }

    /** A lane is leased for longer than one attempt can take, so a live dispatcher never loses it mid-attempt. */
    Duration laneLease() {
        return requestTimeout.multipliedBy(2).plusSeconds(5);
    }

    private static Duration millis(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : Duration.ofMillis(Long.parseLong(value.trim()));
    }
}
