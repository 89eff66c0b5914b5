package io.thrustline.streams.load;

import io.thrustline.streams.rules.Side;
import io.thrustline.streams.state.StateReader;
import io.thrustline.streams.state.StateWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * An athlete's newest sets of one exercise, under the key {@code athlete|exercise}: what the per-set rules judge a
 * set against. Ordered by side, then performedAt, then event id; at most the configured number per side. Both sides
 * share one record so they share the list of session ids (one record per side cost 200 bytes per athlete more).
 */
public record LoadHistory(List<Entry> entries) {

    static final int LAYOUT = 1;
    static final LoadHistory EMPTY = new LoadHistory(List.of());
    private static final Side[] SIDES = Side.values();

    /**
     * One set.
     *
     * @param controlledReps null when control is unknown
     * @param flags          bit i set while the set carries a finding of the i-th per-set rule
     */
    public record Entry(Side side, String eventId, String sessionId, long performedAt, double loadKg, int reps, Integer controlledReps,
            int flags) {

        boolean flagged(int rule) {
            return (flags & (1 << rule)) != 0;
        }

        Entry withFlag(int rule, boolean on) {
            return new Entry(side, eventId, sessionId, performedAt, loadKg, reps, controlledReps, on ? flags | (1 << rule) : flags & ~(1 << rule));
        }

        boolean comesBefore(Side otherSide, long otherPerformedAt, String otherEventId) {
            if (side != otherSide) {
                return side.ordinal() < otherSide.ordinal();
            }
            return performedAt < otherPerformedAt || (performedAt == otherPerformedAt && eventId.compareTo(otherEventId) < 0);
        }
    }

    public LoadHistory {
        entries = List.copyOf(entries);
    }

    /** Where a set belongs: usually at the end of its side, since sets mostly arrive in order. */
    int insertionPoint(Side side, long performedAt, String eventId) {
        int at = entries.size();
        while (at > 0 && !entries.get(at - 1).comesBefore(side, performedAt, eventId)) {
            at--;
        }
        return at;
    }

    /** How the record is stored: its compact layout, on RocksDB and on the changelog alike. */
    public static org.apache.kafka.common.serialization.Serde<LoadHistory> serde() {
        return io.thrustline.streams.state.StateSerde.of(LoadHistory::encode, LoadHistory::decode);
    }

    byte[] encode() {
        List<String> sessions = entries.stream().map(Entry::sessionId).distinct().toList();
        StateWriter out = StateWriter.of(LAYOUT).writeInt(sessions.size());
        sessions.forEach(out::writeString);
        out.writeInt(entries.size());
        long base = entries.isEmpty() ? 0 : entries.get(0).performedAt();
        if (!entries.isEmpty()) {
            out.writeLong(base);
        }
        for (Entry e : entries) {
            out.writeId(e.eventId()).writeInt(sessions.indexOf(e.sessionId()) * SIDES.length + e.side().ordinal()).writeTime(e.performedAt(), base)
                    .writeKg(e.loadKg()).writeInt(e.reps()).writeOptionalInt(e.controlledReps()).writeInt(e.flags());
        }
        return out.toBytes();
    }

    static LoadHistory decode(byte[] bytes) {
        StateReader in = StateReader.of(bytes, LAYOUT, LoadProgression.LOAD_HISTORY_STORE);
        var sessions = new String[in.readInt()];
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = in.readString();
        }
        int count = in.readInt();
        long base = count == 0 ? 0 : in.readLong();
        var entries = new ArrayList<Entry>(count);
        for (int i = 0; i < count; i++) {
            String eventId = in.readId();
            int sessionAndSide = in.readInt();
            entries.add(new Entry(SIDES[sessionAndSide % SIDES.length], eventId, sessions[sessionAndSide / SIDES.length], in.readTime(base),
                    in.readKg(), in.readInt(), in.readOptionalInt(), in.readInt()));
        }
        return new LoadHistory(entries);
    }
}
