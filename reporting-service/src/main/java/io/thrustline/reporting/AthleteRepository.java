package io.thrustline.reporting;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The athlete list: a coach's roster, or everyone seen, with the latest balance and open alerts. */
public interface AthleteRepository {

    /** @param coachId whose roster; null for everyone seen in sets, balances or insights (admins) */
    @SqlQuery("""
            select a.athlete_id, b.exercise as latest_exercise, b.session_date as latest_session_date,
                   b.asymmetry_pct as latest_asymmetry_pct, b.weaker_side as latest_weaker_side,
                   coalesce(b.left_reps = 0 or b.right_reps = 0, false) as latest_side_missing,
                   (select count(*) from insights i
                     where i.athlete_id = a.athlete_id and i.severity = 'ALERT' and i.detected_at >= :alertsSince
                       and i.retracted_at is null and i.acknowledged_at is null and i.rule_book = active_rule_book()) as open_alerts
              from (select athlete_id from coach_athletes where coach_id = cast(:coachId as text)
                    union select athlete_id from sets where cast(:coachId as text) is null
                    union select athlete_id from session_balances where cast(:coachId as text) is null and rule_book = active_rule_book()
                    union select athlete_id from insights where cast(:coachId as text) is null and retracted_at is null
                                                          and rule_book = active_rule_book()) a
              left join lateral (
                   select exercise, session_date, asymmetry_pct, weaker_side, left_reps, right_reps from session_balances sb
                    where sb.athlete_id = a.athlete_id and sb.rule_book = active_rule_book() order by session_date desc, session_id desc, exercise limit 1) b on true
             order by a.athlete_id
            """)
    @RegisterConstructorMapper(AthleteSummary.class)
    List<AthleteSummary> visibleTo(@Bind("coachId") String coachId, @Bind("alertsSince") Instant alertsSince);
}
