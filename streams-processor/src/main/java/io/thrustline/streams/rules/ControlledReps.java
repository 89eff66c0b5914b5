package io.thrustline.streams.rules;

import io.thrustline.seeds.RuleBook;
import java.util.Optional;

/**
 * How many reps of a set were controlled: {@code controlledReps} when the gym counted them, otherwise
 * counted from {@code repDetails} (slow enough down, held long enough at the top, pelvis not reported
 * as dropping). With neither, control is unknown.
 */
public final class ControlledReps {

    private final RuleBook.ControlledRep settings;

    public ControlledReps(RuleBook.ControlledRep settings) {
        this.settings = settings;
    }

    public Optional<Integer> of(LoggedSet set) {
        if (set.controlledReps() != null) {
            return Optional.of(set.controlledReps());
        }
        if (set.repDetails() == null) {
            return Optional.empty();
        }
        return Optional.of((int) set.repDetails().stream().filter(this::isControlled).count());
    }

    boolean isControlled(RepDetail rep) {
        boolean slowDown = rep.eccentricSeconds() != null && rep.eccentricSeconds() >= settings.minEccentricSeconds();
        boolean heldTop = rep.topHoldSeconds() != null && rep.topHoldSeconds() >= settings.minTopHoldSeconds();
        boolean level = !settings.pelvisMustStayLevel() || !Boolean.FALSE.equals(rep.pelvisLevel());
        return slowDown && heldTop && level;
    }
}
