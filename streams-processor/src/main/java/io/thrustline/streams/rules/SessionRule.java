package io.thrustline.streams.rules;

import io.thrustline.schemas.RuleName;
import java.util.List;

/** A rule judged when a session closes, over everything the session holds. Registered in {@link Rules}. */
public interface SessionRule {

    RuleName name();

    /** What this rule finds in the session; empty when nothing. Judging the same session again gives the same findings. */
    List<Finding> judge(ClosedSession session);
}
