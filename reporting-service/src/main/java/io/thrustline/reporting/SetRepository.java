package io.thrustline.reporting;

import java.util.List;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;

/** Raw sets in PostgreSQL, keyed by the sender's eventId. */
public interface SetRepository {

    /** The first copy of an event wins; a repeat changes nothing. */
    @SqlBatch("""
            insert into sets (event_id, athlete_id, session_id, performed_at, exercise, side, reps, load_kg, controlled_reps,
                              rpe, notes, source, received_at)
            values (:eventId, :athleteId, :sessionId, :performedAt, :exercise, :side, :reps, :loadKg, :controlledReps,
                    :rpe, :notes, :source, :receivedAt)
            on conflict (event_id) do nothing
            """)
    void insert(@BindMethods List<SetRow> rows);
}
