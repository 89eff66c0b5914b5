package io.thrustline.streams;

import io.thrustline.schemas.Insight;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.seeds.Catalog;
import io.thrustline.schemas.SessionBalance;
import io.thrustline.schemas.state.BalanceEntry;
import io.thrustline.schemas.state.LoadEntry;
import io.thrustline.streams.rules.Balance;
import io.thrustline.streams.rules.Finding;
import io.thrustline.streams.rules.PriorBalance;
import io.thrustline.streams.rules.SideSet;
import io.thrustline.streams.rules.LoggedSet;
import io.thrustline.streams.rules.RepDetail;
import io.thrustline.streams.rules.Side;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Between wire records and the rules' plain values. Events may come from any integration that speaks
 * Kafka + Avro, not only from ingest-service, so what the rules rely on is checked again here.
 */
final class EventMapping {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final Catalog catalog;

    EventMapping(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Rejects what the rules cannot judge, naming the field. */
    void check(String key, TrainingEvent event) {
        if (event == null) {
            throw new InvalidEventException("record has no value");
        }
        if (!ID.matcher(event.getAthleteId()).matches()) {
            throw new InvalidEventException("athleteId '" + event.getAthleteId() + "' must be 1-64 of [A-Za-z0-9._:-]");
        }
        if (!event.getAthleteId().equals(key)) {
            throw new InvalidEventException("record key '" + key + "' is not the event's athleteId '" + event.getAthleteId() + "'");
        }
        if (event.getEventId().isBlank()) {
            throw new InvalidEventException("eventId is blank");
        }
        String sessionId = sessionId(event);
        if (!ID.matcher(sessionId).matches()) {
            throw new InvalidEventException("sessionId '" + sessionId + "' must be 1-64 of [A-Za-z0-9._:-]");
        }
        if (event.getPayload() instanceof SetLogged set) {
            var exercise = catalog.find(set.getExercise())
                    .orElseThrow(() -> new InvalidEventException("exercise '" + set.getExercise() + "' is not in the catalog"));
            if (set.getReps() < 1) {
                throw new InvalidEventException("reps must be at least 1");
            }
            if (!(set.getLoadKg() >= 0) || Double.isInfinite(set.getLoadKg())) {
                throw new InvalidEventException("loadKg must be a finite number >= 0");
            }
            boolean sided = set.getSide() == io.thrustline.schemas.Side.LEFT || set.getSide() == io.thrustline.schemas.Side.RIGHT;
            if (exercise.isUnilateral() && !sided) {
                throw new InvalidEventException(exercise.code() + " is unilateral: side must be LEFT or RIGHT");
            }
            if (!exercise.isUnilateral() && sided) {
                throw new InvalidEventException(exercise.code() + " is bilateral: side must be BOTH or absent");
            }
        }
    }

    static String sessionId(TrainingEvent event) {
        return switch (event.getPayload()) {
            case SetLogged set -> set.getSessionId();
            case io.thrustline.schemas.SessionCompleted done -> done.getSessionId();
            default -> throw new InvalidEventException("payload is neither SetLogged nor SessionCompleted");
        };
    }

    static LoggedSet toLoggedSet(TrainingEvent event) {
        SetLogged set = (SetLogged) event.getPayload();
        List<RepDetail> reps = set.getRepDetails() == null ? null : set.getRepDetails().stream()
                .map(r -> new RepDetail(r.getEccentricSeconds(), r.getTopHoldSeconds(), r.getPelvisLevel()))
                .toList();
        Side side = set.getSide() == null ? Side.BOTH : Side.valueOf(set.getSide().name());
        return new LoggedSet(event.getEventId(), event.getAthleteId(), set.getSessionId(), set.getPerformedAt(),
                set.getExercise(), side, set.getReps(), set.getLoadKg(), set.getControlledReps(), reps);
    }

    static SessionBalance toSessionBalance(Balance b) {
        return SessionBalance.newBuilder()
                .setAthleteId(b.athleteId()).setSessionId(b.sessionId()).setExercise(b.exercise())
                .setSessionDate(b.sessionDate())
                .setLeftVolume(b.leftVolume()).setRightVolume(b.rightVolume())
                .setLeftReps(b.leftReps()).setRightReps(b.rightReps())
                .setAsymmetryPct(b.asymmetryPct())
                .setWeakerSide(b.weakerSide() == null ? null : io.thrustline.schemas.Side.valueOf(b.weakerSide().name()))
                .setLoaded(b.loaded())
                .build();
    }

    static BalanceEntry toBalanceEntry(Balance b) {
        return BalanceEntry.newBuilder()
                .setSessionId(b.sessionId()).setStartedAt(b.startedAt()).setAsymmetryPct(b.asymmetryPct())
                .setWeakerSide(b.weakerSide() == null ? null : io.thrustline.schemas.Side.valueOf(b.weakerSide().name()))
                .build();
    }

    static PriorBalance toPriorBalance(BalanceEntry e) {
        return new PriorBalance(e.getSessionId(), e.getStartedAt(), e.getAsymmetryPct(),
                e.getWeakerSide() == null ? null : Side.valueOf(e.getWeakerSide().name()));
    }

    static LoadEntry toLoadEntry(SideSet set, boolean flagged) {
        return LoadEntry.newBuilder()
                .setEventId(set.eventId()).setSessionId(set.sessionId()).setPerformedAt(set.performedAt())
                .setLoadKg(set.loadKg()).setReps(set.reps()).setControlledReps(set.controlledReps())
                .setFlagged(flagged)
                .build();
    }

    /** A stored history entry of the same athlete, exercise and side as {@code sameSeries}. */
    static SideSet toSideSet(LoadEntry e, SideSet sameSeries) {
        return new SideSet(e.getEventId(), sameSeries.athleteId(), e.getSessionId(), sameSeries.exercise(), sameSeries.side(),
                e.getPerformedAt(), e.getLoadKg(), e.getReps(), e.getControlledReps());
    }

    static Insight toInsight(Finding finding) {
        return Insight.newBuilder()
                .setInsightId(finding.insightId())
                .setAthleteId(finding.athleteId())
                .setSessionId(finding.sessionId())
                .setRule(finding.rule().name())
                .setSeverity(io.thrustline.schemas.Severity.valueOf(finding.severity().name()))
                .setExercise(finding.exercise())
                .setSide(finding.side() == null ? null : io.thrustline.schemas.Side.valueOf(finding.side().name()))
                .setDetectedAt(finding.detectedAt())
                .setMetrics(new java.util.HashMap<>(finding.metrics()))
                .setMessage(finding.message())
                .setAdvice(finding.advice())
                .setTriggerEventId(finding.triggerEventId())
                .setRetracted(false)
                .build();
    }
}
