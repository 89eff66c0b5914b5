package io.thrustline.reporting.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.thrustline.http.ApiServer;
import io.thrustline.http.HttpSettings;
import io.thrustline.http.Json;
import io.thrustline.http.Problem;
import io.thrustline.reporting.AccessTokens;
import io.thrustline.reporting.Caller;
import io.thrustline.schemas.Identifiers;
import io.thrustline.schemas.Severity;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The admin's webhook endpoints: register, list, remove, see deliveries, send a dead-lettered one again. */
public record WebhookApi(AccessTokens tokens, Jdbi jdbi, HttpSettings http) {

    private static final Set<String> STATUSES = Set.of("pending", "delivered", "dead", "cancelled");
    private static final Set<String> FIELDS = Set.of("url", "secret", "coachId", "minSeverity");
    private static final SecureRandom RANDOM = new SecureRandom();

    public void routes(RoutesConfig routes) {
        routes.post("/v1/webhooks", this::register);
        routes.get("/v1/webhooks", this::list);
        routes.get("/v1/webhooks/{webhookId}", this::get);
        routes.delete("/v1/webhooks/{webhookId}", this::delete);
        routes.get("/v1/webhooks/{webhookId}/deliveries", this::deliveries);
        routes.post("/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", this::redeliver);
    }

    void register(Context ctx) {
        requireAdmin(ctx);
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(ApiServer.body(ctx, http));
        } catch (IOException e) {
            throw Problem.badRequest("the body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw Problem.badRequest("the body must be a JSON object with url, and optionally secret, coachId and minSeverity");
        }
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw Problem.badRequest("unknown field '" + ApiServer.truncate(name, 60) + "'; allowed: url, secret, coachId, minSeverity");
            }
        }
        String url;
        WebhookSecret secret;
        try {
            url = WebhookUrl.check(text(body, "url"), http.profile());
            secret = body.hasNonNull("secret") ? new WebhookSecret(text(body, "secret")) : WebhookSecret.generate(RANDOM);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(ApiServer.truncate(e.getMessage(), 300));
        }
        String coachId = body.hasNonNull("coachId") ? text(body, "coachId") : null;
        if (coachId != null && !Identifiers.isClientId(coachId)) {
            throw Problem.badRequest("coachId must be " + Identifiers.CLIENT_ID_RULE + ", or left out for every athlete");
        }
        String minSeverity = body.hasNonNull("minSeverity") ? text(body, "minSeverity") : Severity.ALERT.name();
        if (Arrays.stream(Severity.values()).noneMatch(s -> s.name().equals(minSeverity))) {
            throw Problem.badRequest("minSeverity must be one of INFO, WARNING, ALERT");
        }
        UUID id = UUID.randomUUID();
        jdbi.useExtension(WebhookRepository.class, r -> r.register(id, url, secret.text(), coachId, minSeverity));
        Webhook created = jdbi.withExtension(WebhookRepository.class, r -> r.find(id)).orElseThrow();
        var answer = new LinkedHashMap<String, Object>();
        answer.put("webhookId", created.webhookId());
        answer.put("url", created.url());
        answer.put("coachId", created.coachId());
        answer.put("minSeverity", created.minSeverity());
        answer.put("createdAt", created.createdAt());
        answer.put("secret", secret.text()); // shown this once, so the receiver can be set up with it
        ctx.header("Location", "/v1/webhooks/" + id);
        ApiServer.json(ctx, 201, answer);
    }

    void list(Context ctx) {
        requireAdmin(ctx);
        var body = new HashMap<String, Object>();
        body.put("items", jdbi.withExtension(WebhookRepository.class, WebhookRepository::all));
        body.put("next", null); // receivers are few: a handful per gym
        ApiServer.json(ctx, 200, body);
    }

    void get(Context ctx) {
        requireAdmin(ctx);
        UUID id = webhook(ctx);
        ApiServer.json(ctx, 200, jdbi.withExtension(WebhookRepository.class, r -> r.find(id))
                .orElseThrow(() -> Problem.notFound("no webhook " + id)));
    }

    void delete(Context ctx) {
        requireAdmin(ctx);
        UUID id = webhook(ctx);
        existing(id);
        jdbi.useExtension(WebhookRepository.class, r -> r.delete(id));
        ctx.status(204);
    }

    void deliveries(Context ctx) {
        requireAdmin(ctx);
        UUID id = webhook(ctx);
        String status = ctx.queryParam("status");
        if (status != null && !status.isBlank() && !STATUSES.contains(status)) {
            throw Problem.badRequest("status must be one of cancelled, dead, delivered, pending");
        }
        int limit = wholeNumber(ctx.queryParam("limit"), "limit", 100, 1, 1000);
        String beforeParam = ctx.queryParam("before");
        Long before = beforeParam == null || beforeParam.isBlank() ? null : (long) wholeNumber(beforeParam, "before", 0, 1, Integer.MAX_VALUE);
        existing(id);
        List<Delivery> page = jdbi.withExtension(WebhookRepository.class,
                r -> r.deliveries(id, status == null || status.isBlank() ? null : status, before, limit));
        var body = new HashMap<String, Object>();
        body.put("items", page);
        body.put("next", page.size() == limit ? String.valueOf(page.get(limit - 1).deliveryId()) : null);
        ApiServer.json(ctx, 200, body);
    }

    void redeliver(Context ctx) {
        requireAdmin(ctx);
        UUID id = webhook(ctx);
        long deliveryId = wholeNumber(ctx.pathParam("deliveryId"), "deliveryId", 0, 1, Integer.MAX_VALUE);
        long queued = jdbi.inTransaction(h -> h.attach(WebhookRepository.class).redeliver(id, deliveryId))
                .orElseThrow(() -> Problem.notFound("webhook " + id + " has no dead-lettered delivery " + deliveryId));
        ApiServer.json(ctx, 202, java.util.Map.of("deliveryId", queued, "status", "pending"));
    }

    private void existing(UUID id) {
        if (jdbi.withExtension(WebhookRepository.class, r -> r.find(id)).isEmpty()) {
            throw Problem.notFound("no webhook " + id);
        }
    }

    private void requireAdmin(Context ctx) {
        Caller caller = tokens.callerFor(ApiServer.bearerToken(ctx)).orElseThrow(() -> Problem.unauthorized("the token is not valid"));
        if (!(caller instanceof Caller.Admin)) {
            throw Problem.forbidden("only an admin may manage webhooks");
        }
    }

    private static UUID webhook(Context ctx) {
        try {
            return UUID.fromString(ctx.pathParam("webhookId"));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("webhookId must be the id POST /v1/webhooks answered with");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw Problem.badRequest(field + " must be a string");
        }
        return value.asText();
    }

    private static int wholeNumber(String value, String name, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw Problem.badRequest(name + " must be a whole number from " + min + " to " + max);
    }
}
