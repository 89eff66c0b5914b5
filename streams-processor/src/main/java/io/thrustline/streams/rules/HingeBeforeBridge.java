package io.thrustline.streams.rules;

import io.thrustline.schemas.RuleName;
import io.thrustline.seeds.Catalog;
import io.thrustline.seeds.Exercise;
import io.thrustline.seeds.MovementPattern;
import io.thrustline.seeds.RuleBook;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HINGE_BEFORE_BRIDGE: the session's earliest hinge (by performedAt) should follow at least one unloaded
 * bridge. A loaded bridge is strength work, not activation, so it does not count. Warm-up hinges are not the first
 * hinge; an unloaded warm-up bridge is an activation.
 */
public final class HingeBeforeBridge implements SessionRule {

    private static final Map<Integer, String> NUMBERS = Map.of(1, "one", 2, "two", 3, "three", 4, "four", 5, "five");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Catalog catalog;
    private final RuleBook.Activation activation;

    public HingeBeforeBridge(Catalog catalog, RuleBook.HingeBeforeBridge thresholds) {
        this.catalog = catalog;
        this.activation = thresholds.activation();
    }

    @Override
    public RuleName name() {
        return RuleName.HINGE_BEFORE_BRIDGE;
    }

    @Override
    public List<Finding> judge(ClosedSession session) {
        return evaluate(session.sets()).stream().toList();
    }

    /** @param sessionSets every set of one session, in any order */
    public Optional<Finding> evaluate(List<LoggedSet> sessionSets) {
        List<LoggedSet> inOrder = sessionSets.stream().sorted(LoggedSet.BY_PERFORMED_AT).toList();
        // A warm-up hinge is not yet the session's hinging; an unloaded warm-up bridge is exactly the activation wanted.
        Optional<LoggedSet> firstHinge = inOrder.stream().filter(s -> pattern(s) == MovementPattern.HINGE && s.isWork()).findFirst();
        if (firstHinge.isEmpty()) {
            return Optional.empty();
        }
        LoggedSet hinge = firstHinge.get();
        boolean activatedBefore = inOrder.stream()
                .filter(s -> s.performedAt().isBefore(hinge.performedAt()))
                .anyMatch(s -> pattern(s) == MovementPattern.BRIDGE && s.isUnloaded());
        if (activatedBefore) {
            return Optional.empty();
        }
        long loadedBridgesBefore = inOrder.stream()
                .filter(s -> s.performedAt().isBefore(hinge.performedAt()))
                .filter(s -> pattern(s) == MovementPattern.BRIDGE && s.isWork())
                .count();
        Exercise hingeExercise = catalog.require(hinge.exercise());
        String message = hingeExercise.name() + " at " + CLOCK.format(hinge.performedAt())
                + " was the session's first hip hinge, and no bodyweight glute bridge came before it"
                + (loadedBridgesBefore > 0 ? " (the loaded bridges beforehand train strength, they do not wake the glutes up)." : ".");
        return Optional.of(new Finding(
                RuleName.HINGE_BEFORE_BRIDGE,
                Severity.WARNING,
                hinge.athleteId(),
                hinge.sessionId(),
                hinge.exercise(),
                null,
                hinge.performedAt(),
                Map.of("hingeLoadKg", hinge.loadKg(), "loadedBridgesBefore", (double) loadedBridgesBefore),
                message,
                advice(hingeExercise),
                hinge.eventId()));
    }

    private String advice(Exercise hinge) {
        Exercise bridge = catalog.require(activation.exercise());
        String bridgeCue = bridge.cues().isEmpty() ? "" : bridge.cues().get(bridge.cues().size() - 1);
        String why = hinge.commonMistakes().isEmpty() ? "" : " The risk: " + lowerFirst(hinge.commonMistakes().get(0));
        return "Open the next session with " + NUMBERS.getOrDefault(activation.sets(), String.valueOf(activation.sets()))
                + (activation.sets() == 1 ? " set" : " sets") + " of " + activation.minReps() + "-" + activation.maxReps()
                + " bodyweight " + activation.exercise().replace('_', ' ') + "s (" + lowerFirst(bridgeCue).replaceAll("\\.$", "")
                + ") before the first " + hinge.name().toLowerCase() + "." + why;
    }

    private MovementPattern pattern(LoggedSet set) {
        return catalog.find(set.exercise()).map(Exercise::pattern).orElse(MovementPattern.OTHER);
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
