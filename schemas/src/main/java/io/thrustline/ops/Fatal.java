package io.thrustline.ops;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Told when a service's Kafka client has died for good and nothing inside the process will bring it back.
 * A service's {@code main} exits non-zero on it (see {@link ServiceMain}) so that its supervisor restarts it
 * and an operator sees it; the in-process local stack and tests only record it.
 */
@FunctionalInterface
public interface Fatal {

    /** @param reason one line an operator can act on; names the topic, credential or setting at fault */
    void died(String reason, Throwable cause);

    /** For callers that only log: the service keeps running, dead client and all. */
    Fatal LOG_ONLY = (reason, cause) -> org.slf4j.LoggerFactory.getLogger(Fatal.class).error("fatal: {}", reason, cause);

    /**
     * Whether a Kafka failure is one retrying cannot fix: refused credentials, missing permissions, a producer
     * fenced by another with its id, a broker too old for the client.
     */
    static boolean isPermanent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException
                    || cause instanceof ProducerFencedException || cause instanceof FencedInstanceIdException
                    || cause instanceof UnsupportedVersionException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** The innermost message worth showing: the permanent cause's if there is one. */
    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException
                    || cause instanceof ProducerFencedException || cause instanceof FencedInstanceIdException
                    || cause instanceof UnsupportedVersionException) {
                return cause.getClass().getSimpleName() + ": " + cause.getMessage();
            }
        }
        return failure.toString();
    }
}
