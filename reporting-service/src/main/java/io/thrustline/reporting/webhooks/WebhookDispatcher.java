package io.thrustline.reporting.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued deliveries. Every receiver has its own lane, a virtual thread that sends its deliveries one at a
 * time, oldest first, so a receiver sees an insight's versions in order and one that hangs or fails ties up only
 * its own lane. A lane is leased in PostgreSQL, so with several reporting instances each receiver is served by one
 * at a time. A failed attempt waits out its backoff and blocks the lane behind it; after the give-up time the
 * delivery is dead-lettered (status {@code dead}) and the lane moves on.
 *
 * <p>A crash after a receiver answered but before the answer was recorded sends that delivery again, with the
 * same {@code webhook-id}: receivers drop repeats by it, as the Standard Webhooks convention asks.
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final Jdbi jdbi;
    private final DeliveryPolicy policy;
    private final HttpClient http;
    private final String owner = "reporting-" + UUID.randomUUID();
    private final ExecutorService lanes = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-lane-", 0).factory());
    private final Set<UUID> busy = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread scheduler;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    public WebhookDispatcher(Jdbi jdbi, DeliveryPolicy policy) {
        this.jdbi = jdbi;
        this.policy = policy;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(policy.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.scheduler = new Thread(this::schedule, "webhook-dispatcher");
    }

    public void start() {
        scheduler.start();
    }

    public long delivered() {
        return delivered.get();
    }

    public long failedAttempts() {
        return failedAttempts.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    private void schedule() {
        try {
            do {
                try {
                    for (UUID webhook : jdbi.withExtension(WebhookRepository.class, WebhookRepository::dueLanes)) {
                        if (busy.add(webhook)) {
                            lanes.execute(() -> drain(webhook));
                        }
                    }
                } catch (RuntimeException e) {
                    log.warn("could not look for due webhook deliveries; trying again shortly: {}", e.toString());
                }
            } while (!closing.await(policy.pollInterval().toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends one receiver's due deliveries in order until none is due, one fails, or the service stops. */
    private void drain(UUID webhook) {
        try {
            while (closing.getCount() > 0
                    && jdbi.withExtension(WebhookRepository.class, r -> r.claimLane(webhook, owner, policy.laneLease().toMillis())) == 1) {
                var due = jdbi.withExtension(WebhookRepository.class, r -> r.head(webhook));
                if (due.isEmpty() || due.get().nextAttemptAt().isAfter(due.get().dbNow()) || !attempt(due.get())) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            log.warn("webhook {}: delivery lane stopped; it resumes on the next poll: {}", webhook, e.toString());
        } finally {
            try {
                jdbi.useExtension(WebhookRepository.class, r -> r.releaseLane(webhook, owner));
            } catch (RuntimeException e) {
                log.debug("webhook {}: lane not released; its lease runs out on its own", webhook, e);
            }
            busy.remove(webhook);
        }
    }

    /** One attempt; true when the receiver took it (or it was dead-lettered) and the lane may go on to the next. */
    private boolean attempt(WebhookRepository.Due due) {
        byte[] body = due.payload().getBytes(StandardCharsets.UTF_8);
        long timestamp = Instant.now().getEpochSecond();
        long started = System.nanoTime();
        Integer response = null;
        String error;
        try {
            var request = HttpRequest.newBuilder(URI.create(due.url())).timeout(policy.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "thrustline-webhooks")
                    .header("webhook-id", due.messageId())
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", new WebhookSecret(due.secret()).sign(due.messageId(), timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            // The body is never read: closing the stream at once keeps a receiver that answers forever from holding the lane.
            HttpResponse<java.io.InputStream> answer = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            answer.body().close();
            response = answer.statusCode();
            if (response >= 200 && response < 300) {
                jdbi.useExtension(WebhookRepository.class, r -> r.delivered(due.deliveryId(), answer.statusCode()));
                delivered.incrementAndGet();
                return true;
            }
            error = "the receiver answered " + response;
        } catch (IOException | RuntimeException e) {
            // Whatever went wrong with this attempt counts as a failed attempt, so it backs off and is dead-lettered in time.
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false; // stopping: the attempt does not count, and the delivery stays queued
        }
        failedAttempts.incrementAndGet();
        // The database's clock, which every instance shares, moved on by however long the attempt took.
        Instant failedAt = due.dbNow().plusNanos(System.nanoTime() - started);
        var next = policy.nextAttempt(due.createdAt(), due.attempts() + 1, failedAt);
        String reason = error.length() > 500 ? error.substring(0, 500) : error;
        Integer status = response;
        jdbi.useExtension(WebhookRepository.class, r -> r.failed(due.deliveryId(), status, reason, next.orElse(null)));
        if (next.isEmpty()) {
            deadLettered.incrementAndGet();
            log.warn("webhook delivery {} ({}) dead-lettered after {} attempts: {}", due.deliveryId(), due.messageId(), due.attempts() + 1, reason);
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        closing.countDown();
        scheduler.interrupt();
        lanes.shutdownNow();
        try {
            scheduler.join(5_000);
            lanes.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
    }
}
