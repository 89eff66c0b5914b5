package io.thrustline.reporting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Ready when PostgreSQL answers and every sink is running, not stuck on a batch it keeps failing to store,
 * and no more than maxLag records behind.
 */
final class Readiness {

    /** @param stuck the sinks failing on the same records (or restarting) right now */
    record Report(boolean ready, String postgres, Map<String, Long> lag, List<String> stuck) {}

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
        for (TopicSink<?> sink : sinks) {
            lag.put(sink.toString(), sink.lag());
            if (sink.stuck()) {
                stuck.add(sink.toString());
            }
            sinksOk &= sink.healthy() && sink.lag() <= maxLag;
        }
        return new Report(database && sinksOk, database ? "UP" : "DOWN", lag, stuck);
    }
}
