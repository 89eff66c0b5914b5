package io.thrustline.streams.rules;

import java.time.Instant;

/** An earlier session's result for the same athlete and exercise, as kept in the balance history. */
public record PriorBalance(String sessionId, Instant startedAt, double asymmetryPct, Side weakerSide) {}
