package io.thrustline.reporting.webhooks;

import java.time.Instant;
import java.util.UUID;

/**
 * A registered receiver as the API shows it: never its secret.
 *
 * @param coachId whose roster it hears about; null for every athlete
 */
public record Webhook(UUID webhookId, String url, String coachId, String minSeverity, Instant createdAt) {}
