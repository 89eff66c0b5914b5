package io.thrustline.streams.rules;

import io.thrustline.schemas.RuleName;
import java.util.Optional;

/**
 * A rule judged as each set arrives, against the set before it on the same exercise and side (by performedAt,
 * across sessions). A set that arrives late sits between two sets already judged, so the one after it is judged
 * again and its finding withdrawn when it no longer holds. Registered in {@link Rules}.
 */
public interface SetRule {

    RuleName name();

    /** Whether the rule looks at this exercise at all; sets of other exercises are not kept for it. */
    boolean applies(String exerciseCode);

    Optional<Finding> evaluate(SideSet previous, SideSet current);

    /** The finding {@code current} carried, withdrawn: the same identity, so the same insight id. */
    Finding withdrawn(SideSet current);
}
