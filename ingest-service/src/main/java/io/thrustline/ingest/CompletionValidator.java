package io.thrustline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.thrustline.schemas.EventTimes;
import io.thrustline.schemas.Identifiers;
import io.thrustline.schemas.SessionCompleted;
import io.thrustline.schemas.TrainingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Checks {@code POST /v1/sessions/{sessionId}/complete} and turns it into a SessionCompleted event. */
public final class CompletionValidator {

    private static final Set<String> FIELDS = Set.of("athleteId", "completedAt", "eventId");

    private final Clock clock;
    private final Duration lateDataHorizon;

    public CompletionValidator(Clock clock, Duration lateDataHorizon) {
        this.clock = clock;
        this.lateDataHorizon = lateDataHorizon;
    }

    /** The event names the athlete by its qualified id, so one integration can only complete its own sessions. */
    public ValidationResult validate(String sessionId, JsonNode body, String integrationId) {
        var errors = new ErrorList();
        if (!Identifiers.isClientId(sessionId)) {
            errors.add(new FieldError(0, "sessionId", "must be " + Identifiers.CLIENT_ID_RULE));
        }
        if (body == null || !body.isObject()) {
            errors.add(new FieldError(0, "", "the body must be a JSON object with athleteId and completedAt"));
            return ValidationResult.invalid(errors);
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(0, TextRules.echo(name), "is not a field here (fields: athleteId, completedAt, eventId)"));
            }
        }
        JsonNode athlete = body.get("athleteId");
        String athleteId = athlete != null && athlete.isTextual() ? athlete.asText() : null;
        if (athleteId == null || !Identifiers.isClientId(athleteId)) {
            errors.add(new FieldError(0, "athleteId", "is required: " + Identifiers.CLIENT_ID_RULE));
        }
        Instant now = clock.instant();
        Instant completedAt = now;
        JsonNode completed = body.get("completedAt");
        if (completed != null && !completed.isNull()) {
            if (!completed.isTextual()) {
                errors.add(new FieldError(0, "completedAt", "must be an ISO-8601 time with offset"));
            } else {
                try {
                    completedAt = OffsetTimestamp.parse(completed.asText());
                    String problem = EventTimes.problemWith(completedAt, now, lateDataHorizon);
                    if (problem != null) {
                        errors.add(new FieldError(0, "completedAt", problem));
                    }
                } catch (DateTimeException | ArithmeticException e) {
                    errors.add(new FieldError(0, "completedAt", "'" + TextRules.echo(completed.asText()) + "' is not an ISO-8601 time with offset"));
                }
            }
        }
        String eventId = null;
        JsonNode id = body.get("eventId");
        if (id != null && !id.isNull()) {
            try {
                eventId = UUID.fromString(id.asText()).toString();
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(0, "eventId", "'" + TextRules.echo(id.asText()) + "' is not a UUID"));
            }
        }
        if (!errors.isEmpty()) {
            return ValidationResult.invalid(errors);
        }
        String athleteKey = Identifiers.qualifiedAthlete(integrationId, athleteId);
        if (eventId == null) { // the same completion sent again gets the same id, so it counts once
            eventId = UUID.nameUUIDFromBytes((athleteKey + "|" + sessionId + "|" + completedAt).getBytes(StandardCharsets.UTF_8)).toString();
        }
        var event = TrainingEvent.newBuilder()
                .setEventId(eventId).setAthleteId(athleteKey).setSource(integrationId).setReceivedAt(now)
                .setPayload(SessionCompleted.newBuilder().setSessionId(sessionId).setCompletedAt(completedAt).build())
                .build();
        return ValidationResult.valid(List.of(event));
    }
}
