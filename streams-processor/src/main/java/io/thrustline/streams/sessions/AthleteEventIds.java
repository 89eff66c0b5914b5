package io.thrustline.streams.sessions;

import io.thrustline.streams.state.StateReader;
import io.thrustline.streams.state.StateWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which of an athlete's sessions may hold an event id: a 16-bit fingerprint of each id per session, one record per
 * athlete. An event id names one event per athlete, whatever session a copy claims, so a copy that claims
 * another session must still find the first; looking up a 2-byte fingerprint here, then the real id in the session
 * it points to, costs one record per athlete instead of one key per event (the old index was a third of all state
 * writes). A fingerprint shared by two ids only costs a look into one more session.
 *
 * <p>At most {@link #MAX_SESSIONS} sessions are indexed (a month of twice-daily training is 60): past that, the oldest
 * session's ids leave the index, so a copy claiming another session than a very old first copy is no longer caught
 * here (the sets table in PostgreSQL still keeps the first copy). Each session's own record always catches its own
 * repeats.
 */
public record AthleteEventIds(List<Entry> sessions) {

    static final int LAYOUT = 1;
    public static final int MAX_SESSIONS = 100;

    /** One session's id fingerprints, in the order they were accepted. */
    public record Entry(String sessionId, int[] fingerprints) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Entry e && e.sessionId.equals(sessionId) && Arrays.equals(e.fingerprints, fingerprints);
        }

        @Override
        public int hashCode() {
            return sessionId.hashCode() * 31 + Arrays.hashCode(fingerprints);
        }

        @Override
        public String toString() {
            return sessionId + "=" + Arrays.toString(fingerprints);
        }
    }

    static final AthleteEventIds NONE = new AthleteEventIds(List.of());

    public AthleteEventIds {
        sessions = List.copyOf(sessions);
    }

    /**
     * 16 bits of the id's {@link String#hashCode()}, which the Java language specifies, so it is the same on every release
     * and machine. With a month of one athlete's ids (a few hundred) a new id matches one of them now and then, which
     * costs one look into that session: 2 bytes per id instead of 4 were worth 100 bytes of state per athlete.
     */
    public static int fingerprint(String eventId) {
        int h = eventId.hashCode();
        return (h ^ (h >>> 16)) & 0xFFFF;
    }

    /** Sessions other than {@code except} whose ids may include {@code eventId}. */
    List<String> sessionsThatMayHold(String eventId, String except) {
        int fp = fingerprint(eventId);
        var found = new ArrayList<String>(1);
        for (Entry e : sessions) {
            if (!e.sessionId().equals(except) && contains(e.fingerprints(), fp)) {
                found.add(e.sessionId());
            }
        }
        return found;
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    AthleteEventIds with(String sessionId, String eventId) {
        var next = new ArrayList<Entry>(sessions.size() + 1);
        boolean added = false;
        for (Entry e : sessions) {
            if (e.sessionId().equals(sessionId)) {
                int[] more = Arrays.copyOf(e.fingerprints(), e.fingerprints().length + 1);
                more[more.length - 1] = fingerprint(eventId);
                next.add(new Entry(sessionId, more));
                added = true;
            } else {
                next.add(e);
            }
        }
        if (!added) {
            next.add(new Entry(sessionId, new int[] {fingerprint(eventId)}));
            while (next.size() > MAX_SESSIONS) {
                next.remove(0);
            }
        }
        return new AthleteEventIds(next);
    }

    /** Without one occurrence of the id's fingerprint in the session. */
    AthleteEventIds without(String sessionId, String eventId) {
        int fp = fingerprint(eventId);
        var next = new ArrayList<Entry>(sessions.size());
        for (Entry e : sessions) {
            int at = e.sessionId().equals(sessionId) ? indexOf(e.fingerprints(), fp) : -1;
            if (at < 0) {
                next.add(e);
                continue;
            }
            int[] fewer = new int[e.fingerprints().length - 1];
            System.arraycopy(e.fingerprints(), 0, fewer, 0, at);
            System.arraycopy(e.fingerprints(), at + 1, fewer, at, fewer.length - at);
            if (fewer.length > 0) {
                next.add(new Entry(sessionId, fewer));
            }
        }
        return new AthleteEventIds(next);
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    AthleteEventIds withoutSession(String sessionId) {
        return new AthleteEventIds(sessions.stream().filter(e -> !e.sessionId().equals(sessionId)).toList());
    }

    boolean isEmpty() {
        return sessions.isEmpty();
    }

    /** How the record is stored: its compact layout, on RocksDB and on the changelog alike. */
    public static org.apache.kafka.common.serialization.Serde<AthleteEventIds> serde() {
        return io.thrustline.streams.state.StateSerde.of(AthleteEventIds::encode, AthleteEventIds::decode);
    }

    byte[] encode() {
        StateWriter out = StateWriter.of(LAYOUT).writeInt(sessions.size());
        for (Entry e : sessions) {
            out.writeString(e.sessionId()).writeInt(e.fingerprints().length);
            for (int fp : e.fingerprints()) {
                out.writeFixedShort(fp);
            }
        }
        return out.toBytes();
    }

    static AthleteEventIds decode(byte[] bytes) {
        StateReader in = StateReader.of(bytes, LAYOUT, "event-ids");
        int count = in.readInt();
        var sessions = new ArrayList<Entry>(count);
        for (int i = 0; i < count; i++) {
            String sessionId = in.readString();
            int[] fps = new int[in.readInt()];
            for (int j = 0; j < fps.length; j++) {
                fps[j] = in.readFixedShort();
            }
            sessions.add(new Entry(sessionId, fps));
        }
        return new AthleteEventIds(sessions);
    }
}
