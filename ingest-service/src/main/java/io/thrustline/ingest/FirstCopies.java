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

    /**
     * The events of one request, each as its key and its content hash, worked out once for both the conflict check
     * and the record of accepted copies: hashing a payload walks its whole Avro schema, and doing it twice was 9 % of
     * a batch request's CPU in a profile of {@code ./thrustline bench ingest}.
     */
    record Fingerprints(List<String> eventIds, String[] keys, int[] contents) {

        static Fingerprints of(List<TrainingEvent> events) {
            var ids = new ArrayList<String>(events.size());
            var keys = new String[events.size()];
            var contents = new int[events.size()];
            for (int i = 0; i < events.size(); i++) {
                TrainingEvent event = events.get(i);
                ids.add(event.getEventId());
                keys[i] = FirstCopies.key(event);
                contents[i] = FirstCopies.content(event);
            }
            return new Fingerprints(ids, keys, contents);
        }
    }

    /** The eventIds of the request that clash with an earlier copy (in this request or remembered). */
    synchronized List<String> conflicts(Fingerprints request) {
        var conflicting = new ArrayList<String>();
        Map<String, Integer> inRequest = HashMap.newHashMap(request.keys().length);
        for (int i = 0; i < request.keys().length; i++) {
            Integer earlier = inRequest.putIfAbsent(request.keys()[i], request.contents()[i]);
            if (earlier == null) {
                earlier = contents.get(request.keys()[i]);
            }
            if (earlier != null && earlier != request.contents()[i]) {
                conflicting.add(request.eventIds().get(i));
            }
        }
        return conflicting;
    }

    /** Records the request's events, now accepted, as the first copies. */
    synchronized void accepted(Fingerprints request) {
        for (int i = 0; i < request.keys().length; i++) {
            contents.putIfAbsent(request.keys()[i], request.contents()[i]);
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
