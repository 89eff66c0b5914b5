package io.thrustline.streams.judging;

import io.thrustline.streams.rules.Finding;
import io.thrustline.schemas.RuleName;
import io.thrustline.streams.rules.Severity;
import io.thrustline.streams.rules.Side;
import io.thrustline.streams.state.StateReader;
import io.thrustline.streams.state.StateWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the last close of a session raised, under the key {@code athlete|session}: just enough of each finding to
 * withdraw it (its identity), not its words, so a later close can withdraw what no longer applies.
 */
public record SessionVerdict(List<Raised> raised) {

    static final int LAYOUT = 1;

    /** The identity of one raised finding: what its insight id is made of, plus what the withdrawal record carries. */
    public record Raised(RuleName rule, Severity severity, String exercise, Side side, Instant detectedAt, String triggerEventId) {

        static Raised of(Finding f) {
            return new Raised(f.rule(), f.severity(), f.exercise(), f.side(), f.detectedAt(), f.triggerEventId());
        }

        Finding withdrawn(String athleteId, String sessionId) {
            return new Finding(rule, severity, athleteId, sessionId, exercise, side, detectedAt, Map.of(),
                    "Withdrawn: the session was judged again after more of it arrived, and this no longer applies.", "", triggerEventId);
        }
    }

    public SessionVerdict {
        raised = List.copyOf(raised);
    }

    /** How the record is stored: its compact layout, on RocksDB and on the changelog alike. */
    public static org.apache.kafka.common.serialization.Serde<SessionVerdict> serde() {
        return io.thrustline.streams.state.StateSerde.of(SessionVerdict::encode, SessionVerdict::decode);
    }

    byte[] encode() {
        StateWriter out = StateWriter.of(LAYOUT).writeInt(raised.size());
        for (Raised r : raised) {
            out.writeByte(r.rule().ordinal()).writeByte(r.severity().ordinal()).writeOptionalString(r.exercise())
                    .writeByte(r.side() == null ? 0 : r.side().ordinal() + 1).writeLong(r.detectedAt().toEpochMilli());
            if (r.triggerEventId() == null) {
                out.writeByte(0);
            } else {
                out.writeByte(1).writeId(r.triggerEventId());
            }
        }
        return out.toBytes();
    }

    static SessionVerdict decode(byte[] bytes) {
        StateReader in = StateReader.of(bytes, LAYOUT, SessionJudge.VERDICTS_STORE);
        int count = in.readInt();
        var raised = new ArrayList<Raised>(count);
        for (int i = 0; i < count; i++) {
            RuleName rule = RuleName.values()[in.readByte()];
            Severity severity = Severity.values()[in.readByte()];
            String exercise = in.readOptionalString();
            int side = in.readByte();
            Instant detectedAt = Instant.ofEpochMilli(in.readLong());
            String trigger = in.readByte() == 0 ? null : in.readId();
            raised.add(new Raised(rule, severity, exercise, side == 0 ? null : Side.values()[side - 1], detectedAt, trigger));
        }
        return new SessionVerdict(raised);
    }
}
