package io.thrustline.streams.rules;

/** The working leg of a set; BOTH for bilateral exercises. */
public enum Side {
    LEFT,
    RIGHT,
    BOTH;

    public Side opposite() {
        return switch (this) {
            case LEFT -> RIGHT;
            case RIGHT -> LEFT;
            case BOTH -> BOTH;
        };
    }
}
