package io.thrustline.infrastructure;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What has been started, to be stopped newest first; a failure to stop one part does not keep the others running. */
public final class RunningParts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunningParts.class);

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();

    public <T extends AutoCloseable> T add(T part) {
        parts.push(part);
        return part;
    }

    /** Safe to call more than once (Ctrl-C and a normal exit). */
    @Override
    public synchronized void close() {
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
