package io.thrustline.streams.judging;

import io.thrustline.streams.rules.Balance;
import io.thrustline.streams.rules.PriorBalance;
import io.thrustline.streams.rules.Side;
import io.thrustline.streams.state.StateReader;
import io.thrustline.streams.state.StateWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An athlete's newest session balances for one exercise (both sides logged), under the key {@code athlete|exercise}:
 * what PERSISTENT_IMBALANCE compares a session with. Ordered by when the session started, then session id.
 */
public record BalanceHistory(List<PriorBalance> entries) {

    static final int LAYOUT = 1;
    static final BalanceHistory EMPTY = new BalanceHistory(List.of());
    private static final Comparator<PriorBalance> ORDER = Comparator.comparing(PriorBalance::startedAt).thenComparing(PriorBalance::sessionId);

    public BalanceHistory {
        entries = List.copyOf(entries);
    }

    /** Up to {@code count} sessions that started no later than {@code current}, other than it, newest first. */
    List<PriorBalance> before(Balance current, int count) {
        var self = new PriorBalance(current.sessionId(), current.startedAt(), current.asymmetryPct(), current.weakerSide());
        var earlier = new ArrayList<PriorBalance>(count);
        for (int i = entries.size() - 1; i >= 0 && earlier.size() < count; i--) {
            PriorBalance entry = entries.get(i);
            if (ORDER.compare(entry, self) <= 0 && !entry.sessionId().equals(current.sessionId())) {
                earlier.add(entry);
            }
        }
        return earlier;
    }

    /** With this session's balance added, or replacing its earlier one (its start may have moved with a late set); the newest {@code keep}. */
    BalanceHistory with(Balance balance, int keep) {
        var next = new ArrayList<PriorBalance>(entries.size() + 1);
        entries.stream().filter(e -> !e.sessionId().equals(balance.sessionId())).forEach(next::add);
        next.add(new PriorBalance(balance.sessionId(), balance.startedAt(), balance.asymmetryPct(), balance.weakerSide()));
        next.sort(ORDER);
        return new BalanceHistory(next.subList(Math.max(0, next.size() - keep), next.size()));
    }

    /** How the record is stored: its compact layout, on RocksDB and on the changelog alike. */
    public static org.apache.kafka.common.serialization.Serde<BalanceHistory> serde() {
        return io.thrustline.streams.state.StateSerde.of(BalanceHistory::encode, BalanceHistory::decode);
    }

    byte[] encode() {
        StateWriter out = StateWriter.of(LAYOUT).writeInt(entries.size());
        for (PriorBalance e : entries) {
            out.writeString(e.sessionId()).writeTime(e.startedAt().toEpochMilli(), 0).writeDecimal(e.asymmetryPct(), 10)
                    .writeByte(e.weakerSide() == null ? 0 : e.weakerSide().ordinal() + 1);
        }
        return out.toBytes();
    }

    static BalanceHistory decode(byte[] bytes) {
        StateReader in = StateReader.of(bytes, LAYOUT, SessionJudge.BALANCE_HISTORY_STORE);
        int count = in.readInt();
        var entries = new ArrayList<PriorBalance>(count);
        for (int i = 0; i < count; i++) {
            String sessionId = in.readString();
            Instant startedAt = Instant.ofEpochMilli(in.readTime(0));
            double pct = in.readDecimal(10);
            int side = in.readByte();
            entries.add(new PriorBalance(sessionId, startedAt, pct, side == 0 ? null : Side.values()[side - 1]));
        }
        return new BalanceHistory(entries);
    }
}
