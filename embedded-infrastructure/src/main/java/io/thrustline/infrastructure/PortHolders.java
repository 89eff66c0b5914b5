package io.thrustline.infrastructure;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which processes hold a TCP port, read from Linux's /proc: the socket inodes bound to the port in
 * /proc/net/tcp and /proc/net/tcp6, then the processes whose /proc/&lt;pid&gt;/fd links point at those inodes.
 * Best effort: where /proc is missing or unreadable the answer is simply empty, never an exception.
 */
public final class PortHolders {

    private static final String LISTEN = "0A";

    private final Path proc;

    public PortHolders(Path proc) {
        this.proc = proc;
    }

    public static PortHolders linux() {
        return new PortHolders(Path.of("/proc"));
    }

    /** The pids holding a socket bound to {@code port}: listeners when there are any, else any socket bound to it. */
    public List<Long> pidsOf(int port) {
        try {
            Set<String> inodes = socketInodes(port);
            return inodes.isEmpty() ? List.of() : pidsWithSockets(inodes);
        } catch (RuntimeException | IOException unreadable) {
            return List.of();
        }
    }

    /** "pid 123 (postgres -D /var/lib/...)" for each holder, for an operator to act on; empty when unknown. */
    public List<String> describe(int port) {
        var described = new ArrayList<String>();
        for (long pid : pidsOf(port)) {
            String command = ProcessHandle.of(pid)
                    .flatMap(p -> p.info().commandLine().or(() -> p.info().command()))
                    .orElseGet(() -> commandLineFromProc(pid));
            described.add("pid " + pid + (command.isBlank() ? "" : " (" + abbreviate(command, 160) + ")"));
        }
        return described;
    }

    private Set<String> socketInodes(int port) throws IOException {
        var listening = new LinkedHashSet<String>();
        var bound = new LinkedHashSet<String>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            Path file = proc.resolve(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
                String[] fields = line.trim().split("\\s+");
                if (fields.length < 10) {
                    continue;
                }
                String local = fields[1];
                int localPort = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                String inode = fields[9];
                if (localPort != port || inode.equals("0")) {
                    continue;
                }
                (fields[3].equals(LISTEN) ? listening : bound).add(inode);
            }
        }
        return listening.isEmpty() ? bound : listening;
    }

    private List<Long> pidsWithSockets(Set<String> inodes) throws IOException {
        var wanted = new HashSet<String>();
        inodes.forEach(inode -> wanted.add("socket:[" + inode + "]"));
        var pids = new ArrayList<Long>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path process : processes) {
                if (holdsAny(process.resolve("fd"), wanted)) {
                    pids.add(Long.parseLong(process.getFileName().toString()));
                }
            }
        }
        pids.sort(null);
        return pids;
    }

    private static boolean holdsAny(Path fdDir, Set<String> wanted) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                try {
                    if (wanted.contains(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (IOException | UnsupportedOperationException closedMeanwhile) {
                    // the descriptor went away while we looked
                }
            }
        } catch (IOException | SecurityException notOurs) {
            // another user's process, or it exited while we looked
        }
        return false;
    }

    private String commandLineFromProc(long pid) {
        try {
            return new String(Files.readAllBytes(proc.resolve(pid + "/cmdline"))).replace('\0', ' ').trim();
        } catch (IOException gone) {
            return "";
        }
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
