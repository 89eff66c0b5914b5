package io.thrustline.reporting;

import java.sql.SQLException;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Tells a record that can never be stored (poison: dead-letter it, go on) from a failure that will pass
 * (transient: retry the same records later, lose nothing). Plain logic, no Kafka or PostgreSQL needed.
 */
final class FailureClassifier {

    enum Kind {
        /** The record itself is at fault and always will be: dead-letter it. */
        POISON,
        /** Something the record depends on is unavailable for now: retry the same records. */
        TRANSIENT,
        /** Neither the database nor the broker: a fault of the sink itself; restart it. */
        UNEXPECTED
    }

    private FailureClassifier() {}

    /**
     * A failure to decode a record's value. The registry serde reports every failed registry lookup
     * (unreachable, an HTTP error, an unreadable answer) as a SerializationException wrapped in the one for
     * the record; a wrong magic byte comes alone and broken Avro with Avro's own error as the cause. Any
     * registry problem is retried, even "unknown schema id": an empty or wrong registry must never turn
     * every record into a dead letter.
     */
    static Kind ofDecoding(Throwable failure) {
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SerializationException || cause instanceof InterruptedException) {
                return Kind.TRANSIENT;
            }
        }
        return Kind.POISON;
    }

    /** A failure to store records in PostgreSQL, to dead-letter them or to commit their offsets. */
    static Kind ofStoring(Throwable failure) {
        Optional<String> state = sqlState(failure);
        if (state.isPresent()) {
            return ofSqlState(state.get());
        }
        if (findCause(failure, SQLException.class).isPresent() || findCause(failure, KafkaException.class).isPresent()) {
            return Kind.TRANSIENT; // a database error without a state (e.g. no connection from the pool), or the broker
        }
        return Kind.UNEXPECTED;
    }

    /**
     * Data exceptions (22) and integrity violations (23) are the record's fault. Everything else is retried:
     * a lost connection (08), lack of resources (53), a restarting server (57P01-57P03), serialization
     * failures and deadlocks (40001, 40P01), lock and statement timeouts (55P03, 57014) pass by themselves,
     * and the rest (a missing table, a bug of ours) must not turn good records into dead letters either.
     */
    static Kind ofSqlState(String state) {
        return state.startsWith("22") || state.startsWith("23") ? Kind.POISON : Kind.TRANSIENT;
    }

    /** The SQLState of the first SQLException in the chain that has one, looking into batch errors too. */
    static Optional<String> sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (e.getSQLState() != null) {
                        return Optional.of(e.getSQLState());
                    }
                }
            }
        }
        return Optional.empty();
    }

    static <T extends Throwable> Optional<T> findCause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return Optional.of(type.cast(cause));
            }
        }
        return Optional.empty();
    }
}
