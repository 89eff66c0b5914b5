package io.thrustline.streams;

import io.thrustline.schemas.EventTimes;
import io.thrustline.schemas.Identifiers;
import io.thrustline.schemas.Insight;
import io.thrustline.schemas.SessionCompleted;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.seeds.Catalog;
import io.thrustline.schemas.SessionBalance;
import io.thrustline.streams.rules.Balance;
import io.thrustline.streams.rules.Finding;
import io.thrustline.streams.rules.LoggedSet;
import io.thrustline.streams.rules.RepDetail;
import io.thrustline.streams.rules.SetType;
import io.thrustline.streams.rules.Side;
import java.time.Instant;
import java.util.List;

/**
 * Between wire records and the rules' plain values. Events may come from any integration that speaks
 * Kafka + Avro, not only from ingest-service, so what the rules rely on is checked again here.
 */
public final class EventMapping {

    private final Catalog catalog;

    public EventMapping(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Rejects what the rules cannot judge, naming the field. Looks at the event alone: what depends on the
     * athlete's state (duplicates, session bounds) is the processor's to check.
     */
    public void check(String key, TrainingEvent event) {
        if (event == null) {
            throw new InvalidEventException("record has no value");
        }
        checkTenancy(key, event);
        if (!Identifiers.isClientId(event.getEventId())) {
            throw new InvalidEventException("eventId '" + shown(event.getEventId()) + "' must be " + Identifiers.CLIENT_ID_RULE);
        }
        String sessionId = sessionId(event);
        if (!Identifiers.isClientId(sessionId)) {
            throw new InvalidEventException("sessionId '" + shown(sessionId) + "' must be " + Identifiers.CLIENT_ID_RULE);
        }
        switch (event.getPayload()) {
            case SetLogged set -> {
                checkTime("performedAt", set.getPerformedAt(), event.getReceivedAt());
                checkSet(set);
            }
            case SessionCompleted done -> checkTime("completedAt", done.getCompletedAt(), event.getReceivedAt());
            default -> throw new InvalidEventException("payload is neither SetLogged nor SessionCompleted");
        }
    }

    /**
     * Integrations are tenants: an athlete is named by its integration and the id that integration gave it,
     * and only that integration may write about it. Store keys start with the qualified athlete id, so two
     * integrations' athletes with the same id never share state.
     */
    private static void checkTenancy(String key, TrainingEvent event) {
        String athleteId = event.getAthleteId();
        if (!Identifiers.isQualifiedAthlete(athleteId)) {
            throw new InvalidEventException("athleteId '" + shown(athleteId) + "' must be " + Identifiers.QUALIFIED_ATHLETE_RULE);
        }
        if (event.getSource() == null) {
            throw new InvalidEventException("source is missing: it must name the integration that sent the event");
        }
        String owner = Identifiers.integrationOf(athleteId);
        if (!owner.equals(event.getSource())) {
            throw new InvalidEventException("athleteId '" + athleteId + "' belongs to integration '" + owner + "', but the event's source is '"
                    + shown(event.getSource()) + "': an integration may only send events about its own athletes");
        }
        if (!athleteId.equals(key)) {
            throw new InvalidEventException("record key '" + shown(key) + "' is not the event's athleteId '" + athleteId + "'");
        }
    }

    /**
     * An event time must be one a connected gym could have recorded: not before {@link EventTimes#EARLIEST},
     * and not later than when Thrustline received the event, give or take a device clock running fast.
     */
    private static void checkTime(String field, Instant at, Instant receivedAt) {
        if (at.isBefore(EventTimes.EARLIEST)) {
            throw new InvalidEventException(field + " " + at + " is before " + EventTimes.EARLIEST + "; check the device clock");
        }
        if (at.isAfter(receivedAt.plus(EventTimes.MAX_CLOCK_SKEW))) {
            throw new InvalidEventException(field + " " + at + " is more than " + EventTimes.MAX_CLOCK_SKEW.toMinutes()
                    + " minutes after the event was received (" + receivedAt + "); check the device clock");
        }
    }

    private void checkSet(SetLogged set) {
        var exercise = catalog.find(set.getExercise())
                .orElseThrow(() -> new InvalidEventException("exercise '" + shown(set.getExercise()) + "' is not in the catalog"));
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

    /** Echoed input is cut short, so a hostile value cannot blow up the dead-letter headers. */
    private static String shown(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() <= 100 ? value : value.substring(0, 100) + "...";
    }

    public static String sessionId(TrainingEvent event) {
        return switch (event.getPayload()) {
            case SetLogged set -> set.getSessionId();
            case SessionCompleted done -> done.getSessionId();
            default -> throw new InvalidEventException("payload is neither SetLogged nor SessionCompleted");
        };
    }

    public static LoggedSet toLoggedSet(TrainingEvent event) {
        SetLogged set = (SetLogged) event.getPayload();
        List<RepDetail> reps = set.getRepDetails() == null ? null : set.getRepDetails().stream()
                .map(r -> new RepDetail(r.getEccentricSeconds(), r.getTopHoldSeconds(), r.getPelvisLevel()))
                .toList();
        Side side = set.getSide() == null ? Side.BOTH : Side.valueOf(set.getSide().name());
        return new LoggedSet(event.getEventId(), event.getAthleteId(), set.getSessionId(), set.getPerformedAt(),
                set.getExercise(), side, set.getReps(), set.getLoadKg(), set.getControlledReps(), reps,
                SetType.valueOf(set.getSetType().name()));
    }

    /** @param ruleBook the version of the rule book that judged the session */
    public static SessionBalance toSessionBalance(Balance b, int ruleBook) {
        return SessionBalance.newBuilder()
                .setAthleteId(b.athleteId()).setSessionId(b.sessionId()).setExercise(b.exercise())
                .setSessionDate(b.sessionDate())
                .setLeftVolume(b.leftVolume()).setRightVolume(b.rightVolume())
                .setLeftReps(b.leftReps()).setRightReps(b.rightReps())
                .setAsymmetryPct(b.asymmetryPct())
                .setWeakerSide(b.weakerSide() == null ? null : io.thrustline.schemas.Side.valueOf(b.weakerSide().name()))
                .setLoaded(b.loaded())
                .setInsufficientData(b.insufficientData())
                .setRuleBook(ruleBook)
                .build();
    }

    /** @param ruleBook the version of the rule book that raised it */
    public static Insight toInsight(Finding finding, int ruleBook) {
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
                .setRuleBook(ruleBook)
                .build();
    }

    /** The record that withdraws the insight a finding with this identity raised; the id is the same, the words say why. */
    public static Insight toWithdrawal(Finding finding, int ruleBook) {
        Insight insight = toInsight(finding, ruleBook);
        insight.setRetracted(true);
        return insight;
    }
}
