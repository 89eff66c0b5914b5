package io.thrustline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SetRateLimitTest {

    private final SetRateLimit limit = new SetRateLimit(10, 20, Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void aRequestLargerThanTheBurstPassesOnAFullBucketAndThenWaits() {
        assertThat(limit.take("gym-a", 50).allowed()).isTrue();
        var next = limit.take("gym-a", 1);
        assertThat(next.allowed()).isFalse();
        assertThat(next.retryAfter().toSeconds()).isGreaterThanOrEqualTo(3); // 30 sets of debt + 1 at 10 per second
        assertThat(limit.take("gym-b", 1).allowed()).as("other integrations are not slowed").isTrue();
    }
}
