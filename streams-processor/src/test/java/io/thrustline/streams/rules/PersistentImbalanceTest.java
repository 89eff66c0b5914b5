package io.thrustline.streams.rules;

import io.thrustline.schemas.RuleName;
import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.seeds.Seeds;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersistentImbalanceTest {

    private final Seeds seeds = Seeds.loadBuiltIn();
    private final PersistentImbalance rule = new PersistentImbalance(seeds.catalog(), seeds.rules().persistentImbalance());
    private static final Instant NOW = Instant.parse("2026-11-21T07:30:00Z");

    @Test
    void theSameWeakerSideThreeSessionsRunningIsAnAlert() {
        var finding = rule.evaluate(current(18.2, Side.RIGHT), List.of(prior("s2", 14.5, Side.RIGHT), prior("s1", 10.0, Side.RIGHT)));
        assertThat(finding).get().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(RuleName.PERSISTENT_IMBALANCE);
            assertThat(f.severity()).isEqualTo(Severity.ALERT);
            assertThat(f.side()).isEqualTo(Side.RIGHT);
            assertThat(f.metrics()).containsEntry("sessions", 3.0).containsEntry("minAsymmetryPct", 10.0);
            assertThat(f.message()).contains("10.0%, 14.5%, 18.2%");
            assertThat(f.advice()).contains("right leg").contains("step back to");
        });
    }

    @Test
    void oneSessionUnderTheThresholdBreaksTheRun() {
        assertThat(rule.evaluate(current(18.2, Side.RIGHT), List.of(prior("s2", 9.9, Side.RIGHT), prior("s1", 12.0, Side.RIGHT)))).isEmpty();
    }

    @Test
    void aChangeOfWeakerSideBreaksTheRun() {
        assertThat(rule.evaluate(current(18.2, Side.RIGHT), List.of(prior("s2", 12.0, Side.LEFT), prior("s1", 12.0, Side.RIGHT)))).isEmpty();
    }

    @Test
    void twoSessionsAreNotYetAPattern() {
        assertThat(rule.evaluate(current(18.2, Side.RIGHT), List.of(prior("s2", 14.0, Side.RIGHT)))).isEmpty();
    }

    @Test
    void onlyTheMostRecentSessionsCount() {
        var earlierFirst = List.of(prior("s3", 11.0, Side.LEFT), prior("s2", 12.0, Side.LEFT), prior("s1", 2.0, Side.RIGHT));
        assertThat(rule.evaluate(current(13.0, Side.LEFT), earlierFirst)).isPresent();
    }

    @Test
    void aSessionTooThinToCompareRaisesNothing() {
        Balance thin = new Balance("ath-1", "s4", "barbell_single_leg_hip_thrust", NOW, 100, 70, 3, 2, 30.0, Side.RIGHT, true, 1, 1, true);
        assertThat(rule.evaluate(thin, List.of(prior("s2", 14.5, Side.RIGHT), prior("s1", 10.0, Side.RIGHT)))).isEmpty();
    }

    @Test
    void theAlertSaysWhatIsUsualForTheAthlete() {
        var earlier = List.of(prior("s3", 14.5, Side.RIGHT), prior("s2", 12.0, Side.RIGHT));
        var finding = rule.evaluate(current(18.2, Side.RIGHT), earlier, List.of(prior("s3", 14.5, Side.RIGHT), prior("s2", 12.0, Side.RIGHT),
                prior("s1", 2.0, Side.LEFT)));
        assertThat(finding).get().satisfies(f -> assertThat(f.metrics()).containsEntry("baselinePct", 12.0));
    }

    private static Balance current(double pct, Side weaker) {
        return new Balance("ath-1", "s4", "barbell_single_leg_hip_thrust", NOW, 100, 100 - pct, 8, 8, pct, weaker, true, 2, 2, false);
    }

    private static PriorBalance prior(String session, double pct, Side weaker) {
        return new PriorBalance(session, NOW.minusSeconds(86_400), pct, weaker);
    }
}
