package io.thrustline.reporting;

import io.thrustline.schemas.Insight;
import io.thrustline.schemas.SessionBalance;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.TrainingEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/** How each topic's batch lands in its tables. Within a batch the last record per key wins. */
final class SinkWriters {

    private SinkWriters() {}

    static void insights(Handle handle, List<Insight> batch) {
        var repository = handle.attach(InsightRepository.class);
        var latest = latestBy(batch, Insight::getInsightId);
        List<InsightRow> upserts = latest.values().stream().filter(i -> !i.getRetracted()).map(InsightRow::of).toList();
        List<String> withdrawn = latest.values().stream().filter(Insight::getRetracted).map(Insight::getInsightId).toList();
        if (!upserts.isEmpty()) {
            repository.upsert(upserts);
        }
        if (!withdrawn.isEmpty()) {
            repository.delete(withdrawn);
        }
    }

    static void sets(Handle handle, List<TrainingEvent> batch) {
        List<SetRow> rows = latestBy(batch, TrainingEvent::getEventId).values().stream()
                .filter(e -> e.getPayload() instanceof SetLogged)
                .map(e -> SetRow.of(e, (SetLogged) e.getPayload()))
                .toList();
        if (!rows.isEmpty()) {
            handle.attach(SetRepository.class).insert(rows);
        }
    }

    static void balances(Handle handle, List<SessionBalance> batch) {
        List<BalanceRow> rows = List.copyOf(latestBy(batch.stream().map(BalanceRow::of).toList(), BalanceRow::key).values());
        if (!rows.isEmpty()) {
            handle.attach(BalanceRepository.class).upsert(rows);
        }
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
