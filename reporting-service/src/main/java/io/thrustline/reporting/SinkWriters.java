package io.thrustline.reporting;

import io.thrustline.schemas.Insight;
import io.thrustline.schemas.SessionBalance;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.TrainingEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * How each topic's batch lands in its tables. Insights and balances are re-emitted to replace what was
 * judged before, so within a batch the last record per key wins; a set is a fact that happened once, so its
 * first copy wins, in the batch as in the table.
 */
final class SinkWriters {

    private SinkWriters() {}

    /** Each rule book's insights are kept apart: the active book's are what coaches see (V8__rule_books.sql). */
    static void insights(Handle handle, List<Insight> batch) {
        var repository = handle.attach(InsightRepository.class);
        var books = new RuleBookAdmission(handle);
        var latest = latestBy(batch, i -> RuleBookRepository.stampedOn(i.getRuleBook()) + "|" + i.getInsightId());
        List<InsightRow> upserts = latest.values().stream().filter(i -> !i.getRetracted()).filter(books::admits).map(InsightRow::of).toList();
        if (!upserts.isEmpty()) {
            repository.upsert(upserts);
        }
        latest.values().stream().filter(Insight::getRetracted).filter(books::admits)
                .collect(Collectors.groupingBy(i -> RuleBookRepository.stampedOn(i.getRuleBook()),
                        Collectors.mapping(Insight::getInsightId, Collectors.toList())))
                .forEach(repository::retract);
    }

    private static final String SET_COLUMNS = "event_id, athlete_id, session_id, performed_at, exercise, side, reps, load_kg, "
            + "controlled_reps, rpe, notes, source, received_at, set_type";

    /**
     * Sets are the bulk of the traffic: COPY the batch into a staging table, then one insert that keeps the
     * first copy of each event. Same effect as a batched upsert, a fraction of the statements. Event ids are
     * chosen by the integrations, so an event is named by its athlete (qualified by integration) and its id.
     */
    static void sets(Handle handle, List<TrainingEvent> batch) {
        List<SetRow> rows = firstBy(batch, e -> List.of(e.getAthleteId(), e.getEventId())).values().stream()
                .filter(e -> e.getPayload() instanceof SetLogged)
                .map(e -> SetRow.of(e, (SetLogged) e.getPayload()))
                .toList();
        if (rows.isEmpty()) {
            return;
        }
        var csv = new StringBuilder(rows.size() * 200);
        for (SetRow r : rows) {
            for (Object value : new Object[] {r.eventId(), r.athleteId(), r.sessionId(), r.performedAt(), r.exercise(), r.side(), r.reps(),
                    r.loadKg(), r.controlledReps(), r.rpe(), r.notes(), r.source(), r.receivedAt(), r.setType()}) {
                PgCopy.field(csv, value).append(',');
            }
            csv.setCharAt(csv.length() - 1, '\n');
        }
        handle.execute("create temp table if not exists sets_stage (like sets including defaults) on commit delete rows");
        PgCopy.copyIn(handle, "copy sets_stage (" + SET_COLUMNS + ") from stdin with (format csv)", csv);
        handle.execute("insert into sets (" + SET_COLUMNS + ") select " + SET_COLUMNS + " from sets_stage on conflict (athlete_id, event_id) do nothing");
    }

    static void balances(Handle handle, List<SessionBalance> batch) {
        var books = new RuleBookAdmission(handle);
        List<BalanceRow> rows = latestBy(batch.stream().map(BalanceRow::of).toList(), BalanceRow::key).values().stream()
                .filter(row -> books.admits(row.ruleBook())).toList();
        if (!rows.isEmpty()) {
            handle.attach(BalanceRepository.class).upsert(rows);
        }
    }

    private static <K, T> Map<K, T> firstBy(List<T> batch, Function<T, K> key) {
        var first = new LinkedHashMap<K, T>();
        for (T value : batch) {
            first.putIfAbsent(key.apply(value), value);
        }
        return first;
    }

    private static <T> Map<String, T> latestBy(List<T> batch, Function<T, String> key) {
        var latest = new LinkedHashMap<String, T>();
        for (T value : batch) {
            latest.remove(key.apply(value)); // keep arrival order of the last copies
            latest.put(key.apply(value), value);
        }
        return latest;
    }
}
