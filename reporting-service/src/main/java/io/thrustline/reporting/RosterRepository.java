package io.thrustline.reporting;

import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/** Which athletes each coach may see. */
public interface RosterRepository {

    @SqlQuery("select exists (select 1 from coach_athletes where coach_id = :coachId and athlete_id = :athleteId)")
    boolean coaches(@Bind("coachId") String coachId, @Bind("athleteId") String athleteId);

    @SqlQuery("select athlete_id from coach_athletes where coach_id = :coachId order by athlete_id")
    List<String> athletesOf(@Bind("coachId") String coachId);

    @SqlUpdate("delete from coach_athletes where coach_id = :coachId")
    void clear(@Bind("coachId") String coachId);

    @SqlUpdate("insert into coach_athletes (coach_id, athlete_id) values (:coachId, :athleteId) on conflict do nothing")
    void add(@Bind("coachId") String coachId, @Bind("athleteId") String athleteId);

    /** Replaces a coach's whole roster in one transaction. */
    @Transaction
    default void replace(String coachId, List<String> athleteIds) {
        clear(coachId);
        athleteIds.forEach(athlete -> add(coachId, athlete));
    }
}
