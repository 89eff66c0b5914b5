package io.thrustline.streams.sessions;

import io.thrustline.streams.rules.LoggedSet;
import io.thrustline.streams.rules.Side;
import io.thrustline.streams.state.StateReader;
import io.thrustline.streams.state.StateWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One session, as the session tracker keeps it under the key {@code athlete|session}: every accepted set with
 * just what the session rules read, the newest completions, when it was last active and whether it is closed.
 * One record per session, so the many events of one session in one commit interval reach RocksDB and the
 * changelog once. Values are written in the compact layout below, never Avro.
 *
 * @param sets        sorted by event id, the order the balances are summed in, so the sums never depend on arrival
 * @param completions oldest first, at most {@link io.thrustline.streams.Retention#COMPLETIONS_PER_SESSION}
 */
public record SessionRecord(long lastActivityAt, boolean closed, List<StoredSet> sets, List<Completion> completions) {

    static final int LAYOUT = 1;

    /**
     * A set as the session keeps it.
     *
     * @param content        fingerprint of the whole payload ({@link SetContent}), to tell a retry from a different copy
     * @param controlledReps reps under control, resolved from the set's rep details when the gym did not count them; null when unknown
     */
    public record StoredSet(String eventId, int content, long performedAt, String exercise, Side side, int reps, double loadKg,
            Integer controlledReps) {}

    /** A SessionCompleted the session counted, kept to recognise its retries. */
    public record Completion(String eventId, long completedAt) {}

    public SessionRecord {
        sets = List.copyOf(sets);
        completions = List.copyOf(completions);
    }

    static SessionRecord opened(long now) {
        return new SessionRecord(now, false, List.of(), List.of());
    }

    /** The stored set with this event id, or null. */
    StoredSet set(String eventId) {
        int at = Collections.binarySearch(sets, null, (s, ignored) -> s.eventId().compareTo(eventId));
        return at >= 0 ? sets.get(at) : null;
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

    /** With one more set; a late set re-opens a closed session until it closes again. */
    SessionRecord withSet(StoredSet set, long now) {
        var more = new ArrayList<StoredSet>(sets.size() + 1);
        more.addAll(sets);
        int at = Collections.binarySearch(sets, null, (s, ignored) -> s.eventId().compareTo(set.eventId()));
        more.add(at >= 0 ? at : -at - 1, set);
        return new SessionRecord(now, false, more, completions);
    }

    SessionRecord withCompletion(Completion completion, long now, int keep) {
        var newest = new ArrayList<Completion>(completions);
        newest.add(completion);
        return new SessionRecord(now, closed, sets, newest.subList(Math.max(0, newest.size() - keep), newest.size()));
    }

    SessionRecord closedNow() {
        return new SessionRecord(lastActivityAt, true, sets, completions);
    }

    /** The sets as the rules see them. */
    List<LoggedSet> loggedSets(String athleteId, String sessionId) {
        var logged = new ArrayList<LoggedSet>(sets.size());
        for (StoredSet s : sets) {
            logged.add(new LoggedSet(s.eventId(), athleteId, sessionId, Instant.ofEpochMilli(s.performedAt()), s.exercise(), s.side(),
                    s.reps(), s.loadKg(), s.controlledReps(), null));
        }
        return logged;
    }

    // --- layout 1: lastActivity, closed, exercise codes, sets (times relative to the first), completions ----------

    byte[] encode() {
        StateWriter out = StateWriter.of(LAYOUT).writeLong(lastActivityAt).writeByte(closed ? 1 : 0);
        List<String> exercises = sets.stream().map(StoredSet::exercise).distinct().toList();
        out.writeInt(exercises.size());
        exercises.forEach(out::writeString);
        out.writeInt(sets.size());
        long base = sets.isEmpty() ? 0 : sets.get(0).performedAt();
        if (!sets.isEmpty()) {
            out.writeLong(base);
        }
        for (StoredSet s : sets) {
            out.writeId(s.eventId()).writeFixedInt(s.content()).writeSignedLong(s.performedAt() - base)
                    .writeInt(exercises.indexOf(s.exercise())).writeByte(s.side().ordinal()).writeInt(s.reps()).writeKg(s.loadKg())
                    .writeOptionalInt(s.controlledReps());
        }
        out.writeInt(completions.size());
        for (Completion c : completions) {
            out.writeId(c.eventId()).writeLong(c.completedAt());
        }
        return out.toBytes();
    }

    static SessionRecord decode(byte[] bytes) {
        StateReader in = StateReader.of(bytes, LAYOUT, "sessions");
        long lastActivityAt = in.readLong();
        boolean closed = in.readByte() == 1;
        var exercises = new String[in.readInt()];
        for (int i = 0; i < exercises.length; i++) {
            exercises[i] = in.readString();
        }
        int count = in.readInt();
        long base = count == 0 ? 0 : in.readLong();
        var sets = new ArrayList<StoredSet>(count);
        Side[] sides = Side.values();
        for (int i = 0; i < count; i++) {
            sets.add(new StoredSet(in.readId(), in.readFixedInt(), base + in.readSignedLong(), exercises[in.readInt()], sides[in.readByte()],
                    in.readInt(), in.readKg(), in.readOptionalInt()));
        }
        int completionCount = in.readInt();
        var completions = new ArrayList<Completion>(completionCount);
        for (int i = 0; i < completionCount; i++) {
            completions.add(new Completion(in.readId(), in.readLong()));
        }
        return new SessionRecord(lastActivityAt, closed, sets, completions);
    }
}
