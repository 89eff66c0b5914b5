package io.thrustline.reporting;

/** Who is asking, as established from their bearer token. */
public sealed interface Caller {
    record Admin() implements Caller {}

    record Coach(String coachId) implements Caller {}

    record Researcher() implements Caller {}
}
