package io.thrustline.ingest.imports;

import java.time.LocalDateTime;

/**
 * One set row of an app's export, before mapping. Times are the app's local wall-clock times (the exports
 * carry no zone). Weight is already in kilograms; null fields were empty in the file. {@code setType} is the set
 * API's value (WORKING, WARMUP, DROP, FAILURE), mapped from the app's own marker.
 */
record AppRow(
        int line,
        String workoutKey,
        String workoutName,
        LocalDateTime workoutStart,
        LocalDateTime workoutEnd,
        String exerciseName,
        Double weightKg,
        Integer reps,
        Double rpe,
        String notes,
        String setType) {}
