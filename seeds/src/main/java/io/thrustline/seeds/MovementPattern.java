package io.thrustline.seeds;

/** The movement family an exercise belongs to; the rules group exercises by it. */
public enum MovementPattern {
    HIP_THRUST,
    BRIDGE,
    HINGE,
    OTHER
}
