package io.thrustline.reporting.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.thrustline.schemas.Insight;
import io.thrustline.schemas.Severity;
import io.thrustline.schemas.Side;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InsightAnnouncementTest {

    private static final Insight RAISED = Insight.newBuilder().setInsightId("7d1e6c2a-1f0b-4c55-9a8e-0f1b2c3d4e5f").setAthleteId("gym:ana")
            .setSessionId("s1").setRule("LEFT_RIGHT_IMBALANCE").setSeverity(Severity.WARNING).setExercise("barbell_single_leg_hip_thrust")
            .setSide(Side.RIGHT).setDetectedAt(Instant.parse("2026-11-20T08:00:00Z")).setMetrics(Map.of("asymmetryPct", 12.0))
            .setMessage("The right leg did 12% less.").setAdvice("Lead with the right.").setTriggerEventId(null).setRetracted(false).build();

    @Test
    void aCopyThatSaysTheSameIsTheSameVersionAndAnyChangeIsANewOne() {
        Insight copy = Insight.newBuilder(RAISED).setMetrics(new java.util.HashMap<>(Map.of("asymmetryPct", 12.0))).setRuleBook(2).build();
        assertThat(InsightAnnouncement.contentHash(copy)).as("same words, another rule book").isEqualTo(InsightAnnouncement.contentHash(RAISED));
        for (Insight changed : new Insight[] {Insight.newBuilder(RAISED).setSeverity(Severity.ALERT).build(),
                Insight.newBuilder(RAISED).setMessage("The right leg did 13% less.").build(),
                Insight.newBuilder(RAISED).setMetrics(Map.of("asymmetryPct", 13.0)).build()}) {
            assertThat(InsightAnnouncement.contentHash(changed)).isNotEqualTo(InsightAnnouncement.contentHash(RAISED));
        }
    }

    @Test
    void aWithdrawalIsOneVersionWhateverWordsComeWithIt() {
        Insight fromTheTopic = Insight.newBuilder(RAISED).setRetracted(true).setMessage("Withdrawn: a late set evened the sides.").setAdvice("")
                .setMetrics(Map.of()).build();
        Insight fromTheTable = Insight.newBuilder(RAISED).setRetracted(true).build();
        assertThat(InsightAnnouncement.contentHash(fromTheTable)).isEqualTo(InsightAnnouncement.contentHash(fromTheTopic))
                .isNotEqualTo(InsightAnnouncement.contentHash(RAISED));
    }

    @Test
    void aDowngradeReachesThoseWhoHeardOfTheAlert() {
        assertThat(InsightAnnouncement.reaches(Severity.ALERT, Severity.WARNING, Severity.ALERT)).isTrue();
        assertThat(InsightAnnouncement.reaches(Severity.ALERT, Severity.WARNING, null)).isFalse();
        assertThat(InsightAnnouncement.reaches(Severity.ALERT, Severity.WARNING, Severity.INFO)).isFalse();
        assertThat(InsightAnnouncement.reaches(Severity.INFO, Severity.INFO, null)).isTrue();
    }

    @Test
    void thePayloadHasTheStandardWebhooksShape() throws Exception {
        var body = new ObjectMapper().readTree(InsightAnnouncement.payload(Insight.newBuilder(RAISED).setRetracted(true).build(), 3,
                Instant.parse("2026-11-21T10:00:00Z")));
        assertThat(body.get("type").asText()).isEqualTo("insight.withdrawn");
        assertThat(body.get("timestamp").asText()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(body.at("/data/version").asInt()).isEqualTo(3);
        assertThat(body.at("/data/athleteId").asText()).isEqualTo("gym:ana");
        assertThat(body.at("/data/withdrawn").asBoolean()).isTrue();
        assertThat(InsightAnnouncement.messageId(RAISED.getInsightId(), 3)).isEqualTo(RAISED.getInsightId() + ".3");
    }
}
