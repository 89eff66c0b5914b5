package io.thrustline.reporting;

import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Session balances in PostgreSQL, one row per athlete, session and exercise. */
public interface BalanceRepository {

    @SqlBatch("""
            insert into session_balances (athlete_id, session_id, exercise, session_date, left_volume, right_volume,
                                          left_reps, right_reps, asymmetry_pct, weaker_side, loaded, insufficient_data, rule_book)
            values (:athleteId, :sessionId, :exercise, :sessionDate, :leftVolume, :rightVolume,
                    :leftReps, :rightReps, :asymmetryPct, :weakerSide, :loaded, :insufficientData, :ruleBook)
            on conflict (rule_book, athlete_id, session_id, exercise) do update set
                session_date = excluded.session_date, left_volume = excluded.left_volume, right_volume = excluded.right_volume,
                left_reps = excluded.left_reps, right_reps = excluded.right_reps, asymmetry_pct = excluded.asymmetry_pct,
                weaker_side = excluded.weaker_side, loaded = excluded.loaded, insufficient_data = excluded.insufficient_data,
                updated_at = now(), changed_xid = pg_current_xact_id()
            """)
    void upsert(@BindMethods List<BalanceRow> rows);

    /** One athlete's balances, oldest session first; null filters match everything. */
    @SqlQuery("""
            select athlete_id, session_id, exercise, session_date, left_volume, right_volume, left_reps, right_reps,
                   asymmetry_pct, weaker_side, loaded, insufficient_data, rule_book
              from session_balances
             where athlete_id = :athleteId and rule_book = active_rule_book()
               and (cast(:exercise as text) is null or exercise = cast(:exercise as text))
               and (cast(:from as date) is null or session_date >= cast(:from as date))
               and (cast(:to as date) is null or session_date < cast(:to as date))
             order by session_date, session_id, exercise
             limit :limit
            """)
    @RegisterConstructorMapper(BalanceRow.class)
    List<BalanceRow> find(@Bind("athleteId") String athleteId, @Bind("exercise") String exercise,
            @Bind("from") LocalDate from, @Bind("to") LocalDate to, @Bind("limit") int limit);
}
