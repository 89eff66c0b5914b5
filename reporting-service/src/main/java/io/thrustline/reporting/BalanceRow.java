package io.thrustline.reporting;

import io.thrustline.schemas.SessionBalance;
import java.time.LocalDate;

/**
 * Left against right for one athlete, session and unilateral exercise, as stored and served.
 *
 * @param ruleBook the version of the rule book that judged the session
 */
public record BalanceRow(
        String athleteId,
        String sessionId,
        String exercise,
        LocalDate sessionDate,
        double leftVolume,
        double rightVolume,
        int leftReps,
        int rightReps,
        double asymmetryPct,
        String weakerSide,
        boolean loaded,
        boolean insufficientData,
        int ruleBook) {

    static BalanceRow of(SessionBalance b) {
        return new BalanceRow(b.getAthleteId(), b.getSessionId(), b.getExercise(), b.getSessionDate(), b.getLeftVolume(),
                b.getRightVolume(), b.getLeftReps(), b.getRightReps(), b.getAsymmetryPct(),
                b.getWeakerSide() == null ? null : b.getWeakerSide().name(), b.getLoaded(), b.getInsufficientData(),
                RuleBookRepository.stampedOn(b.getRuleBook()));
    }

    String key() {
        return ruleBook + "|" + athleteId + "|" + sessionId + "|" + exercise;
    }
}
