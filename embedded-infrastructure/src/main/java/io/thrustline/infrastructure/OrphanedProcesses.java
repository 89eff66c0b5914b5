package io.thrustline.infrastructure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and stops processes a killed stack left behind (the registry, PostgreSQL), by the pid their pid file
 * names. A pid is only acted on when the live process's command line matches what we started, because
 * after a reboot the same pid may belong to something else entirely.
 */
public final class OrphanedProcesses {

    private static final Logger log = LoggerFactory.getLogger(OrphanedProcesses.class);

    private OrphanedProcesses() {}

    /** The live process a pid file (first line = pid) points to, when its command line contains {@code marker}. */
    public static Optional<ProcessHandle> find(Path pidFile, String marker) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            long pid = Long.parseLong(first);
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().orElse(p.info().command().orElse("")).contains(marker));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Asks politely (SIGTERM), then insists (SIGKILL) after {@code grace}. */
    public static void stop(ProcessHandle process, String what, Duration grace) {
        log.warn("stopping {} (pid {}), which outlived the run that started it", what, process.pid());
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            process.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for pid " + process.pid() + " to exit failed", e);
        }
    }
}
