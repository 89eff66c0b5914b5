package io.thrustline.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per integration, counted in sets: a batch of 500 uses 500, and a refused (invalid) request
 * uses as many as it claimed to carry, at least one, so bad requests cannot be sent for free. One
 * integration sending too fast gets 429 with the wait in Retry-After, and the others are not slowed by it.
 * A request larger than the burst (a big import) goes through when the bucket is full and leaves it in
 * debt, so it waits afterwards instead of never fitting.
 */
final class SetRateLimit {

    /** Whether a request may go ahead, and if not how long to wait. */
    record Decision(boolean allowed, Duration retryAfter) {}

    private final double setsPerSecond;
    private final double burst;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    SetRateLimit(double setsPerSecond, double burst, Clock clock) {
        this.setsPerSecond = setsPerSecond;
        this.burst = burst;
        this.clock = clock;
    }

    Decision take(String integration, int sets) {
        return buckets.computeIfAbsent(integration, k -> new Bucket(burst, clock.millis())).take(sets);
    }

    private final class Bucket {
        private double tokens;
        private long updatedAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedAt = now;
        }

        synchronized Decision take(int sets) {
            long now = clock.millis();
            tokens = Math.min(burst, tokens + (now - updatedAt) / 1000.0 * setsPerSecond);
            updatedAt = now;
            double needed = Math.min(sets, burst);
            if (needed <= tokens) {
                tokens -= sets;
                return new Decision(true, Duration.ZERO);
            }
            double missing = needed - tokens;
            return new Decision(false, Duration.ofSeconds((long) Math.ceil(missing / setsPerSecond)));
        }
    }
}
