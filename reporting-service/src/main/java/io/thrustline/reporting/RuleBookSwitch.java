package io.thrustline.reporting;

import com.fasterxml.jackson.core.type.TypeReference;
import io.thrustline.http.Json;
import io.thrustline.reporting.webhooks.InsightNotifier;
import io.thrustline.schemas.Insight;
import io.thrustline.schemas.Severity;
import io.thrustline.schemas.Side;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Makes a fully derived rule book the one coaches and exports see, in one transaction: before it commits every
 * reader sees the old book's results, after it the new book's, never neither or both.
 *
 * <p>Within the transaction: insights the old book raised and the new one does not are carried over as withdrawn
 * (so a research pull and the webhooks hear of the withdrawal), a coach's acknowledgement carries over to the same
 * insight at the same severity, balances of sessions the new book could not derive are kept, every row of the new
 * book is marked changed (so {@code changedSince} pulls get the re-derived rows), every other book's rows are deleted
 * and the books retired, and the webhooks are told what changed for them.
 */
public final class RuleBookSwitch {

    /** What a switch did, for the operator. */
    /** @param switchedAt when the switching transaction began (the database's clock); null when nothing was switched */
    public record Outcome(int from, int to, int insights, int balances, int withdrawnByTheNewBook, int acknowledgementsKept,
                          java.time.Instant switchedAt) {}

    private static final String COLUMNS = "insight_id, athlete_id, session_id, rule, severity, exercise, side, detected_at, metrics, "
            + "message, advice, trigger_event_id, stored_at";
    private static final String BALANCE_COLUMNS = "athlete_id, session_id, exercise, session_date, left_volume, right_volume, left_reps, "
            + "right_reps, asymmetry_pct, weaker_side, loaded, insufficient_data, updated_at";
    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};
    /** Insights announced per statement batch at the switch; the held copies are streamed, never all in memory. */
    private static final int CHUNK = 500;

    private RuleBookSwitch() {}

    public static Outcome activate(Jdbi jdbi, int version) {
        return jdbi.inTransaction(handle -> activate(handle, version));
    }

    static Outcome activate(Handle handle, int version) {
        handle.execute("lock table rule_books in exclusive mode"); // one switch at a time; sinks and acknowledgements wait
        var books = handle.attach(RuleBookRepository.class);
        String state = books.state(version).orElseThrow(() -> new IllegalArgumentException(
                "rule book " + version + " has not reached reporting yet: nothing judged by it has been stored"));
        int old = books.active().orElseThrow(() -> new IllegalStateException("no rule book is active"));
        if (RuleBookRepository.ACTIVE.equals(state)) {
            return new Outcome(old, version, 0, 0, 0, 0, null);
        }
        if (!RuleBookRepository.BUILDING.equals(state)) {
            throw new IllegalArgumentException("rule book " + version + " is " + state + "; only a book being built can become active");
        }
        int withdrawn = handle.createUpdate("insert into insights (" + COLUMNS + ", rule_book, retracted_at) select " + COLUMNS
                        + ", :to, coalesce(o.retracted_at, now()) from insights o where o.rule_book = :from and not exists"
                        + " (select 1 from insights n where n.rule_book = :to and n.insight_id = o.insight_id)")
                .bind("from", old).bind("to", version).execute();
        // A balance is what the sets weighed, whatever the thresholds: one the new book did not derive (its events are
        // past the topic's retention) is kept, so coaches' charts keep their history.
        handle.createUpdate("insert into session_balances (" + BALANCE_COLUMNS + ", rule_book) select " + BALANCE_COLUMNS
                        + ", :to from session_balances o where o.rule_book = :from and not exists (select 1 from session_balances n"
                        + " where n.rule_book = :to and n.athlete_id = o.athlete_id and n.session_id = o.session_id and n.exercise = o.exercise)")
                .bind("from", old).bind("to", version).execute();
        int acknowledged = handle.createUpdate("""
                        update insights n set acknowledged_at = o.acknowledged_at, acknowledged_by = o.acknowledged_by, ack_comment = o.ack_comment
                          from insights o
                         where n.rule_book = :to and o.rule_book = :from and o.insight_id = n.insight_id and o.acknowledged_at is not null
                           and n.severity = o.severity and n.retracted_at is null
                        """).bind("from", old).bind("to", version).execute();
        int insights = handle.createUpdate("update insights set changed_xid = pg_current_xact_id() where rule_book = :to")
                .bind("to", version).execute();
        int balances = handle.createUpdate("update session_balances set changed_xid = pg_current_xact_id() where rule_book = :to")
                .bind("to", version).execute();
        // Every other book goes: the one coaches saw, and any left building by a reprocess that never finished.
        handle.createUpdate("delete from insights where rule_book <> :to").bind("to", version).execute();
        handle.createUpdate("delete from session_balances where rule_book <> :to").bind("to", version).execute();
        handle.createUpdate("update rule_books set state = 'retired' where version <> :to").bind("to", version).execute();
        handle.createUpdate("update rule_books set state = 'active', activated_at = now() where version = :to").bind("to", version).execute();
        announceChanges(handle, version);
        java.time.Instant switchedAt = handle.createQuery("select now()").mapTo(java.time.Instant.class).one();
        return new Outcome(old, version, insights, balances, withdrawn, acknowledged, switchedAt);
    }

    /**
     * Receivers hear of what the new book changed: the notifier's latest copy of each of its insights, and the
     * withdrawals of what it no longer raises. What it left as it was is the same version and stays quiet.
     */
    private static void announceChanges(Handle handle, int version) {
        var chunk = new java.util.ArrayList<Insight>();
        try (var held = handle.createQuery("select insight from held_announcements where rule_book = :to order by insight_id")
                .bind("to", version).setFetchSize(CHUNK).map((rs, ctx) -> InsightNotifier.insight(rs.getBytes(1))).stream()) {
            held.forEach(insight -> {
                chunk.add(insight);
                if (chunk.size() == CHUNK) {
                    InsightNotifier.announce(handle, chunk);
                    chunk.clear();
                }
            });
        }
        InsightNotifier.announce(handle, chunk);
        InsightNotifier.announce(handle, withdrawnInsights(handle, version));
        handle.execute("delete from held_announcements");
    }

    /** The withdrawn insights of a book, as the withdrawals they are. */
    private static List<Insight> withdrawnInsights(Handle handle, int version) {
        return handle.createQuery("select *, true as retracted from insights where rule_book = :to and retracted_at is not null order by detected_at")
                .bind("to", version)
                .map((rs, ctx) -> {
                    try {
                        return Insight.newBuilder().setInsightId(rs.getString("insight_id")).setAthleteId(rs.getString("athlete_id"))
                                .setSessionId(rs.getString("session_id")).setRule(rs.getString("rule"))
                                .setSeverity(Severity.valueOf(rs.getString("severity"))).setExercise(rs.getString("exercise"))
                                .setSide(rs.getString("side") == null ? null : Side.valueOf(rs.getString("side")))
                                .setDetectedAt(rs.getTimestamp("detected_at").toInstant())
                                .setMetrics(Json.MAPPER.readValue(rs.getString("metrics"), METRICS)).setMessage(rs.getString("message"))
                                .setAdvice(rs.getString("advice")).setTriggerEventId(rs.getString("trigger_event_id"))
                                .setRetracted(rs.getBoolean("retracted")).setRuleBook(version).build();
                    } catch (IOException e) {
                        throw new SQLException("metrics of insight " + rs.getString("insight_id") + " are not JSON", e);
                    }
                }).list();
    }
}
