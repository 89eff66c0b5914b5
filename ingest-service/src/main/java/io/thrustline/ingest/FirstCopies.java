package io.thrustline.ingest;

import io.thrustline.schemas.TrainingEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers what the most recent events accepted by this instance held, so an eventId re-sent with different
 * content is answered 409 instead of being silently dropped downstream (where the first copy always wins).
 * A retry with the same content is fine and is not refused.
 *
 * <p>Bounded: the newest {@code capacity} events, about 100 bytes each. A conflict with an event this instance
 * has forgotten, or one another instance accepted, still loses downstream; it just is not answered 409.
 */
final class FirstCopies {

    private final int capacity;
    private final LinkedHashMap<String, Integer> contents;

    FirstCopies(int capacity) {
        this.capacity = capacity;
        this.contents = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false);
    }

    /** The eventIds of {@code events} that clash with an earlier copy (in this request or remembered). */
    synchronized List<String> conflicts(List<TrainingEvent> events) {
        var conflicting = new ArrayList<String>();
        Map<String, Integer> inRequest = new HashMap<>();
        for (TrainingEvent event : events) {
            String key = key(event);
            int content = content(event);
            Integer earlier = inRequest.putIfAbsent(key, content);
            if (earlier == null) {
                earlier = contents.get(key);
            }
            if (earlier != null && earlier != content) {
                conflicting.add(event.getEventId());
            }
        }
        return conflicting;
    }

    /** Records accepted events as the first copies. */
    synchronized void accepted(List<TrainingEvent> events) {
        for (TrainingEvent event : events) {
            contents.putIfAbsent(key(event), content(event));
        }
        var oldest = contents.entrySet().iterator();
        while (contents.size() > capacity) {
            oldest.next();
            oldest.remove();
        }
    }

    private static String key(TrainingEvent event) {
        return event.getAthleteId() + "|" + event.getEventId();
    }

    /**
     * What the sender said, not when we received it: the payload's Avro hash, so 40 and 40.0 kg are the same
     * content. Held only in memory, where a 32-bit hash is enough: a collision can only miss a 409.
     */
    private static int content(TrainingEvent event) {
        return event.getPayload().hashCode();
    }
}
