package io.thrustline.infrastructure;

import java.net.InetAddress;

/**
 * A port the stack is about to listen on: the address it binds (null = every interface), what listens there,
 * and the environment variable an operator sets to move it.
 */
public record NeededPort(int port, InetAddress address, String purpose, String variable) {

    public String where() {
        return address == null ? "all interfaces" : address.getHostAddress();
    }
}
