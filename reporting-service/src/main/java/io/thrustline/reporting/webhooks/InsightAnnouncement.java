package io.thrustline.reporting.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.thrustline.http.Json;
import io.thrustline.schemas.Insight;
import io.thrustline.schemas.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.TreeMap;

/**
 * What receivers are told about one version of an insight: its Standard Webhooks message id, event type and JSON
 * body. Plain values only; the notifier decides which versions exist and who hears of them.
 */
public final class InsightAnnouncement {

    public static final String RAISED = "insight.raised";
    public static final String WITHDRAWN = "insight.withdrawn";

    private InsightAnnouncement() {}

    /**
     * A hash of everything a receiver is told about the insight, so a copy of an insight read again (a replay after a
     * crash, a re-judgement that changed nothing a coach reads) is recognised as the same version.
     */
    public static byte[] contentHash(Insight insight) {
        var text = new StringBuilder();
        if (insight.getRetracted()) {
            // Withdrawn is withdrawn, whatever words came with it: a withdrawal told once is not told again.
            return sha256("withdrawn");
        }
        for (Object part : new Object[] {insight.getRule(), insight.getSeverity(), insight.getExercise(), insight.getSide(),
                insight.getDetectedAt(), new TreeMap<>(insight.getMetrics()), insight.getMessage(), insight.getAdvice()}) {
            text.append(part).append('\u0000');
        }
        return sha256(text.toString());
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The {@code webhook-id}: the same for every receiver and every retry of one version, so receivers can drop repeats. */
    public static String messageId(String insightId, int version) {
        return insightId + "." + version;
    }

    public static String eventType(Insight insight) {
        return insight.getRetracted() ? WITHDRAWN : RAISED;
    }

    /** Whether a receiver asking for {@code minimum} and up should hear of an insight that is, or was, this severe. */
    public static boolean reaches(Severity minimum, Severity now, Severity before) {
        return now.compareTo(minimum) >= 0 || (before != null && before.compareTo(minimum) >= 0);
    }

    /** The body sent on every attempt, in the Standard Webhooks shape: type, timestamp, data. */
    public static String payload(Insight insight, int version, Instant announcedAt) {
        var data = new LinkedHashMap<String, Object>();
        data.put("insightId", insight.getInsightId());
        data.put("version", version);
        data.put("athleteId", insight.getAthleteId());
        data.put("sessionId", insight.getSessionId());
        data.put("rule", insight.getRule());
        data.put("severity", insight.getSeverity().name());
        data.put("exercise", insight.getExercise());
        data.put("side", insight.getSide() == null ? null : insight.getSide().name());
        data.put("detectedAt", insight.getDetectedAt().toString());
        data.put("metrics", new TreeMap<>(insight.getMetrics()));
        data.put("message", insight.getMessage());
        data.put("advice", insight.getAdvice());
        data.put("withdrawn", insight.getRetracted());
        try {
            var body = new LinkedHashMap<String, Object>();
            body.put("type", eventType(insight));
            body.put("timestamp", announcedAt.toString());
            body.put("data", data);
            return Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("insight " + insight.getInsightId() + " cannot be written as JSON", e);
        }
    }
}
