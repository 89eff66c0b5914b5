package io.thrustline.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.thrustline.schemas.Topics;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.seeds.Seeds;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.thrustline.ingest.imports.WorkoutImport;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The front door for connected gyms (SPEC section 3): HTTP in, acknowledged Avro events out. */
public final class IngestService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Javalin http;
    private final EventPublisher publisher;
    private final BrokerCheck kafka;

    private IngestService(Javalin http, EventPublisher publisher, BrokerCheck kafka) {
        this.http = http;
        this.publisher = publisher;
        this.kafka = kafka;
    }

    public static IngestService start(IngestConfig config, Seeds seeds) {
        var keys = ApiKeys.parse(config.apiKeys());
        var metrics = new IngestMetrics();
        var publisher = new EventPublisher(config.bootstrapServers(), Topics.withRegistry(config.registryUrl()).events(), config.ackTimeout());
        var kafka = new BrokerCheck(config.bootstrapServers());
        var setValidator = new SetValidator(seeds.catalog(), Clock.systemUTC());
        var completionValidator = new CompletionValidator(Clock.systemUTC());
        var handlers = new Handlers(keys, setValidator, completionValidator, publisher, seeds,
                new WorkoutImport(seeds.catalog(), setValidator, completionValidator),
                new SetRateLimit(config.setsPerSecondPerIntegration(), config.setsPerSecondPerIntegration() * 2, Clock.systemUTC()), metrics);
        try {
            var http = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                // Our own connector instead of Javalin's default, for its accept queue: Java's default listen backlog
                // of 50 overflows when many clients connect at once (devices syncing), and the overflow is reset.
                c.jetty.addConnector((server, httpConfig) -> {
                    var connector = new org.eclipse.jetty.server.ServerConnector(server, new org.eclipse.jetty.server.HttpConnectionFactory(httpConfig));
                    connector.setPort(config.port());
                    connector.setAcceptQueueSize(1024);
                    return connector;
                });
                c.http.maxRequestSize = config.maxBodyBytes();
                // A slow or stalled client holds a cheap virtual thread and is cut off after the idle timeout.
                c.concurrency.useVirtualThreads = true;
                c.jetty.modifyHttpConfiguration(h -> h.setIdleTimeout(config.idleTimeout().toMillis()));
                c.requestLogger.http((ctx, ms) -> metrics.request(endpointOf(ctx), ctx.statusCode(), ms));
                c.routes.post("/v1/sets", handlers::postSets);
                c.routes.post("/v1/sessions/{sessionId}/complete", handlers::completeSession);
                c.routes.post("/v1/imports/{app}", handlers::importExport);
                c.routes.get("/v1/exercises", handlers::exercises);
                c.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(OpenApi.document()));
                c.routes.get("/health", ctx -> json(ctx, HttpStatus.OK, Map.of("status", "UP")));
                c.routes.get("/health/ready", ctx -> {
                    boolean up = kafka.reachable();
                    json(ctx, up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, Map.of("status", up ? "UP" : "DOWN", "kafka", up ? "UP" : "DOWN"));
                });
                c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
                c.routes.exception(Unauthorized.class, (e, ctx) -> {
                    ctx.header("WWW-Authenticate", "Bearer");
                    json(ctx, HttpStatus.UNAUTHORIZED, Map.of("error", e.getMessage()));
                });
            }).start();
            log.info("ingest-service listening on port {}", http.port());
            return new IngestService(http, publisher, kafka);
        } catch (RuntimeException e) {
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
        http.stop();
        publisher.close();
        kafka.close();
    }

    static final class Unauthorized extends RuntimeException {
        Unauthorized(String message) {
            super(message);
        }
    }

    private record Handlers(ApiKeys keys, SetValidator sets, CompletionValidator completions, EventPublisher publisher, Seeds seeds,
            WorkoutImport imports, SetRateLimit rateLimit, IngestMetrics metrics) {

        /** POST /v1/imports/{strong|hevy}?athleteId=...&weightUnit=kg|lbs&timeZone=Europe/Berlin, body: the app's CSV export. */
        void importExport(Context ctx) {
            String integration = authenticate(ctx);
            String app = ctx.pathParam("app");
            String athleteId = ctx.queryParam("athleteId");
            if (WorkoutImport.format(app).isEmpty()) {
                json(ctx, HttpStatus.NOT_FOUND, Map.of("error", "imports exist for strong and hevy, not '" + app + "'"));
                return;
            }
            if (athleteId == null || !SetValidator.ID.matcher(athleteId).matches()) {
                json(ctx, HttpStatus.BAD_REQUEST, Map.of("error", "athleteId (query parameter) is required: 1-64 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'"));
                return;
            }
            WorkoutImport.Outcome outcome;
            try {
                java.time.ZoneId zone = java.time.ZoneId.of(Optional.ofNullable(ctx.queryParam("timeZone")).orElse("UTC"));
                outcome = imports.run(app, ctx.body(), athleteId, Optional.ofNullable(ctx.queryParam("weightUnit")).orElse("kg"), zone, integration);
            } catch (java.time.DateTimeException | IllegalArgumentException e) {
                json(ctx, HttpStatus.BAD_REQUEST, Map.of("error", e.getMessage()));
                return;
            }
            var body = new java.util.LinkedHashMap<String, Object>();
            body.put("imported", outcome.sets());
            body.put("sessions", outcome.sessionIds());
            body.put("skipped", outcome.skipped());
            if (outcome.events().isEmpty()) {
                body.put("error", "no row of the file could be imported; see skipped");
                json(ctx, HttpStatus.BAD_REQUEST, body);
                return;
            }
            if (admitted(ctx, integration, outcome.events()) && published(ctx, integration, outcome.events())) {
                json(ctx, HttpStatus.ACCEPTED, body);
            }
        }

        void postSets(Context ctx) {
            String integration = authenticate(ctx);
            JsonNode body = parse(ctx);
            if (body != null) {
                accept(ctx, integration, sets.validate(body, integration));
            }
        }

        void completeSession(Context ctx) {
            String integration = authenticate(ctx);
            JsonNode body = parse(ctx);
            if (body != null) {
                accept(ctx, integration, completions.validate(ctx.pathParam("sessionId"), body, integration));
            }
        }

        void exercises(Context ctx) {
            authenticate(ctx);
            json(ctx, HttpStatus.OK, Map.of("items", seeds.catalog().exercises()));
        }

        private void accept(Context ctx, String integration, ValidationResult result) {
            if (!result.isValid()) {
                json(ctx, HttpStatus.BAD_REQUEST, Map.of("errors", result.errors()));
                return;
            }
            if (admitted(ctx, integration, result.events()) && published(ctx, integration, result.events())) {
                json(ctx, HttpStatus.ACCEPTED, Map.of("eventIds", result.events().stream().map(TrainingEvent::getEventId).toList()));
            }
        }

        /** Within the integration's rate? Otherwise answers 429 with Retry-After. */
        private boolean admitted(Context ctx, String integration, List<TrainingEvent> events) {
            SetRateLimit.Decision decision = rateLimit.take(integration, events.size());
            if (!decision.allowed()) {
                ctx.header("Retry-After", String.valueOf(Math.max(1, decision.retryAfter().toSeconds())));
                json(ctx, HttpStatus.TOO_MANY_REQUESTS, Map.of("error", "integration " + integration
                        + " is sending faster than its limit; retry after the number of seconds in Retry-After"));
                return false;
            }
            return true;
        }

        /** Acknowledged by Kafka? Otherwise answers 503 with Retry-After: nothing is stored, a retry is safe. */
        private boolean published(Context ctx, String integration, List<TrainingEvent> events) {
            try {
                publisher.publish(events);
                metrics.accepted(integration, events.size());
                return true;
            } catch (EventPublisher.NotAcknowledged e) {
                log.warn("events not acknowledged: {}", e.getMessage());
                ctx.header("Retry-After", "5");
                json(ctx, HttpStatus.SERVICE_UNAVAILABLE, Map.of("error", "events were not stored; retry with the same eventIds"));
                return false;
            }
        }

        private String authenticate(Context ctx) {
            String header = ctx.header("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new Unauthorized("send 'Authorization: Bearer <api key>'");
            }
            return keys.integrationFor(header.substring(7).trim())
                    .orElseThrow(() -> new Unauthorized("the API key is not valid"));
        }

        private static JsonNode parse(Context ctx) {
            try {
                return JSON.readTree(ctx.bodyAsBytes());
            } catch (JsonProcessingException e) {
                json(ctx, HttpStatus.BAD_REQUEST, Map.of("errors", List.of(
                        new FieldError(0, "", "the body is not valid JSON: " + e.getOriginalMessage()))));
                return null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The route template (never the raw path, which would give metrics one series per session id). */
    private static String endpointOf(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException noMatchedRoute) {
            return "unmatched";
        }
    }

    static void json(Context ctx, HttpStatus status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write response", e);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        var service = start(IngestConfig.fromEnv(System.getenv()), Seeds.load());
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "ingest-shutdown"));
        stopped.await();
    }
}
