package io.thrustline.schemas;

/**
 * Every rule (docs/rules.md): the one list of what an insight's {@code rule} may hold. streams-processor raises them,
 * reporting-service filters by them and serves them, with their titles, to the coach page ({@code GET /v1/rules}).
 */
public enum RuleName {
    LEFT_RIGHT_IMBALANCE("Left/right imbalance"),
    UNILATERAL_SIDE_MISSING("One side missing"),
    PERSISTENT_IMBALANCE("Persistent imbalance"),
    LOAD_INCREASE_BEFORE_CONTROL("Load added before control"),
    HINGE_BEFORE_BRIDGE("Hinge before bridge activation");

    private final String title;

    RuleName(String title) {
        this.title = title;
    }

    /** What a coach reads for it. */
    public String title() {
        return title;
    }
}
