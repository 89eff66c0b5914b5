package io.thrustline.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.thrustline.http.ApiServer;
import io.thrustline.http.HttpSettings;
import io.thrustline.http.Json;
import io.thrustline.http.Problem;
import io.thrustline.ingest.imports.Skipped;
import io.thrustline.ingest.imports.WorkoutImport;
import io.thrustline.ops.Fatal;
import io.thrustline.ops.ServiceMain;
import io.thrustline.schemas.Identifiers;
import io.thrustline.schemas.KafkaPreflight;
import io.thrustline.schemas.Topics;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.seeds.Seeds;
import java.io.IOException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The front door for connected gyms: HTTP in, acknowledged Avro events out. */
public final class IngestService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    /** Longest list of skipped import rows or conflicting ids in one answer; the rest are counted. */
    static final int LISTED = 100;

    private final ApiServer http;
    private final EventPublisher publisher;
    private final BrokerCheck kafka;
    private final IngestMetrics metrics;

    private IngestService(ApiServer http, EventPublisher publisher, BrokerCheck kafka, IngestMetrics metrics) {
        this.http = http;
        this.publisher = publisher;
        this.kafka = kafka;
        this.metrics = metrics;
    }

    public static IngestService start(IngestConfig config, Seeds seeds) {
        return start(config, seeds, Fatal.LOG_ONLY);
    }

    /** @param fatal told when Kafka refuses the producer for good; {@code main} then exits 1 */
    public static IngestService start(IngestConfig config, Seeds seeds, Fatal fatal) {
        var keys = ApiKeys.parse(config.apiKeys(), config.http().profile());
        KafkaPreflight.check("ingest-service", config.kafka(), KafkaPreflight.Needs.writing(Topics.EVENTS), config.ackTimeout());
        var metrics = new IngestMetrics();
        var publisher = new EventPublisher(config.kafka(), Topics.withRegistry(config.registry()).events(), config.ackTimeout(), fatal);
        metrics.bound(publisher.bindMetrics(metrics.registry()));
        var kafka = new BrokerCheck(config.kafka());
        var clock = Clock.systemUTC();
        var setValidator = new SetValidator(seeds.catalog(), clock, config.lateDataHorizon(), seeds.rules().sessions().maxSpan());
        var completionValidator = new CompletionValidator(clock, config.lateDataHorizon());
        var handlers = new Handlers(keys, setValidator, completionValidator, publisher, seeds,
                new WorkoutImport(seeds.catalog(), setValidator, completionValidator),
                new SetRateLimit(config.setsPerSecondPerIntegration(), config.setsPerSecondPerIntegration() * 2, clock),
                new FirstCopies(config.rememberedEvents()), metrics, config.http());
        try {
            ApiServer http = ApiServer.start("ingest-service", config.http(), c -> {
                c.routes.post("/v1/sets", handlers::postSets);
                c.routes.post("/v1/sessions/{sessionId}/complete", handlers::completeSession);
                c.routes.post("/v1/imports/{app}", handlers::importExport);
                c.routes.get("/v1/exercises", handlers::exercises);
                c.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(OpenApi.document()));
                c.routes.get("/health", ctx -> ApiServer.json(ctx, 200, Map.of("status", "UP")));
                c.routes.get("/health/live", ctx -> ApiServer.json(ctx, 200, Map.of("status", "UP")));
                c.routes.get("/health/ready", ctx -> {
                    boolean up = kafka.reachable();
                    ApiServer.json(ctx, up ? 200 : 503, Map.of("status", up ? "UP" : "DOWN", "kafka", up ? "UP" : "DOWN"));
                });
            }, metrics::scrape, metrics::request);
            return new IngestService(http, publisher, kafka, metrics);
        } catch (RuntimeException e) {
            metrics.close();
            publisher.close();
            kafka.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
        metrics.close();
        publisher.close();
        kafka.close();
    }

    private record Handlers(ApiKeys keys, SetValidator sets, CompletionValidator completions, EventPublisher publisher, Seeds seeds,
            WorkoutImport imports, SetRateLimit rateLimit, FirstCopies firstCopies, IngestMetrics metrics, HttpSettings http) {

        /** POST /v1/imports/{strong|hevy}?athleteId=...&weightUnit=kg|lbs&timeZone=Europe/Berlin, body: the app's CSV export. */
        void importExport(Context ctx) {
            String integration = authenticate(ctx);
            String app = ctx.pathParam("app");
            if (WorkoutImport.format(app).isEmpty()) {
                throw Problem.notFound("imports exist for strong and hevy, not '" + ApiServer.truncate(app, 32) + "'");
            }
            String athleteId = ctx.queryParam("athleteId");
            if (athleteId == null || !Identifiers.isClientId(athleteId)) {
                throw Problem.badRequest("athleteId (query parameter) is required: " + Identifiers.CLIENT_ID_RULE);
            }
            String csv = new String(ApiServer.body(ctx, http), java.nio.charset.StandardCharsets.UTF_8);
            int lines = WorkoutImport.lines(csv);
            // An oversized file costs what the largest allowed one would: refused, but not free.
            admit(integration, Math.max(1, Math.min(lines, WorkoutImport.MAX_LINES)));
            if (lines > WorkoutImport.MAX_LINES) {
                throw Problem.tooLarge("the file has " + lines + " lines; an import takes at most " + WorkoutImport.MAX_LINES
                        + ": split the export by date and import the parts");
            }
            WorkoutImport.Outcome outcome;
            try {
                ZoneId zone = ZoneId.of(Optional.ofNullable(ctx.queryParam("timeZone")).orElse("UTC"));
                outcome = imports.run(app, csv, athleteId, Optional.ofNullable(ctx.queryParam("weightUnit")).orElse("kg"), zone, integration);
            } catch (DateTimeException | IllegalArgumentException e) {
                throw Problem.badRequest(ApiServer.truncate(e.getMessage(), 300));
            }
            var body = new LinkedHashMap<String, Object>();
            body.put("imported", outcome.sets());
            body.put("sessions", outcome.sessionIds().size() > LISTED ? outcome.sessionIds().subList(0, LISTED) : outcome.sessionIds());
            List<Skipped> skipped = outcome.skipped();
            body.put("skipped", skipped.size() > LISTED ? skipped.subList(0, LISTED) : skipped);
            body.put("skippedCount", skipped.size());
            if (outcome.events().isEmpty()) {
                var problem = Problem.badRequest("no row of the file could be imported; see skipped");
                body.forEach(problem::with);
                throw problem;
            }
            store(integration, outcome.events());
            ApiServer.json(ctx, 202, body);
        }

        void postSets(Context ctx) {
            String integration = authenticate(ctx);
            JsonNode body = parse(ctx);
            JsonNode batch = body.isObject() ? body.get("sets") : null;
            admit(integration, batch != null && batch.isArray() ? Math.max(1, batch.size()) : 1);
            accept(ctx, integration, sets.validate(body, integration));
        }

        void completeSession(Context ctx) {
            String integration = authenticate(ctx);
            JsonNode body = parse(ctx);
            admit(integration, 1);
            accept(ctx, integration, completions.validate(ctx.pathParam("sessionId"), body, integration));
        }

        void exercises(Context ctx) {
            authenticate(ctx);
            ApiServer.json(ctx, 200, Map.of("items", seeds.catalog().exercises()));
        }

        private void accept(Context ctx, String integration, ValidationResult result) {
            if (!result.isValid()) {
                throw new Problem(400, "/problems/invalid-sets", "Invalid sets",
                        result.errorCount() + " problem(s) found; nothing of this request was stored"
                                + (result.errorCount() > result.errors().size() ? " (the first " + result.errors().size() + " are listed)" : ""))
                        .with("errors", result.errors()).with("errorCount", result.errorCount());
            }
            store(integration, result.events());
            ApiServer.json(ctx, 202, Map.of("eventIds", result.events().stream().map(TrainingEvent::getEventId).toList()));
        }

        /** Refuses the request if any eventId conflicts, else publishes its events and remembers them as first copies. */
        private void store(String integration, List<TrainingEvent> events) {
            var fingerprints = FirstCopies.Fingerprints.of(events);
            refuseConflicts(fingerprints);
            publish(integration, events, fingerprints);
        }

        /** An eventId already accepted with other content is a conflict: the first copy stands everywhere. */
        private void refuseConflicts(FirstCopies.Fingerprints request) {
            List<String> conflicts = firstCopies.conflicts(request);
            if (!conflicts.isEmpty()) {
                throw new Problem(409, "/problems/event-conflict", "Conflicting eventId",
                        conflicts.size() + " eventId(s) were already used for different content; the first copy stands. "
                                + "Give a new set a new eventId; reuse an eventId only to retry the same set. Nothing of this request was stored.")
                        .with("eventIds", conflicts.size() > LISTED ? conflicts.subList(0, LISTED) : conflicts)
                        .with("conflictCount", conflicts.size());
            }
        }

        /** Within the integration's rate? Valid or not, a request costs what it carries. */
        private void admit(String integration, int sets) {
            SetRateLimit.Decision decision = rateLimit.take(integration, sets);
            if (!decision.allowed()) {
                throw Problem.tooManyRequests(decision.retryAfter(), "integration " + integration
                        + " is sending faster than its limit; retry after the number of seconds in Retry-After");
            }
        }

        /** Acknowledged by Kafka, or 503 with Retry-After: nothing is stored, a retry with the same eventIds is safe. */
        private void publish(String integration, List<TrainingEvent> events, FirstCopies.Fingerprints fingerprints) {
            try {
                publisher.publish(events);
            } catch (EventPublisher.NotAcknowledged e) {
                log.warn("events not acknowledged: {}", e.getMessage());
                throw Problem.unavailable(Duration.ofSeconds(5), "events were not stored; retry with the same eventIds");
            }
            firstCopies.accepted(fingerprints);
            metrics.accepted(integration, events.size());
        }

        private String authenticate(Context ctx) {
            return keys.integrationFor(ApiServer.bearerToken(ctx)).orElseThrow(() -> Problem.unauthorized("the API key is not valid"));
        }

        private JsonNode parse(Context ctx) {
            byte[] body = ApiServer.body(ctx, http);
            try {
                JsonNode node = Json.MAPPER.readTree(body);
                if (node == null) {
                    throw new Problem(400, "/problems/invalid-sets", "Invalid sets", "the body is empty")
                            .with("errors", List.of(new FieldError(0, "", "the body is empty: send one set, or {\"sets\": [...]}"))).with("errorCount", 1);
                }
                return node;
            } catch (JsonProcessingException e) {
                String reason = "the body is not valid JSON: " + ApiServer.truncate(e.getOriginalMessage(), 200);
                throw new Problem(400, "/problems/invalid-sets", "Invalid sets", reason)
                        .with("errors", List.of(new FieldError(0, "", reason))).with("errorCount", 1);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        ServiceMain.run("ingest-service", fatal -> start(IngestConfig.fromEnv(System.getenv()), Seeds.load(), fatal));
    }
}
