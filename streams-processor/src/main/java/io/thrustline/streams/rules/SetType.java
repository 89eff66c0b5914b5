package io.thrustline.streams.rules;

/** What kind of set it was, as the rules see it. */
public enum SetType {
    WORKING,
    /** Counts for nothing, except that an unloaded warm-up bridge still wakes the glutes up before a hinge. */
    WARMUP,
    DROP,
    FAILURE;

    /** Whether the set is work: volume, load progression and the session's first hinge. */
    public boolean isWork() {
        return this != WARMUP;
    }
}
