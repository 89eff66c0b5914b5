package io.thrustline.infrastructure;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops our PostgreSQL when the JVM that started it dies without closing it (kill -9, a crash, a halt).
 * PostgreSQL detaches into a daemon of its own, so nothing else would stop it: it would keep its port and
 * data directory until the next start found it.
 *
 * <p>The watchdog is a tiny shell blocking on a pipe from this JVM. The kernel closes our end of the pipe however
 * the JVM ends; at end-of-file the shell sends the postmaster SIGINT (PostgreSQL's fast shutdown: end sessions,
 * checkpoint, exit). Before signalling it checks that the pid in postmaster.pid is still a postgres serving our
 * data directory, so a reused pid is never signalled. A normal close tells the watchdog to stand down first,
 * then stops PostgreSQL itself.
 */
public final class PostmasterWatchdog implements AutoCloseable {

    private static final String STAND_DOWN = "stand-down";

    // $1 = the data directory. Ignores INT and HUP: Ctrl-C in a terminal reaches the whole process group, and
    // the watchdog must outlive the JVM's own orderly shutdown, which then tells it to stand down.
    private static final String SCRIPT = """
            trap '' INT HUP
            read -r word
            [ "$word" = %s ] && exit 0
            pid=$(head -n 1 "$1/postmaster.pid" 2>/dev/null)
            [ -n "$pid" ] || exit 0
            case "$(tr '\\000' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" in
              *" -D $1 "*)
                echo "thrustline postgres-watchdog: the JVM that started PostgreSQL (pid $pid) is gone; fast shutdown"
                kill -INT "$pid" ;;
            esac
            """.formatted(STAND_DOWN);

    private final Process shell;
    private final OutputStream pipe;
    private boolean stoodDown;

    private PostmasterWatchdog(Process shell) {
        this.shell = shell;
        this.pipe = shell.getOutputStream();
    }

    /** Starts watching before PostgreSQL starts, so a JVM that dies while PostgreSQL starts is covered too. */
    public static PostmasterWatchdog start(Path pgData, Path log) throws IOException {
        var shell = new ProcessBuilder(List.of("/bin/sh", "-c", SCRIPT, "postgres-watchdog", pgData.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new PostmasterWatchdog(shell);
    }

    public long pid() {
        return shell.pid();
    }

    /** Tells the watchdog to exit without signalling anything; call before stopping PostgreSQL normally. */
    @Override
    public synchronized void close() {
        if (stoodDown) {
            return;
        }
        stoodDown = true;
        try {
            pipe.write((STAND_DOWN + "\n").getBytes(StandardCharsets.US_ASCII));
            pipe.close();
        } catch (IOException alreadyGone) {
            // the shell exited already; nothing left to tell it
        }
        try {
            if (!shell.waitFor(5, TimeUnit.SECONDS)) {
                shell.destroyForcibly();
            }
        } catch (InterruptedException e) {
            shell.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
