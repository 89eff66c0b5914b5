package io.thrustline.reporting;

import java.time.Instant;
import java.util.Map;

/**
 * An insight as stored and as served to coaches by {@code GET /v1/athletes/{id}/insights}.
 *
 * @param acknowledgedAt when a coach (or admin) first marked it as dealt with; null while it is open
 * @param acknowledgedBy {@code coach:<coachId>} or {@code admin}
 * @param ackComment     the coach's own note; never exported
 * @param ruleBook       the version of the rule book that raised it
 */
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
        String advice,
        Instant acknowledgedAt,
        String acknowledgedBy,
        String ackComment,
        int ruleBook) {}
