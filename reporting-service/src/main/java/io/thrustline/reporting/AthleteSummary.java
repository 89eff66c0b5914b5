package io.thrustline.reporting;

import java.time.LocalDate;

/** One line of the coach's athlete list: the latest left/right result (or that one side went unlogged) and how many alerts are open. */
public record AthleteSummary(
        String athleteId,
        String latestExercise,
        LocalDate latestSessionDate,
        Double latestAsymmetryPct,
        String latestWeakerSide,
        boolean latestSideMissing,
        int openAlerts) {}
