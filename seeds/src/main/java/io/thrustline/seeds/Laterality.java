package io.thrustline.seeds;

/** Whether one leg works at a time (sets carry LEFT or RIGHT) or both together. */
public enum Laterality {
    UNILATERAL,
    BILATERAL
}
