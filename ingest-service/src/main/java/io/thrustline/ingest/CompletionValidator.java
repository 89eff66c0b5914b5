package io.thrustline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.thrustline.schemas.SessionCompleted;
import io.thrustline.schemas.TrainingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Checks {@code POST /v1/sessions/{sessionId}/complete} and turns it into a SessionCompleted event. */
public final class CompletionValidator {

    private static final Set<String> FIELDS = Set.of("athleteId", "completedAt", "eventId");

    private final Clock clock;

    public CompletionValidator(Clock clock) {
        this.clock = clock;
    }

    public ValidationResult validate(String sessionId, JsonNode body, String integrationId) {
        var errors = new ArrayList<FieldError>();
        if (!SetValidator.ID.matcher(sessionId).matches()) {
            errors.add(new FieldError(0, "sessionId", "must be 1-64 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'"));
        }
        if (body == null || !body.isObject()) {
            errors.add(new FieldError(0, "", "the body must be a JSON object with athleteId and completedAt"));
            return new ValidationResult(List.of(), errors);
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(0, name, "is not a field here (fields: athleteId, completedAt, eventId)"));
            }
        }
        JsonNode athlete = body.get("athleteId");
        String athleteId = athlete != null && athlete.isTextual() ? athlete.asText() : null;
        if (athleteId == null || !SetValidator.ID.matcher(athleteId).matches()) {
            errors.add(new FieldError(0, "athleteId", "is required: 1-64 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'"));
        }
        Instant now = clock.instant();
        Instant completedAt = now;
        JsonNode completed = body.get("completedAt");
        if (completed != null && !completed.isNull()) {
            try {
                completedAt = OffsetDateTime.parse(completed.asText()).toInstant();
                if (!completed.isTextual() || completedAt.isAfter(now.plusSeconds(300))) {
                    errors.add(new FieldError(0, "completedAt", "must be an ISO-8601 time with offset, at most 5 minutes in the future"));
                }
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(0, "completedAt", "'" + completed.asText() + "' is not an ISO-8601 time with offset"));
            }
        }
        String eventId = null;
        JsonNode id = body.get("eventId");
        if (id != null && !id.isNull()) {
            try {
                eventId = UUID.fromString(id.asText()).toString();
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(0, "eventId", "'" + id.asText() + "' is not a UUID"));
            }
        }
        if (!errors.isEmpty()) {
            return new ValidationResult(List.of(), errors);
        }
        if (eventId == null) { // the same completion sent again gets the same id, so it counts once
            eventId = UUID.nameUUIDFromBytes((athleteId + "|" + sessionId + "|" + completedAt).getBytes(StandardCharsets.UTF_8)).toString();
        }
        var event = TrainingEvent.newBuilder()
                .setEventId(eventId).setAthleteId(athleteId).setSource(integrationId).setReceivedAt(now)
                .setPayload(SessionCompleted.newBuilder().setSessionId(sessionId).setCompletedAt(completedAt).build())
                .build();
        return new ValidationResult(List.of(event), List.of());
    }
}
