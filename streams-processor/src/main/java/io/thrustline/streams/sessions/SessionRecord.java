package io.thrustline.streams.sessions;

import io.thrustline.streams.rules.LoggedSet;
import io.thrustline.streams.rules.SetType;
import io.thrustline.streams.rules.Side;
import io.thrustline.streams.state.StateReader;
import io.thrustline.streams.state.StateWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One session, as the session tracker keeps it under the key {@code athlete|session}: every accepted set with just
 * what the rules read, the newest completions, when it was last active and whether it is closed. One record per
 * session, so the many events of one session in one commit interval reach RocksDB and the changelog once.
 *
 * <p>Stored in a compact layout, never Avro. The record is written back on every event of its session, so each set
 * keeps the bytes it was written as and is never encoded again: the exercise codes form a list that only grows, and
 * times count from the session's first set. Re-encoding every set on every put was a sixth of the stream thread's
 * CPU in the rules benchmark (README, Performance).
 */
public final class SessionRecord {

    static final int LAYOUT = 2;
    private static final Side[] SIDES = Side.values();
    private static final SetType[] TYPES = SetType.values();

    /**
     * A set as the session keeps it.
     *
     * @param content        fingerprint of the whole payload ({@link SetContent}), to tell a retry from a different copy
     * @param controlledReps reps under control, resolved from the set's rep details when the gym did not count them; null when unknown
     */
    public record StoredSet(String eventId, int content, long performedAt, String exercise, Side side, int reps, double loadKg,
            Integer controlledReps, SetType setType) {}

    /** A SessionCompleted the session counted, kept to recognise its retries. */
    public record Completion(String eventId, long completedAt) {}

    private final long lastActivityAt;
    private final boolean closed;
    private final long firstSetAt;
    private final List<String> exercises;
    private final List<StoredSet> sets;
    private final List<byte[]> encodedSets;
    private final List<Completion> completions;

    private SessionRecord(long lastActivityAt, boolean closed, long firstSetAt, List<String> exercises, List<StoredSet> sets,
            List<byte[]> encodedSets, List<Completion> completions) {
        this.lastActivityAt = lastActivityAt;
        this.closed = closed;
        this.firstSetAt = firstSetAt;
        this.exercises = exercises;
        this.sets = sets;
        this.encodedSets = encodedSets;
        this.completions = completions;
    }

    static SessionRecord opened(long now) {
        return new SessionRecord(now, false, 0, List.of(), List.of(), List.of(), List.of());
    }

    /** A record as another release or a test would build it: everything encoded afresh. */
    public static SessionRecord of(long lastActivityAt, boolean closed, List<StoredSet> sets, List<Completion> completions) {
        SessionRecord record = new SessionRecord(lastActivityAt, closed, 0, List.of(), List.of(), List.of(), List.copyOf(completions));
        for (StoredSet set : sets) {
            record = record.withSet(set, lastActivityAt);
        }
        return new SessionRecord(lastActivityAt, closed, record.firstSetAt, record.exercises, record.sets, record.encodedSets,
                record.completions);
    }

    public long lastActivityAt() {
        return lastActivityAt;
    }

    public boolean closed() {
        return closed;
    }

    /** Sorted by event id, the order the balances are summed in, so the sums never depend on arrival. */
    public List<StoredSet> sets() {
        return Collections.unmodifiableList(sets);
    }

    /** Oldest first, at most {@link io.thrustline.streams.Retention#COMPLETIONS_PER_SESSION}. */
    public List<Completion> completions() {
        return Collections.unmodifiableList(completions);
    }

    /** The stored set with this event id, or null. */
    StoredSet set(String eventId) {
        int at = indexOf(eventId);
        return at >= 0 ? sets.get(at) : null;
    }

