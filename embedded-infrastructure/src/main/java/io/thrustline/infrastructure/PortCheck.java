package io.thrustline.infrastructure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes sure every port the stack will bind is free before anything starts. Without it a server that fails
 * to bind can leave a stranger answering on its port (a PostgreSQL left over by another run once served a
 * whole stack that way), or a half-started broker behind. Each port is tried by binding it on the very
 * address the server will use, which is what the server itself will run into.
 */
public final class PortCheck {

    private final PortHolders holders;

    public PortCheck(PortHolders holders) {
        this.holders = holders;
    }

    public static void requireFree(List<NeededPort> ports) {
        new PortCheck(PortHolders.linux()).check(ports);
    }

    /** Throws {@link PortsInUseException} naming every port that is taken or configured twice. */
    public void check(List<NeededPort> ports) {
        var problems = new ArrayList<String>();
        var offending = new ArrayList<Integer>();
        Map<Integer, NeededPort> byPort = new LinkedHashMap<>();
        for (NeededPort needed : ports) {
            NeededPort earlier = byPort.putIfAbsent(needed.port(), needed);
            if (earlier != null) {
                problems.add("port " + needed.port() + " is configured for both " + earlier.purpose() + " (" + earlier.variable()
                        + ") and " + needed.purpose() + " (" + needed.variable() + "); give each a port of its own");
                offending.add(needed.port());
            }
        }
        for (NeededPort needed : byPort.values()) {
            if (!canBind(needed)) {
                problems.add(describeTaken(needed));
                offending.add(needed.port());
            }
        }
        if (!problems.isEmpty()) {
            throw new PortsInUseException("Thrustline did not start, nothing was started: "
                    + (problems.size() == 1 ? "a port it needs is" : "ports it needs are") + " not available.\n  "
                    + String.join("\n  ", problems), offending);
        }
    }

    private static boolean canBind(NeededPort needed) {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as the servers do: a connection in TIME_WAIT does not stop them
            socket.bind(new InetSocketAddress(needed.address(), needed.port()));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private String describeTaken(NeededPort needed) {
        List<String> holding = holders.describe(needed.port());
        String by = holding.isEmpty() ? "another process (could not tell which)" : String.join(", ", holding);
        return "port " + needed.port() + " for " + needed.purpose() + " on " + needed.where() + " is in use by " + by
                + "; stop that process or set " + needed.variable() + " to a free port";
    }
}
