package io.thrustline.streams.rules;

import io.thrustline.schemas.RuleName;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What a rule found, before it becomes an Insight on the wire. The id depends only on what the finding is
 * about, so evaluating the same session again yields the same id and replaces rather than adds.
 */
public record Finding(
        RuleName rule,
        Severity severity,
        String athleteId,
        String sessionId,
        String exercise,
        Side side,
        Instant detectedAt,
        Map<String, Double> metrics,
        String message,
        String advice,
        String triggerEventId) {

    public Finding {
        metrics = Map.copyOf(metrics);
    }

    public String insightId() {
        String identity = String.join("\u001f",
                rule.name(), athleteId, sessionId, String.valueOf(exercise), String.valueOf(side), String.valueOf(triggerEventId));
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
