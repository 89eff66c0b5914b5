package io.thrustline.reporting;

import java.time.Instant;
import java.util.Map;

/** An insight as stored and as served to coaches (SPEC section 4, "Insights as JSON"). */
public record StoredInsight(
        String insightId,
        String athleteId,
        String sessionId,
        String rule,
        String severity,
        String exercise,
        String side,
        Instant detectedAt,
        Map<String, Double> metrics,
        String message,
        String advice) {}
