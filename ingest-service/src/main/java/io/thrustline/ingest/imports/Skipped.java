package io.thrustline.ingest.imports;

/** A line of the file that was not imported, and why. */
public record Skipped(int line, String reason) {}
