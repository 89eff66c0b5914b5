package io.thrustline.ingest.imports;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hevy's export: comma-separated, one row per set, workouts identified by title and start time
 * ("15 Sep 2025, 07:48"), weight in a "weight_kg" or "weight_lbs" column (empty for bodyweight), and
 * the exercise's notes repeated on each of its rows.
 */
final class HevyFormat implements ExportFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.ENGLISH);

    @Override
    public String app() {
        return "hevy";
    }

    @Override
    public Parsed read(String csv, WeightUnit defaultUnit) {
        List<CsvReader.Row> rows = CsvReader.parse(csv, CsvReader.sniffSeparator(csv));
        var header = Header.require(rows, "Hevy", List.of("title", "start_time", "exercise_title", "reps"), List.of("weight_kg", "weight_lbs"));
        String weightColumn = header.has("weight_kg") ? "weight_kg" : "weight_lbs";
        WeightUnit unit = weightColumn.equals("weight_kg") ? WeightUnit.KG : WeightUnit.LB;
        var sets = new ArrayList<AppRow>();
        var skipped = new ArrayList<Skipped>();
        for (CsvReader.Row row : rows.subList(1, rows.size())) {
            List<String> f = row.fields();
            try {
                String startText = header.get(f, "start_time");
                if (startText == null) {
                    throw new IllegalArgumentException("start_time is empty");
                }
                LocalDateTime start = LocalDateTime.parse(startText, TIME);
                String endText = header.get(f, "end_time");
                String weight = header.get(f, weightColumn);
                sets.add(new AppRow(row.line(), startText + "|" + header.get(f, "title"), header.get(f, "title"), start,
                        endText == null ? null : LocalDateTime.parse(endText, TIME), header.get(f, "exercise_title"),
                        weight == null ? null : unit.kilograms(Double.parseDouble(weight)),
                        StrongFormat.integer(header.get(f, "reps")), StrongFormat.number(header.get(f, "rpe")),
                        header.get(f, "exercise_notes"), setType(header.get(f, "set_type"))));
            } catch (RuntimeException e) {
                skipped.add(new Skipped(row.line(), "cannot be read: " + e.getMessage()));
            }
        }
        return new Parsed(sets, skipped);
    }

    /** Hevy's set_type: normal, warmup, dropset or failure; empty (or an older export without the column) is a working set. */
    static String setType(String hevy) {
        if (hevy == null) {
            return "WORKING";
        }
        return switch (hevy.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "normal", "" -> "WORKING";
            case "warmup" -> "WARMUP";
            case "dropset" -> "DROP";
            case "failure" -> "FAILURE";
            default -> throw new IllegalArgumentException("set_type '" + hevy + "' is none of normal, warmup, dropset, failure");
        };
    }
}
