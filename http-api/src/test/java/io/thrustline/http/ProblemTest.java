package io.thrustline.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void aProblemHasTheRfcMembersInOrderThenItsOwn() {
        var problem = Problem.tooManyRequests(Duration.ofMillis(1500), "slow down").with("limit", 10);
        assertThat(problem.body()).containsExactly(
                java.util.Map.entry("type", "/problems/rate-limited"), java.util.Map.entry("title", "Too Many Requests"),
                java.util.Map.entry("status", 429), java.util.Map.entry("detail", "slow down"), java.util.Map.entry("limit", 10));
        assertThat(problem.headers()).containsEntry("Retry-After", "2");
    }

    @Test
    void echoedInputIsCutAndSaysHowLongItWas() {
        assertThat(ApiServer.truncate("x".repeat(5000), 10)).isEqualTo("xxxxxxxxxx…(5000 characters)");
        assertThat(ApiServer.truncate("short", 10)).isEqualTo("short");
    }
}
