package io.thrustline.ingest.imports;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thrustline.ingest.CompletionValidator;
import io.thrustline.ingest.FieldError;
import io.thrustline.ingest.SetValidator;
import io.thrustline.ingest.ValidationResult;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.seeds.Catalog;
import io.thrustline.seeds.Exercise;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns another app's CSV export into Thrustline events: each workout becomes a session, its rows sets in
 * file order (one minute apart from the workout's start), and a completion after its last set. Every set
 * then passes the same validation as the HTTP API. Event ids come from the file's content (athlete,
 * workout start, exercise, set order), so importing the same file twice adds nothing.
 */
public final class WorkoutImport {

    /** What an import produced: events to publish, and every line not imported with its reason. */
    public record Outcome(List<TrainingEvent> events, int sets, List<String> sessionIds, List<Skipped> skipped) {}

    /** Lines one import may have: about three years of a keen lifter's history. Larger exports are split by date. */
    public static final int MAX_LINES = 10_000;

    private static final DateTimeFormatter SESSION_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

    private final ExerciseMatcher matcher;
    private final SetValidator sets;
    private final CompletionValidator completions;

    public WorkoutImport(Catalog catalog, SetValidator sets, CompletionValidator completions) {
        this.matcher = new ExerciseMatcher(catalog);
        this.sets = sets;
        this.completions = completions;
    }

    /** Lines of the file, counted before anything is parsed. */
    public static int lines(String csv) {
        int lines = csv.isEmpty() || csv.endsWith("\n") ? 0 : 1;
        for (int i = csv.indexOf('\n'); i >= 0; i = csv.indexOf('\n', i + 1)) {
            lines++;
        }
        return lines;
    }

    /** The formats by the name used in the URL. */
    public static Optional<ExportFormat> format(String app) {
        return switch (app) {
            case "strong" -> Optional.of(new StrongFormat());
            case "hevy" -> Optional.of(new HevyFormat());
            default -> Optional.empty();
        };
    }

    /**
     * @throws IllegalArgumentException when the file is not an export of that app
     */
    public Outcome run(String app, String csv, String athleteId, String defaultUnit, ZoneId zone, String integration) {
        ExportFormat format = format(app).orElseThrow(() -> new IllegalArgumentException("unknown app '" + app + "': strong or hevy"));
        ExportFormat.Parsed parsed = format.read(csv, ExportFormat.WeightUnit.parse(defaultUnit));
        var skipped = new ArrayList<>(parsed.skipped());
        var events = new ArrayList<TrainingEvent>();
        var sessionIds = new ArrayList<String>();
        int imported = 0;

        Map<String, List<AppRow>> workouts = parsed.rows().stream()
                .collect(Collectors.groupingBy(AppRow::workoutKey, LinkedHashMap::new, Collectors.toList()));
        for (List<AppRow> workout : workouts.values()) {
            AppRow first = workout.get(0);
            Instant start = first.workoutStart().atZone(zone).toInstant();
            String sessionId = format.app() + "-" + SESSION_TIME.format(first.workoutStart());
            Map<String, Integer> setOrder = new HashMap<>();
            Instant last = null;
            int minute = 0;
            for (AppRow row : workout) {
                Instant performedAt = start.plus(Duration.ofMinutes(minute++));
                Optional<ObjectNode> set = toSet(row, athleteId, sessionId, performedAt, setOrder, skipped);
                if (set.isEmpty()) {
                    continue;
                }
                ValidationResult result = sets.validate(set.get(), integration);
                if (!result.isValid()) {
                    skipped.add(new Skipped(row.line(), result.errors().stream().map(e -> e.field() + ": " + e.message())
                            .collect(Collectors.joining("; "))));
                    continue;
                }
                events.addAll(result.events());
                imported++;
                last = performedAt;
            }
            if (last != null) {
                Instant end = first.workoutEnd() == null ? null : first.workoutEnd().atZone(zone).toInstant();
                Instant completedAt = end != null && end.isAfter(last) ? end : last.plus(Duration.ofMinutes(1));
                ObjectNode completion = JsonNodeFactory.instance.objectNode()
                        .put("athleteId", athleteId)
                        .put("completedAt", completedAt.toString())
                        .put("eventId", uuid(athleteId, format.app(), start.toString(), "complete"));
                ValidationResult done = completions.validate(sessionId, completion, integration);
                if (done.isValid()) {
                    events.addAll(done.events());
                    sessionIds.add(sessionId);
                } else {
                    skipped.add(new Skipped(first.line(), "workout could not be completed: "
                            + done.errors().stream().map(FieldError::message).collect(Collectors.joining("; "))));
                }
            }
        }
        skipped.sort(Comparator.comparingInt(Skipped::line));
        return new Outcome(events, imported, sessionIds, skipped);
    }

    private Optional<ObjectNode> toSet(AppRow row, String athleteId, String sessionId, Instant performedAt,
            Map<String, Integer> setOrder, List<Skipped> skipped) {
        if (row.exerciseName() == null) {
            skipped.add(new Skipped(row.line(), "no exercise name"));
            return Optional.empty();
        }
        Optional<Exercise> match = matcher.match(row.exerciseName());
        if (match.isEmpty()) {
            skipped.add(new Skipped(row.line(), "'" + row.exerciseName() + "' is not an exercise Thrustline tracks (see GET /v1/exercises)"));
            return Optional.empty();
        }
        if (row.reps() == null || row.reps() < 1) {
            skipped.add(new Skipped(row.line(), "no reps: timed and distance sets are not imported"));
            return Optional.empty();
        }
        Exercise exercise = match.get();
        ObjectNode set = JsonNodeFactory.instance.objectNode();
        if (exercise.isUnilateral()) {
            Optional<String> side = ExerciseMatcher.side(row.exerciseName()).or(() -> ExerciseMatcher.side(row.notes()));
            if (side.isEmpty()) {
                skipped.add(new Skipped(row.line(), exercise.name() + " works one leg at a time, but neither the exercise name nor the notes "
                        + "say which: add 'left' or 'right' (or L/R) to either"));
                return Optional.empty();
            }
            set.put("side", side.get());
        }
        int order = setOrder.merge(row.exerciseName(), 1, Integer::sum);
        set.put("eventId", uuid(athleteId, sessionId, row.exerciseName(), String.valueOf(order)))
                .put("athleteId", athleteId)
                .put("sessionId", sessionId)
                .put("performedAt", performedAt.toString())
                .put("exercise", exercise.code())
                .put("reps", row.reps())
                .put("loadKg", row.weightKg() == null ? 0.0 : row.weightKg());
        if (row.rpe() != null) {
            set.put("rpe", row.rpe());
        }
        set.put("setType", row.setType() == null ? "WORKING" : row.setType());
        if (row.notes() != null) {
            String notes = cleanNotes(row.notes());
            set.put("notes", notes.length() > 500 ? notes.substring(0, 500) : notes);
        }
        return Optional.of(set);
    }

    /** Notes as the set API accepts them: line breaks as line feeds, no other control characters. */
    static String cleanNotes(String notes) {
        return notes.replace("\r\n", "\n").replace('\r', '\n').replaceAll("[\\p{Cntrl}&&[^\\t\\n]]", "");
    }

    private static String uuid(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("|", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
