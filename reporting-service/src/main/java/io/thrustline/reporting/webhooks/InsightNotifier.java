package io.thrustline.reporting.webhooks;

import io.thrustline.reporting.RuleBookAdmission;
import io.thrustline.schemas.Insight;
import io.thrustline.schemas.Severity;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Turns the insights topic into webhook deliveries. Runs as its own sink (own consumer group) inside the caller's
 * transaction, so the deliveries are queued exactly when the offsets move: a replayed batch finds every version
 * already announced and queues nothing twice. Sending is the dispatcher's job, never this thread's, so a slow
 * receiver cannot hold up the topic.
 */
public final class InsightNotifier {

    private InsightNotifier() {}

    public static void enqueue(Handle handle, List<Insight> batch) {
        var repository = handle.attach(WebhookRepository.class);
        var books = new RuleBookAdmission(handle);
        var latest = new LinkedHashMap<String, Insight>(); // only the last copy of each insight in a batch is news
        for (Insight insight : batch) {
            if (!books.isActive(insight.getRuleBook())) {
                continue; // a book being built is announced when it becomes active (RuleBookSwitch), a retired one never
            }
            latest.remove(insight.getInsightId());
            latest.put(insight.getInsightId(), insight);
        }
        Instant now = Instant.now();
        for (Insight insight : latest.values()) {
            byte[] hash = InsightAnnouncement.contentHash(insight);
            var before = repository.announced(insight.getInsightId());
            if (before.isPresent() && Arrays.equals(before.get().contentHash(), hash)) {
                continue;
            }
            int version = before.map(b -> b.version() + 1).orElse(1);
            repository.announce(insight.getInsightId(), version, hash, insight.getSeverity().name());
            if (before.isEmpty() && insight.getRetracted()) {
                continue; // withdrawn before anyone heard of it
            }
            Severity previous = before.map(b -> Severity.valueOf(b.severity())).orElse(null);
            List<String> minimums = Arrays.stream(Severity.values())
                    .filter(minimum -> InsightAnnouncement.reaches(minimum, insight.getSeverity(), previous)).map(Enum::name).toList();
            repository.enqueue(InsightAnnouncement.messageId(insight.getInsightId(), version), insight.getInsightId(),
                    InsightAnnouncement.eventType(insight), InsightAnnouncement.payload(insight, version, now), insight.getAthleteId(), minimums);
        }
    }
}
