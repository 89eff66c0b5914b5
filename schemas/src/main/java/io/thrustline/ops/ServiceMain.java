package io.thrustline.ops;

import io.thrustline.schemas.KafkaPreflight;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code main} of every service: start it, then wait until the JVM is asked to stop or the service's
 * Kafka client dies for good. Exit codes: 2 when Kafka refused the start (credentials, permissions, missing
 * topics: one line on stderr, no stack trace), 1 when a client died for good (after a log line saying why).
 * Exiting happens on the main thread, never on a Kafka thread: a {@code System.exit} there would wait on the
 * shutdown hook, which waits on that very thread to close.
 */
public final class ServiceMain {

    /** Starts the service; it reports a fatal death of its Kafka client to the given callback. */
    @FunctionalInterface
    public interface Starter {
        AutoCloseable start(Fatal fatal) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

    private ServiceMain() {}

    /** Runs the service until the JVM stops; exits the JVM with 1 or 2 as described above. */
    public static void run(String service, Starter starter) throws Exception {
        int code = run(service, starter, System.err, true);
        System.exit(code);
    }

    /**
     * @return the exit code: 2 refused at start, 1 died; returns only then
     */
    static int run(String service, Starter starter, PrintStream err, boolean shutdownHook) throws Exception {
        var death = new Death();
        AutoCloseable running;
        try {
            running = starter.start(death);
        } catch (KafkaPreflight.Refused e) {
            err.println(e.getMessage());
            return 2;
        }
        if (shutdownHook) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    running.close();
                } catch (Exception e) {
                    log.warn("{}: closing failed: {}", service, e.toString());
                }
            }, service + "-shutdown"));
        }
        death.happened.await();
        log.error("{} exits with status 1: {}", service, death.reason.get());
        if (!shutdownHook) {
            running.close();
        }
        return 1;
    }

    /** The first fatal report wins; later ones are only logged. */
    private static final class Death implements Fatal {
        final CountDownLatch happened = new CountDownLatch(1);
        final AtomicReference<String> reason = new AtomicReference<>();

        @Override
        public void died(String why, Throwable cause) {
            if (reason.compareAndSet(null, why)) {
                log.error("fatal: {}", why, cause);
                happened.countDown();
            } else {
                log.warn("also fatal: {}", why);
            }
        }
    }
}
