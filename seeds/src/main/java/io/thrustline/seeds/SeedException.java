package io.thrustline.seeds;

/** A seed file is missing or wrong; the message names the file and the field. */
public final class SeedException extends RuntimeException {
    public SeedException(String file, String field, String problem) {
        super(file + ": " + (field.isEmpty() ? "" : field + ": ") + problem);
    }

    public SeedException(String file, String field, String problem, Throwable cause) {
        super(file + ": " + (field.isEmpty() ? "" : field + ": ") + problem, cause);
    }
}
