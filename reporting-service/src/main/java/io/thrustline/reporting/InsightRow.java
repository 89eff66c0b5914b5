package io.thrustline.reporting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thrustline.schemas.Insight;
import java.time.Instant;

/** One row of the insights table, built from an Insight record off the topic. */
public record InsightRow(
        String insightId,
        String athleteId,
        String sessionId,
        String rule,
        String severity,
        String exercise,
        String side,
        Instant detectedAt,
        String metricsJson,
        String message,
        String advice,
        String triggerEventId,
        int ruleBook) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static InsightRow of(Insight insight) {
        try {
            return new InsightRow(insight.getInsightId(), insight.getAthleteId(), insight.getSessionId(), insight.getRule(),
                    insight.getSeverity().name(), insight.getExercise(), insight.getSide() == null ? null : insight.getSide().name(),
                    insight.getDetectedAt(), JSON.writeValueAsString(insight.getMetrics()), insight.getMessage(),
                    insight.getAdvice(), insight.getTriggerEventId(), RuleBookRepository.stampedOn(insight.getRuleBook()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metrics of insight " + insight.getInsightId() + " cannot be written", e);
        }
    }
}
