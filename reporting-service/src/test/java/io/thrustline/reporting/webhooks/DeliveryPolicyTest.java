package io.thrustline.reporting.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryPolicyTest {

    private static final Instant QUEUED = Instant.parse("2026-11-20T08:00:00Z");

    @Test
    void waitsDoubleFromTheFirstRetryUpToTheLongest() {
        var policy = DeliveryPolicy.defaults();
        assertThat(policy.nextAttempt(QUEUED, 1, QUEUED)).contains(QUEUED.plusSeconds(5));
        assertThat(policy.nextAttempt(QUEUED, 2, QUEUED.plusSeconds(5))).contains(QUEUED.plusSeconds(15));
        assertThat(policy.nextAttempt(QUEUED, 3, QUEUED.plusSeconds(15))).contains(QUEUED.plusSeconds(35));
        Instant late = QUEUED.plus(Duration.ofHours(10));
        assertThat(policy.nextAttempt(QUEUED, 20, late)).contains(late.plus(Duration.ofHours(1)));
    }

    @Test
    void keepsTryingForTheWholeDayThenGivesUp() {
        var policy = DeliveryPolicy.defaults();
        Instant giveUpAt = QUEUED.plus(Duration.ofHours(24));
        Instant almost = giveUpAt.minus(Duration.ofMinutes(10));
        // The last attempt lands on the give-up time rather than an hour past it, or never.
        assertThat(policy.nextAttempt(QUEUED, 29, almost)).contains(giveUpAt);
        assertThat(policy.nextAttempt(QUEUED, 30, giveUpAt)).isEmpty();
        assertThat(policy.nextAttempt(QUEUED, 30, giveUpAt.plusSeconds(1))).isEmpty();
    }

    @Test
    void aDayOfRetriesIsAboutThirtyAttempts() {
        var policy = DeliveryPolicy.defaults();
        Instant now = QUEUED;
        int attempts = 1;
        for (var next = policy.nextAttempt(QUEUED, attempts, now); next.isPresent(); next = policy.nextAttempt(QUEUED, attempts, now)) {
            now = next.get();
            attempts++;
        }
        assertThat(now).isEqualTo(QUEUED.plus(Duration.ofHours(24)));
        assertThat(attempts).isBetween(25, 35);
    }

    @Test
    void readsTheEnvironmentAndRefusesNonsense() {
        var policy = DeliveryPolicy.fromEnv(Map.of("THRUSTLINE_WEBHOOK_RETRY_FIRST_MS", "200", "THRUSTLINE_WEBHOOK_GIVE_UP_AFTER_MS", "3000"));
        assertThat(policy.firstRetry()).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.giveUpAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.maxRetry()).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> DeliveryPolicy.fromEnv(Map.of("THRUSTLINE_WEBHOOK_TIMEOUT_MS", "0"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeliveryPolicy.fromEnv(Map.of("THRUSTLINE_WEBHOOK_RETRY_MAX_MS", "100")))
                .hasMessageContaining("at least the first");
    }
}
