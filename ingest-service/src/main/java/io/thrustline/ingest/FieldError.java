package io.thrustline.ingest;

/** One invalid field of one set in a request; {@code index} is the set's position in the request (0 for a single set). */
public record FieldError(int index, String field, String message) {}