    private int indexOf(String eventId) {
        int low = 0;
        int high = sets.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = sets.get(mid).eventId().compareTo(eventId);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    Completion completion(String eventId) {
        for (Completion c : completions) {
            if (c.eventId().equals(eventId)) {
                return c;
            }
        }
        return null;
    }

    SessionExtent extent() {
        if (sets.isEmpty()) {
            return SessionExtent.EMPTY;
        }
        long earliest = Long.MAX_VALUE;
        long latest = Long.MIN_VALUE;
        for (StoredSet s : sets) {
            earliest = Math.min(earliest, s.performedAt());
            latest = Math.max(latest, s.performedAt());
        }
        return new SessionExtent(Instant.ofEpochMilli(earliest), Instant.ofEpochMilli(latest), sets.size());
    }

    /** With one more set (a new event id); a late set re-opens a closed session until it closes again. */
    SessionRecord withSet(StoredSet set, long now) {
        long first = sets.isEmpty() ? set.performedAt() : firstSetAt;
        List<String> codes = exercises;
        int exercise = codes.indexOf(set.exercise());
        if (exercise < 0) {
            codes = new ArrayList<>(exercises);
            codes.add(set.exercise());
            exercise = codes.size() - 1;
        }
        byte[] encoded = StateWriter.part().writeId(set.eventId()).writeFixedInt(set.content()).writeTime(set.performedAt(), first)
                .writeInt((exercise * SIDES.length + set.side().ordinal()) * TYPES.length + set.setType().ordinal()).writeInt(set.reps())
                .writeKg(set.loadKg())
                .writeOptionalInt(set.controlledReps()).toBytes();
        int at = -indexOf(set.eventId()) - 1;
        var moreSets = new ArrayList<StoredSet>(sets.size() + 1);
        moreSets.addAll(sets);
        moreSets.add(at, set);
        var moreEncoded = new ArrayList<byte[]>(sets.size() + 1);
        moreEncoded.addAll(encodedSets);
        moreEncoded.add(at, encoded);
        return new SessionRecord(now, false, first, codes, moreSets, moreEncoded, completions);
    }

    SessionRecord withCompletion(Completion completion, long now, int keep) {
        var newest = new ArrayList<Completion>(completions);
        newest.add(completion);
        return new SessionRecord(now, closed, firstSetAt, exercises, sets, encodedSets,
                List.copyOf(newest.subList(Math.max(0, newest.size() - keep), newest.size())));
    }

    SessionRecord closedNow() {
        return new SessionRecord(lastActivityAt, true, firstSetAt, exercises, sets, encodedSets, completions);
    }

    /** The sets as the rules see them. */
    List<LoggedSet> loggedSets(String athleteId, String sessionId) {
        var logged = new ArrayList<LoggedSet>(sets.size());
        for (StoredSet s : sets) {
            logged.add(new LoggedSet(s.eventId(), athleteId, sessionId, Instant.ofEpochMilli(s.performedAt()), s.exercise(), s.side(),
                    s.reps(), s.loadKg(), s.controlledReps(), null, s.setType()));
        }
        return logged;
    }

    // --- layout 2 (1 had no set types): lastActivity, closed, exercise codes, first set's time, sets, completions ------------------

    /** How the record is stored: its compact layout, on RocksDB and on the changelog alike. */
    public static org.apache.kafka.common.serialization.Serde<SessionRecord> serde() {
        return io.thrustline.streams.state.StateSerde.of(SessionRecord::encode, SessionRecord::decode);
    }

    byte[] encode() {
        StateWriter out = StateWriter.of(LAYOUT).writeLong(lastActivityAt).writeByte(closed ? 1 : 0).writeInt(exercises.size());
        exercises.forEach(out::writeString);
        out.writeInt(sets.size());
        if (!sets.isEmpty()) {
            out.writeLong(firstSetAt);
        }
        encodedSets.forEach(out::writeRaw);
        out.writeInt(completions.size());
        for (Completion c : completions) {
            out.writeId(c.eventId()).writeLong(c.completedAt());
        }
        return out.toBytes();
    }

    static SessionRecord decode(byte[] bytes) {
        StateReader in = StateReader.of(bytes, LAYOUT, SessionTracker.SESSIONS_STORE);
        long lastActivityAt = in.readLong();
        boolean closed = in.readByte() == 1;
        var exercises = new ArrayList<String>();
        for (int i = in.readInt(); i > 0; i--) {
            exercises.add(in.readString());
        }
        int count = in.readInt();
        long first = count == 0 ? 0 : in.readLong();
        var sets = new ArrayList<StoredSet>(count);
        var encoded = new ArrayList<byte[]>(count);
        for (int i = 0; i < count; i++) {
            int from = in.position();
            String eventId = in.readId();
            int content = in.readFixedInt();
            long performedAt = in.readTime(first);
            int packed = in.readInt();
            SetType type = TYPES[packed % TYPES.length];
            int exerciseAndSide = packed / TYPES.length;
            sets.add(new StoredSet(eventId, content, performedAt, exercises.get(exerciseAndSide / SIDES.length), SIDES[exerciseAndSide % SIDES.length],
                    in.readInt(), in.readKg(), in.readOptionalInt(), type));
            encoded.add(in.rawSince(from));
        }
        int completionCount = in.readInt();
        var completions = new ArrayList<Completion>(completionCount);
        for (int i = 0; i < completionCount; i++) {
            completions.add(new Completion(in.readId(), in.readLong()));
        }
        return new SessionRecord(lastActivityAt, closed, first, exercises, sets, encoded, completions);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionRecord r && r.lastActivityAt == lastActivityAt && r.closed == closed && r.sets.equals(sets)
                && r.completions.equals(completions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastActivityAt, closed, sets, completions);
    }

    @Override
    public String toString() {
        return "SessionRecord[lastActivityAt=" + lastActivityAt + ", closed=" + closed + ", sets=" + sets + ", completions=" + completions + "]";
    }
}
