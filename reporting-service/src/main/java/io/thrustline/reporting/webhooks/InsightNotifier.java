package io.thrustline.reporting.webhooks;

import io.thrustline.reporting.RuleBookAdmission;
import io.thrustline.reporting.RuleBookRepository;
import io.thrustline.schemas.Insight;
import io.thrustline.schemas.Severity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
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

    /** How many insights' last versions are read in one statement. */
    private static final int CHUNK = 500;

    /**
     * Announces the active rule book's insights; holds a book being built until it becomes active (its switch
     * announces what it changed); drops a retired book's.
     */
    public static void enqueue(Handle handle, List<Insight> batch) {
        var repository = handle.attach(WebhookRepository.class);
        var books = new RuleBookAdmission(handle);
        var active = new ArrayList<Insight>();
        for (Insight insight : batch) {
            if (books.isActive(insight.getRuleBook())) {
                active.add(insight);
            } else if (books.isBuilding(insight.getRuleBook())) {
                repository.hold(RuleBookRepository.stampedOn(insight.getRuleBook()), insight.getInsightId(), bytes(insight));
            }
        }
        announce(handle, active);
    }

    /**
     * Queues a delivery of each insight whose content differs from the version last announced, for every receiver
     * that should hear of it. Only the last copy of each insight in {@code insights} is news.
     */
    public static void announce(Handle handle, List<Insight> insights) {
        var repository = handle.attach(WebhookRepository.class);
        var latest = new LinkedHashMap<String, Insight>();
        for (Insight insight : insights) {
            latest.remove(insight.getInsightId());
            latest.put(insight.getInsightId(), insight);
        }
        var pending = new ArrayList<>(latest.values());
        Instant now = Instant.now();
        for (int from = 0; from < pending.size(); from += CHUNK) {
            List<Insight> chunk = pending.subList(from, Math.min(pending.size(), from + CHUNK));
            Map<String, WebhookRepository.Announced> before = new HashMap<>();
            repository.announced(chunk.stream().map(i -> UUID.fromString(i.getInsightId())).toList())
                    .forEach(a -> before.put(a.insightId(), a));
            for (Insight insight : chunk) {
                announceOne(repository, insight, before.get(UUID.fromString(insight.getInsightId()).toString()), now);
            }
        }
    }

    private static void announceOne(WebhookRepository repository, Insight insight, WebhookRepository.Announced before, Instant now) {
        byte[] hash = InsightAnnouncement.contentHash(insight);
        if (before != null && Arrays.equals(before.contentHash(), hash)) {
            return;
        }
        int version = before == null ? 1 : before.version() + 1;
        repository.announce(insight.getInsightId(), version, hash, insight.getSeverity().name());
        if (before == null && insight.getRetracted()) {
            return; // withdrawn before anyone heard of it
        }
        Severity previous = before == null ? null : Severity.valueOf(before.severity());
        List<String> minimums = Arrays.stream(Severity.values())
                .filter(minimum -> InsightAnnouncement.reaches(minimum, insight.getSeverity(), previous)).map(Enum::name).toList();
        repository.enqueue(InsightAnnouncement.messageId(insight.getInsightId(), version), insight.getInsightId(),
                InsightAnnouncement.eventType(insight), InsightAnnouncement.payload(insight, version, now), insight.getAthleteId(), minimums);
    }

    static byte[] bytes(Insight insight) {
        try {
            ByteBuffer buffer = insight.toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalArgumentException("insight " + insight.getInsightId() + " cannot be encoded", e);
        }
    }

    /** An insight {@link #bytes} encoded. */
    public static Insight insight(byte[] bytes) {
        try {
            return Insight.fromByteBuffer(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new IllegalArgumentException("a held announcement does not decode as an Insight", e);
        }
    }
}
