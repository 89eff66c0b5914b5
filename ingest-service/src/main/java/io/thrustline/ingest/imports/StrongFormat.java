package io.thrustline.ingest.imports;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Strong's export. Three layouts are in the wild: comma-separated with a bare "Weight" column (older iOS),
 * semicolon-separated with "Weight Unit" per row, and fully quoted semicolon-separated with "Workout #"
 * and "Weight (kg)" or "Weight (lbs)". "Set Order" is the working-set number, or W (warm-up), D (drop
 * set), F (failure); rows whose "Set Order" is "Rest Timer" or "Note" are not sets.
 */
final class StrongFormat implements ExportFormat {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Set<String> NOT_SETS = Set.of("rest timer", "note");

    /** "Set Order": a number for a working set, W warm-up, D drop set, F failure. */
    static String setType(String order) {
        if (order == null) {
            return "WORKING";
        }
        return switch (order.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "W" -> "WARMUP";
            case "D" -> "DROP";
            case "F" -> "FAILURE";
            default -> "WORKING";
        };
    }

    @Override
    public String app() {
        return "strong";
    }

    @Override
    public Parsed read(String csv, WeightUnit defaultUnit) {
        List<CsvReader.Row> rows = CsvReader.parse(csv, CsvReader.sniffSeparator(csv));
        List<String> weights = List.of("Weight", "Weight (kg)", "Weight (lbs)");
        var header = Header.require(rows, "Strong", List.of("Date", "Exercise Name", "Set Order", "Reps"), weights);
        String weightColumn = header.firstPresent(weights.toArray(String[]::new)).orElseThrow();
        WeightUnit headerUnit = weightColumn.equals("Weight (kg)") ? WeightUnit.KG
                : weightColumn.equals("Weight (lbs)") ? WeightUnit.LB : defaultUnit;
        var sets = new ArrayList<AppRow>();
        var skipped = new ArrayList<Skipped>();
        for (CsvReader.Row row : rows.subList(1, rows.size())) {
            List<String> f = row.fields();
            try {
                String order = header.get(f, "Set Order");
                if (order != null && NOT_SETS.contains(order.toLowerCase(java.util.Locale.ROOT))) {
                    skipped.add(new Skipped(row.line(), "a '" + order + "' row, not a set"));
                    continue;
                }
                String dateText = header.get(f, "Date");
                if (dateText == null) {
                    throw new IllegalArgumentException("Date is empty");
                }
                LocalDateTime start = LocalDateTime.parse(dateText, DATE);
                String workout = header.has("Workout #") ? header.get(f, "Workout #") : dateText + "|" + header.get(f, "Workout Name");
                String unitText = header.get(f, "Weight Unit");
                WeightUnit unit = unitText != null ? WeightUnit.parse(unitText) : headerUnit;
                String weight = header.get(f, weightColumn);
                String notes = join(header.get(f, "Notes"), header.get(f, "Workout Notes"));
                sets.add(new AppRow(row.line(), workout, header.get(f, "Workout Name"), start, null, header.get(f, "Exercise Name"),
                        weight == null ? null : unit.kilograms(Double.parseDouble(weight)), integer(header.get(f, "Reps")),
                        number(header.get(f, "RPE")), notes, setType(order)));
            } catch (RuntimeException e) {
                skipped.add(new Skipped(row.line(), "cannot be read: " + e.getMessage()));
            }
        }
        return new Parsed(sets, skipped);
    }

    static Integer integer(String text) {
        return text == null ? null : (int) Math.round(Double.parseDouble(text));
    }

    static Double number(String text) {
        return text == null ? null : Double.parseDouble(text);
    }

    static String join(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + " / " + b;
    }
}
