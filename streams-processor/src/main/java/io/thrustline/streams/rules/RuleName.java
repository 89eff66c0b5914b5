package io.thrustline.streams.rules;

/** The rules of SPEC section 4; the names travel as-is in insights. */
public enum RuleName {
    LEFT_RIGHT_IMBALANCE,
    UNILATERAL_SIDE_MISSING,
    PERSISTENT_IMBALANCE,
    LOAD_INCREASE_BEFORE_CONTROL,
    HINGE_BEFORE_BRIDGE
}
