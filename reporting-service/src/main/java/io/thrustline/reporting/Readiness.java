package io.thrustline.reporting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Ready when PostgreSQL answers and every sink is running, has its partitions, is not stuck on a batch it keeps
 * failing to store, and is no more than maxLag records behind. {@code caughtUp} says every sink had read to the end
 * of its partitions at its last poll: what the local stack waits for before it says it is up.
 */
final class Readiness {

    /** @param stuck the sinks failing on the same records (or restarting) right now */
    record Report(boolean ready, boolean caughtUp, String postgres, Map<String, Long> lag, List<String> stuck) {}

    private final Jdbi jdbi;
    private final List<TopicSink<?>> sinks;
    private final long maxLag;

    Readiness(Jdbi jdbi, List<TopicSink<?>> sinks, long maxLag) {
        this.jdbi = jdbi;
        this.sinks = sinks;
        this.maxLag = maxLag;
    }

    Report check() {
        boolean database;
        try {
            database = jdbi.withHandle(h -> h.createQuery("select 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            database = false;
        }
        var lag = new LinkedHashMap<String, Long>();
        var stuck = new ArrayList<String>();
        boolean sinksOk = true;
        boolean caughtUp = true;
        for (TopicSink<?> sink : sinks) {
            lag.put(sink.toString(), sink.lag());
            if (sink.stuck()) {
                stuck.add(sink.toString());
            }
            sinksOk &= sink.healthy() && sink.lag() <= maxLag;
            caughtUp &= sink.lag() == 0;
        }
        return new Report(database && sinksOk, database && sinksOk && caughtUp, database ? "UP" : "DOWN", lag, stuck);
    }
}
