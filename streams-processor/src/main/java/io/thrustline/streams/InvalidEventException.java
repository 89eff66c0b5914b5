package io.thrustline.streams;

/** An event that deserialized but cannot be judged; the processing handler sends it to the dead-letter topic. */
public final class InvalidEventException extends RuntimeException {
    public InvalidEventException(String message) {
        super(message);
    }
}
