package io.thrustline.streams.rules;

/** What was recorded about one rep; any part may be unknown (null). */
public record RepDetail(Double eccentricSeconds, Double topHoldSeconds, Boolean pelvisLevel) {}
