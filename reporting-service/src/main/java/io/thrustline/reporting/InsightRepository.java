package io.thrustline.reporting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Insights in PostgreSQL: idempotent upserts keyed by insightId, and the coach's filtered, newest-first feed. */
public interface InsightRepository {

    /** The longest note a coach may leave with an acknowledgement. */
    int MAX_ACK_COMMENT = 500;

    /** A current (not withdrawn) insight. */
    @SqlQuery("select * from insights where insight_id = cast(:insightId as uuid) and retracted_at is null and rule_book = active_rule_book()")
    @RegisterRowMapper(Mapper.class)
    java.util.Optional<StoredInsight> byId(@Bind("insightId") String insightId);

    /** The first acknowledgement's time stays; acknowledging again replaces who and the note. */
    @SqlUpdate("""
            update insights set acknowledged_at = coalesce(acknowledged_at, now()), acknowledged_by = :by, ack_comment = :comment
             where insight_id = cast(:insightId as uuid) and retracted_at is null and rule_book = active_rule_book()
            """)
    void acknowledge(@Bind("insightId") String insightId, @Bind("by") String by, @Bind("comment") String comment);

    @SqlUpdate("""
            update insights set acknowledged_at = null, acknowledged_by = null, ack_comment = null
             where insight_id = cast(:insightId as uuid) and retracted_at is null and rule_book = active_rule_book()
            """)
    void reopen(@Bind("insightId") String insightId);

    @SqlBatch("""
            insert into insights (insight_id, athlete_id, session_id, rule, severity, exercise, side, detected_at,
                                  metrics, message, advice, trigger_event_id, rule_book)
            values (cast(:insightId as uuid), :athleteId, :sessionId, :rule, :severity, :exercise, :side, :detectedAt,
                    cast(:metricsJson as jsonb), :message, :advice, :triggerEventId, :ruleBook)
            on conflict (rule_book, insight_id) do update set
                severity = excluded.severity, exercise = excluded.exercise, side = excluded.side,
                detected_at = excluded.detected_at, metrics = excluded.metrics, message = excluded.message,
                advice = excluded.advice, trigger_event_id = excluded.trigger_event_id, stored_at = now(),
                retracted_at = null, changed_xid = pg_current_xact_id(),
                -- an acknowledgement holds while the coach would read the same thing; a change of severity or a
                -- re-raise after a withdrawal is news, so the insight is open again
                acknowledged_at = case when insights.retracted_at is null and insights.severity = excluded.severity
                                       then insights.acknowledged_at end,
                acknowledged_by = case when insights.retracted_at is null and insights.severity = excluded.severity
                                       then insights.acknowledged_by end,
                ack_comment = case when insights.retracted_at is null and insights.severity = excluded.severity
                                   then insights.ack_comment end
            """)
    void upsert(@BindMethods List<InsightRow> rows);

    /**
     * Withdrawn insights: a later judgement of their session no longer raises them. They leave the coach's feed and
     * counts, but stay, marked, so a research pull sees the withdrawal.
     */
    @SqlBatch("""
            update insights set retracted_at = now(), changed_xid = pg_current_xact_id()
             where rule_book = :ruleBook and insight_id = cast(:insightId as uuid) and retracted_at is null
            """)
    void retract(@Bind("ruleBook") int ruleBook, @Bind("insightId") List<String> insightIds);

    /** Null filters match everything; {@code state} is open (not acknowledged) or acknowledged; {@code afterTime}/{@code afterId} is the keyset cursor of the previous page. */
    @SqlQuery("""
            select * from insights
             where athlete_id = :athleteId
               and retracted_at is null and rule_book = active_rule_book()
               and (cast(:from as timestamptz) is null or detected_at >= cast(:from as timestamptz))
               and (cast(:to as timestamptz) is null or detected_at < cast(:to as timestamptz))
               and (cast(:rule as text) is null or rule = cast(:rule as text))
               and (cast(:severity as text) is null or severity = cast(:severity as text))
               and (cast(:state as text) is null or (acknowledged_at is null) = (cast(:state as text) = 'open'))
               and (cast(:afterTime as timestamptz) is null
                    or (detected_at, insight_id) < (cast(:afterTime as timestamptz), cast(:afterId as uuid)))
             order by detected_at desc, insight_id desc
             limit :limit
            """)
    @RegisterRowMapper(Mapper.class)
    List<StoredInsight> find(@Bind("athleteId") String athleteId, @Bind("from") Instant from, @Bind("to") Instant to,
            @Bind("rule") String rule, @Bind("severity") String severity, @Bind("state") String state,
            @Bind("afterTime") Instant afterTime, @Bind("afterId") String afterId, @Bind("limit") int limit);

    final class Mapper implements RowMapper<StoredInsight> {
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};

        @Override
        public StoredInsight map(ResultSet rs, StatementContext ctx) throws SQLException {
            try {
                return new StoredInsight(
                        rs.getString("insight_id"), rs.getString("athlete_id"), rs.getString("session_id"),
                        rs.getString("rule"), rs.getString("severity"), rs.getString("exercise"), rs.getString("side"),
                        rs.getTimestamp("detected_at").toInstant(), JSON.readValue(rs.getString("metrics"), METRICS),
                        rs.getString("message"), rs.getString("advice"),
                        rs.getTimestamp("acknowledged_at") == null ? null : rs.getTimestamp("acknowledged_at").toInstant(),
                        rs.getString("acknowledged_by"), rs.getString("ack_comment"), rs.getInt("rule_book"));
            } catch (JsonProcessingException e) {
                throw new SQLException("metrics of insight " + rs.getString("insight_id") + " are not JSON", e);
            }
        }
    }
}
