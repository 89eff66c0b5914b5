package io.thrustline.reporting.webhooks;

import java.time.Instant;
import java.util.UUID;

/** One insight version on its way to one receiver, as {@code GET /v1/webhooks/{id}/deliveries} lists it. */
public record Delivery(
        long deliveryId,
        UUID webhookId,
        String messageId,
        UUID insightId,
        String eventType,
        String status,
        int attempts,
        Instant createdAt,
        Instant nextAttemptAt,
        Instant lastAttemptAt,
        Integer lastResponse,
        String lastError,
        Instant deliveredAt) {}
