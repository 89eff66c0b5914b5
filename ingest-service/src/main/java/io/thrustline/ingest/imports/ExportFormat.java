package io.thrustline.ingest.imports;

import java.util.List;

/** Reads one app's CSV export into set rows; rows that are not sets (rest timers, notes) are skipped with a reason. */
interface ExportFormat {

    /** The app's name as used in session ids ("strong", "hevy"). */
    String app();

    /** What was read: set rows, and rows that are not sets. */
    record Parsed(List<AppRow> rows, List<Skipped> skipped) {}

    /** @throws IllegalArgumentException when the header is not one this format knows, saying what was expected */
    Parsed read(String csv, WeightUnit defaultUnit);

    enum WeightUnit {
        KG(1.0),
        LB(0.45359237);

        final double toKg;

        WeightUnit(double toKg) {
            this.toKg = toKg;
        }

        static WeightUnit parse(String text) {
            String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
            return switch (t) {
                case "kg", "kgs", "kilograms" -> KG;
                case "lb", "lbs", "pounds" -> LB;
                default -> throw new IllegalArgumentException("unknown weight unit '" + text + "' (kg or lbs)");
            };
        }

        double kilograms(double value) {
            return Math.round(value * toKg * 100.0) / 100.0;
        }
    }
}
