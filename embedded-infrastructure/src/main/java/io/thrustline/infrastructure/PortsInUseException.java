package io.thrustline.infrastructure;

import java.util.List;

/** The stack refused to start because ports it needs are taken (or configured twice); nothing was started. */
public final class PortsInUseException extends IllegalStateException {

    private final List<Integer> ports;

    public PortsInUseException(String message, List<Integer> ports) {
        super(message);
        this.ports = List.copyOf(ports);
    }

    /** The ports that were in the way. */
    public List<Integer> ports() {
        return ports;
    }
}
