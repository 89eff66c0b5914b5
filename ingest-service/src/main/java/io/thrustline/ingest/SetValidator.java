package io.thrustline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.thrustline.schemas.EventTimes;
import io.thrustline.schemas.Identifiers;
import io.thrustline.schemas.RepDetail;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.SetType;
import io.thrustline.schemas.Side;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.seeds.Catalog;
import io.thrustline.seeds.Exercise;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Checks logged sets and turns them into events. Every problem of every set is reported (the first
 * {@link ErrorList#KEPT} in full), so an integrator can fix a whole batch in one round trip; a request with any
 * problem yields no events at all. Everything accepted is storable and judgeable downstream: no control
 * characters, times within the accepted window, a session's sets within its span.
 */
public final class SetValidator {

    public static final int MAX_SETS_PER_REQUEST = 1000;
    /** Close-match suggestions only for names this short: the edit distance grows with the square of the length. */
    private static final int SUGGEST_UP_TO = 64;
    private static final Set<String> SET_FIELDS = Set.of("eventId", "athleteId", "sessionId", "performedAt", "exercise",
            "side", "reps", "loadKg", "controlledReps", "repDetails", "rpe", "notes", "setType");
    private static final Side[] SIDES = Side.values();
    private static final Set<String> REP_FIELDS = Set.of("eccentricSeconds", "topHoldSeconds", "pelvisLevel");

    private final Catalog catalog;
    private final ExerciseSuggestions suggestions;
    private final Clock clock;
    private final Duration lateDataHorizon;
    private final Duration maxSessionSpan;

    /**
     * @param lateDataHorizon how old a set may be when it arrives
     * @param maxSessionSpan  how far apart a session's sets may lie (the rule book's sessions.maxSpanHours)
     */
    public SetValidator(Catalog catalog, Clock clock, Duration lateDataHorizon, Duration maxSessionSpan) {
        this.catalog = catalog;
        this.suggestions = new ExerciseSuggestions(catalog);
        this.clock = clock;
        this.lateDataHorizon = lateDataHorizon;
        this.maxSessionSpan = maxSessionSpan;
    }

    /**
     * Validates a request body: one set object, or {"sets": [...]} with 1 to 1000 sets. The events name the
     * athlete by its qualified id ({@code integrationId:athleteId}): integrations never share athletes.
     */
    public ValidationResult validate(JsonNode body, String integrationId) {
        var errors = new ErrorList();
        List<JsonNode> sets = new ArrayList<>();
        if (body == null || !body.isObject()) {
            errors.add(new FieldError(0, "", "the body must be a JSON object: one set, or {\"sets\": [...]}"));
        } else if (body.has("sets")) {
            JsonNode array = body.get("sets");
            if (body.size() != 1) {
                errors.add(new FieldError(0, "", "a batch has only the field \"sets\""));
            } else if (!array.isArray() || array.isEmpty() || array.size() > MAX_SETS_PER_REQUEST) {
                errors.add(new FieldError(0, "sets", "must be an array of 1 to " + MAX_SETS_PER_REQUEST + " sets"));
            } else {
                array.forEach(sets::add);
            }
        } else {
            sets.add(body);
        }
        Instant receivedAt = clock.instant();
        var events = new ArrayList<TrainingEvent>(sets.size());
        for (int i = 0; i < sets.size(); i++) {
            TrainingEvent event = validateSet(i, sets.get(i), integrationId, receivedAt, errors);
            if (event != null) {
                events.add(event);
            }
        }
        if (errors.isEmpty()) {
            checkSessionSpans(events, errors);
        }
        return errors.isEmpty() ? ValidationResult.valid(events) : ValidationResult.invalid(errors);
    }

    /**
     * Sets of one session within this request must lie within the session span; the streams processor checks
     * the same against sets that came in earlier requests.
     */
    private void checkSessionSpans(List<TrainingEvent> events, ErrorList errors) {
        Map<String, Instant> earliest = new HashMap<>();
        for (TrainingEvent event : events) {
            SetLogged set = (SetLogged) event.getPayload();
            earliest.merge(event.getAthleteId() + "|" + set.getSessionId(), set.getPerformedAt(), (a, b) -> a.isBefore(b) ? a : b);
        }
        for (int i = 0; i < events.size(); i++) {
            SetLogged set = (SetLogged) events.get(i).getPayload();
            Instant first = earliest.get(events.get(i).getAthleteId() + "|" + set.getSessionId());
            if (Duration.between(first, set.getPerformedAt()).compareTo(maxSessionSpan) > 0) {
                errors.add(new FieldError(i, "performedAt", "is more than " + maxSessionSpan.toHours()
                        + " hours after the earliest set of session " + set.getSessionId() + " in this request; a session spans at most "
                        + maxSessionSpan.toHours() + " hours"));
            }
        }
    }

    private TrainingEvent validateSet(int index, JsonNode set, String integrationId, Instant receivedAt, ErrorList errors) {
        var f = new Fields(index, set, errors);
        if (!set.isObject()) {
            f.error("", "each set must be a JSON object");
            return null;
        }
        for (Iterator<String> names = set.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SET_FIELDS.contains(name)) {
                f.error(TextRules.echo(name), "is not a field of a set (fields: " + String.join(", ", SET_FIELDS.stream().sorted().toList()) + ")");
            }
        }
        String eventId = f.uuid("eventId");
        String athleteId = f.id("athleteId");
        String sessionId = f.id("sessionId");
        Instant performedAt = f.timestamp("performedAt", receivedAt, lateDataHorizon);
        Exercise exercise = exercise(f);
        Side side = side(f, exercise);
        Integer reps = f.integer("reps", 1, 100, true);
        Double loadKg = f.number("loadKg", 0, 500, true);
        Integer controlledReps = f.integer("controlledReps", 0, reps == null ? 100 : reps, false);
        List<RepDetail> repDetails = repDetails(f, reps);
        Double rpe = f.number("rpe", 1, 10, false);
        String notes = f.text("notes", 500, true);
        SetType setType = setType(f);
        if (f.failed) {
            return null;
        }
        var payload = SetLogged.newBuilder()
                .setSessionId(sessionId).setPerformedAt(performedAt).setExercise(exercise.code()).setSide(side)
                .setReps(reps).setLoadKg(loadKg).setControlledReps(controlledReps).setRepDetails(repDetails)
                .setRpe(rpe).setNotes(notes).setSetType(setType).build();
        return TrainingEvent.newBuilder()
                .setEventId(eventId).setAthleteId(Identifiers.qualifiedAthlete(integrationId, athleteId)).setSource(integrationId)
                .setReceivedAt(receivedAt).setPayload(payload).build();
    }

    private Exercise exercise(Fields f) {
        JsonNode node = f.node("exercise");
        if (node == null) {
            f.error("exercise", "is required: a catalog code such as barbell_single_leg_hip_thrust (see GET /v1/exercises)");
            return null;
        }
        if (!node.isTextual()) {
            f.error("exercise", "must be a string");
            return null;
        }
        var exercise = catalog.find(node.asText());
        if (exercise.isEmpty()) {
            List<String> close = node.asText().length() <= SUGGEST_UP_TO ? suggestions.closeTo(node.asText()) : List.of();
            f.error("exercise", "'" + TextRules.echo(node.asText()) + "' is not in the catalog"
                    + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?") + " (see GET /v1/exercises)");
            return null;
        }
        return exercise.get();
    }

    /** WORKING when left out: sets logged before set types existed, and by gyms that do not mark them, are work. */
    private static SetType setType(Fields f) {
        JsonNode node = f.node("setType");
        if (node == null) {
            return SetType.WORKING;
        }
        for (SetType type : SetType.values()) {
            if (node.isTextual() && node.asText().equals(type.name())) {
                return type;
            }
        }
        f.error("setType", "must be WORKING, WARMUP, DROP or FAILURE (left out: WORKING)");
        return null;
    }

    private Side side(Fields f, Exercise exercise) {
        JsonNode node = f.node("side");
        Side side = null;
        if (node != null) {
            for (Side named : SIDES) {
                if (node.isTextual() && node.asText().equals(named.name())) {
                    side = named;
                }
            }
            if (side == null) {
                f.error("side", "must be LEFT, RIGHT or BOTH");
                return null;
            }
        }
        if (exercise == null) {
            return side;
        }
        if (exercise.isUnilateral() && side != Side.LEFT && side != Side.RIGHT) {
            f.error("side", exercise.code() + " works one leg at a time: side must be LEFT or RIGHT (the working leg)");
        } else if (!exercise.isUnilateral() && (side == Side.LEFT || side == Side.RIGHT)) {
            f.error("side", exercise.code() + " works both legs: side must be BOTH or left out");
        }
        return side;
    }

    private List<RepDetail> repDetails(Fields f, Integer reps) {
        JsonNode node = f.node("repDetails");
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            f.error("repDetails", "must be an array with one entry per rep");
            return null;
        }
        if ((reps != null && node.size() != reps) || node.size() > 100) {
            // Reported once, without looking at the entries: a count that is wrong says enough.
            f.error("repDetails", "has " + node.size() + " entries but reps is " + (reps == null ? "not valid" : reps) + ": give exactly one per rep");
            return null;
        }
        var out = new ArrayList<RepDetail>(node.size());
        for (int r = 0; r < node.size(); r++) {
            JsonNode rep = node.get(r);
            String at = "repDetails[" + r + "]";
            if (!rep.isObject()) {
                f.error(at, "must be an object");
                continue;
            }
            for (Iterator<String> names = rep.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!REP_FIELDS.contains(name)) {
                    f.error(at + "." + TextRules.echo(name), "is not a field of a rep (fields: eccentricSeconds, topHoldSeconds, pelvisLevel)");
                }
            }
            Double eccentric = f.numberIn(rep, at + ".eccentricSeconds", "eccentricSeconds", 0, 60);
            Double hold = f.numberIn(rep, at + ".topHoldSeconds", "topHoldSeconds", 0, 60);
            JsonNode level = rep.get("pelvisLevel");
            Boolean pelvisLevel = null;
            if (level != null && !level.isNull()) {
                if (level.isBoolean()) {
                    pelvisLevel = level.booleanValue();
                } else {
                    f.error(at + ".pelvisLevel", "must be true or false");
                }
            }
            out.add(new RepDetail(eccentric, hold, pelvisLevel));
        }
        return out;
    }

    /** Reads the fields of one set, recording each problem against its index. */
    private static final class Fields {
        final int index;
        final JsonNode set;
        final ErrorList errors;
        boolean failed;

        Fields(int index, JsonNode set, ErrorList errors) {
            this.index = index;
            this.set = set;
            this.errors = errors;
        }

        void error(String field, String message) {
            errors.add(new FieldError(index, field, message));
            failed = true;
        }

        JsonNode node(String field) {
            JsonNode node = set.get(field);
            return node == null || node.isNull() ? null : node;
        }

        String text(String field, int maxLength, boolean tabAndLineFeedAllowed) {
            JsonNode node = node(field);
            if (node == null) {
                return null;
            }
            if (!node.isTextual()) {
                error(field, "must be a string");
                return null;
            }
            if (node.asText().length() > maxLength) {
                error(field, "must be at most " + maxLength + " characters");
            } else if (TextRules.hasForbiddenCharacter(node.asText(), tabAndLineFeedAllowed)) {
                error(field, tabAndLineFeedAllowed ? "must not hold control characters other than tab and line feed"
                        : "must not hold control characters");
            }
            return node.asText();
        }

        String required(String field, String what) {
            JsonNode node = node(field);
            if (node == null) {
                error(field, "is required: " + what);
                return null;
            }
            if (!node.isTextual()) {
                error(field, "must be a string: " + what);
                return null;
            }
            return node.asText();
        }

        String uuid(String field) {
            String value = required(field, "a UUID chosen by the sender, reused when retrying");
            if (value == null) {
                return null;
            }
            try {
                UUID parsed = UUID.fromString(value);
                if (!parsed.toString().equalsIgnoreCase(value)) {
                    throw new IllegalArgumentException();
                }
                return parsed.toString();
            } catch (IllegalArgumentException e) {
                error(field, "'" + TextRules.echo(value) + "' is not a UUID such as 7d1e6c2a-1f0b-4c55-9a8e-0f1b2c3d4e5f");
                return null;
            }
        }

        String id(String field) {
            String value = required(field, Identifiers.CLIENT_ID_RULE);
            if (value != null && !Identifiers.isClientId(value)) {
                error(field, "must be " + Identifiers.CLIENT_ID_RULE);
            }
            return value;
        }

        Instant timestamp(String field, Instant now, Duration lateDataHorizon) {
            String value = required(field, "an ISO-8601 time with offset, e.g. 2026-11-21T09:14:05Z");
            if (value == null) {
                return null;
            }
            try {
                Instant at = OffsetTimestamp.parse(value);
                String problem = EventTimes.problemWith(at, now, lateDataHorizon);
                if (problem != null) {
                    error(field, problem);
                }
                return at;
            } catch (java.time.DateTimeException | ArithmeticException e) {
                error(field, "'" + TextRules.echo(value) + "' is not an ISO-8601 time with offset, e.g. 2026-11-21T09:14:05Z");
                return null;
            }
        }

        Integer integer(String field, int min, int max, boolean required) {
            JsonNode node = node(field);
            if (node == null) {
                if (required) {
                    error(field, "is required: a whole number from " + min + " to " + max);
                }
                return null;
            }
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
                error(field, "must be a whole number from " + min + " to " + max);
                return null;
            }
            return node.intValue();
        }

        Double number(String field, double min, double max, boolean required) {
            JsonNode node = node(field);
            if (node == null) {
                if (required) {
                    error(field, "is required: a number from " + fmt(min) + " to " + fmt(max));
                }
                return null;
            }
            return numberIn(set, field, field, min, max);
        }

        Double numberIn(JsonNode parent, String path, String field, double min, double max) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isNumber() || !Double.isFinite(node.doubleValue()) || node.doubleValue() < min || node.doubleValue() > max) {
                error(path, "must be a number from " + fmt(min) + " to " + fmt(max));
                return null;
            }
            return node.doubleValue();
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
        }
    }
}
