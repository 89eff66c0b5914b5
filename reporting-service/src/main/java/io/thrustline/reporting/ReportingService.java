package io.thrustline.reporting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.thrustline.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stores insights in PostgreSQL and serves them to coaches (SPEC section 5). */
public final class ReportingService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReportingService.class);
    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private final HikariDataSource dataSource;
    private final List<TopicSink<?>> sinks;
    private final Javalin http;

    private ReportingService(HikariDataSource dataSource, List<TopicSink<?>> sinks, Javalin http) {
        this.dataSource = dataSource;
        this.sinks = sinks;
        this.http = http;
    }

    public static ReportingService start(ReportingConfig config) {
        return start(config, () -> { });
    }

    /** @param betweenCommits see {@link TopicSink}; only the crash-safety test passes anything but a no-op */
    public static ReportingService start(ReportingConfig config, Runnable betweenCommits) {
        var tokens = AccessTokens.parse(config.tokens());
        var dataSource = dataSource(config);
        try {
            Flyway.configure().dataSource(dataSource).load().migrate();
            Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
            Topics topics = Topics.withRegistry(config.registryUrl());
            List<TopicSink<?>> sinks = List.of(
                    new TopicSink<>("insights", config, topics.insights(), jdbi, SinkWriters::insights, betweenCommits),
                    new TopicSink<>("balances", config, topics.balances(), jdbi, SinkWriters::balances, betweenCommits),
                    new TopicSink<>("sets", config, topics.events(), jdbi, SinkWriters::sets, betweenCommits));
            var api = new Api(tokens, jdbi, new ResearchExport(jdbi, new Pseudonyms(config.exportSecret())));
            var readiness = new Readiness(jdbi, sinks, config.maxLag());
            var metrics = new ReportingMetrics(sinks);
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
                // The coach page (public: every figure on it comes from the token-protected API) and Chart.js.
                c.staticFiles.add("/io/thrustline/reporting/web", io.javalin.http.staticfiles.Location.CLASSPATH);
                c.staticFiles.enableWebjars();
                c.routes.get("/v1/athletes/{athleteId}/insights", api::insights);
                c.routes.put("/v1/coaches/{coachId}/athletes", api::putRoster);
                c.routes.get("/v1/coaches/{coachId}/athletes", api::getRoster);
                c.routes.get("/v1/athletes/{athleteId}/balance", api::balance);
                c.routes.get("/v1/athletes", api::athletes);
                c.routes.get("/v1/export/{dataset}", api::export);
                c.routes.get("/health", ctx -> json(ctx, HttpStatus.OK, Map.of("status", "UP")));
                c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
                c.requestLogger.http((ctx, ms) -> metrics.request(ctx.statusCode(), ms));
                c.routes.get("/health/ready", ctx -> {
                    var report = readiness.check();
                    json(ctx, report.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, report);
                });
                c.routes.exception(ApiError.class, (e, ctx) -> {
                    if (e.status == HttpStatus.UNAUTHORIZED) {
                        ctx.header("WWW-Authenticate", "Bearer");
                    }
                    json(ctx, e.status, Map.of("error", e.getMessage()));
                });
            }).start();
            sinks.forEach(TopicSink::start);
            log.info("reporting-service listening on port {}", http.port());
            return new ReportingService(dataSource, sinks, http);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    private static HikariDataSource dataSource(ReportingConfig config) {
        var hikari = new HikariConfig();
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.dbUser());
        hikari.setPassword(config.dbPassword());
        hikari.setMaximumPoolSize(6);
        // Batches go to PostgreSQL as multi-row statements rather than one round trip per row.
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        hikari.setPoolName("reporting");
        return new HikariDataSource(hikari);
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.stop();
        sinks.forEach(TopicSink::close);
        dataSource.close();
    }

    /** An error answered as {"error": "..."} with its status. */
    static final class ApiError extends RuntimeException {
        final HttpStatus status;

        ApiError(HttpStatus status, String message) {
            super(message);
            this.status = status;
        }
    }

    private record Api(AccessTokens tokens, Jdbi jdbi, ResearchExport exports) {
        private static final Set<String> RULES = Set.of("LEFT_RIGHT_IMBALANCE", "UNILATERAL_SIDE_MISSING",
                "PERSISTENT_IMBALANCE", "LOAD_INCREASE_BEFORE_CONTROL", "HINGE_BEFORE_BRIDGE");
        private static final Set<String> SEVERITIES = Set.of("INFO", "WARNING", "ALERT");
        private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

        void insights(Context ctx) {
            String athleteId = ctx.pathParam("athleteId");
            mayViewAthlete(caller(ctx), athleteId);
            Instant from = time(ctx, "from");
            Instant to = time(ctx, "to");
            String rule = oneOf(ctx, "rule", RULES);
            String severity = oneOf(ctx, "severity", SEVERITIES);
            int limit = limit(ctx);
            String[] cursor = cursor(ctx);
            List<StoredInsight> page = jdbi.withExtension(InsightRepository.class, repo -> repo.find(athleteId, from, to, rule,
                    severity, cursor == null ? null : Instant.parse(cursor[0]), cursor == null ? null : cursor[1], limit + 1));
            String next = null;
            if (page.size() > limit) {
                page = page.subList(0, limit);
                StoredInsight last = page.get(limit - 1);
                next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                        (last.detectedAt() + "|" + last.insightId()).getBytes(StandardCharsets.UTF_8));
            }
            var body = new HashMap<String, Object>();
            body.put("items", page);
            body.put("next", next);
            json(ctx, HttpStatus.OK, body);
        }

        void balance(Context ctx) {
            String athleteId = ctx.pathParam("athleteId");
            mayViewAthlete(caller(ctx), athleteId);
            Instant from = time(ctx, "from");
            Instant to = time(ctx, "to");
            String exercise = ctx.queryParam("exercise");
            int limit = limit(ctx);
            List<BalanceRow> rows = jdbi.withExtension(BalanceRepository.class, repo -> repo.find(athleteId,
                    exercise == null || exercise.isBlank() ? null : exercise,
                    from == null ? null : java.time.LocalDate.ofInstant(from, java.time.ZoneOffset.UTC),
                    to == null ? null : java.time.LocalDate.ofInstant(to, java.time.ZoneOffset.UTC), limit));
            var body = new HashMap<String, Object>();
            body.put("items", rows);
            body.put("next", null); // one page: a few sessions a week stay far below the limit for years
            json(ctx, HttpStatus.OK, body);
        }

        /** Pseudonymized CSV, streamed: researchers and admins only. */
        void export(Context ctx) throws java.io.IOException {
            Caller caller = caller(ctx);
            if (caller instanceof Caller.Coach) {
                throw new ApiError(HttpStatus.FORBIDDEN, "exports are for researchers and admins");
            }
            ResearchExport.Dataset dataset;
            try {
                dataset = ResearchExport.Dataset.parse(ctx.pathParam("dataset"));
            } catch (IllegalArgumentException e) {
                throw new ApiError(HttpStatus.NOT_FOUND, e.getMessage());
            }
            String format = Optional.ofNullable(ctx.queryParam("format")).orElse("csv");
            if (!format.equals("csv") && !format.equals("parquet")) {
                throw new ApiError(HttpStatus.BAD_REQUEST, "format must be csv or parquet");
            }
            Instant from = time(ctx, "from");
            Instant to = time(ctx, "to");
            String file = "thrustline-" + dataset.name().toLowerCase() + "." + format;
            ctx.status(HttpStatus.OK).header("Content-Disposition", "attachment; filename=\"" + file + "\"");
            var stream = new java.io.BufferedOutputStream(ctx.outputStream(), 1 << 16);
            if (format.equals("csv")) {
                ctx.contentType("text/csv; charset=utf-8");
                var out = new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8);
                exports.writeCsv(dataset, from, to, out);
                out.flush();
            } else {
                ctx.contentType("application/vnd.apache.parquet");
                exports.writeParquet(dataset, from, to, stream);
                stream.flush();
            }
        }

        /** Open alerts: ALERT insights of the last two weeks. */
        void athletes(Context ctx) {
            Instant since = Instant.now().minus(java.time.Duration.ofDays(14));
            List<AthleteSummary> items = switch (caller(ctx)) {
                case Caller.Admin admin -> jdbi.withExtension(AthleteRepository.class, r -> r.visibleTo(null, since));
                case Caller.Coach coach -> jdbi.withExtension(AthleteRepository.class, r -> r.visibleTo(coach.coachId(), since));
                case Caller.Researcher researcher ->
                        throw new ApiError(HttpStatus.FORBIDDEN, "researchers use the pseudonymized exports, not athlete reports");
            };
            var body = new HashMap<String, Object>();
            body.put("items", items);
            body.put("next", null);
            json(ctx, HttpStatus.OK, body);
        }

        void putRoster(Context ctx) {
            if (!(caller(ctx) instanceof Caller.Admin)) {
                throw new ApiError(HttpStatus.FORBIDDEN, "only an admin may change a coach's roster");
            }
            String coachId = id(ctx.pathParam("coachId"), "coachId");
            JsonNode body;
            try {
                body = JSON.readTree(ctx.body());
            } catch (JsonProcessingException e) {
                throw new ApiError(HttpStatus.BAD_REQUEST, "the body is not valid JSON: " + e.getOriginalMessage());
            }
            if (body == null || !body.isObject() || !body.path("athleteIds").isArray() || body.size() != 1) {
                throw new ApiError(HttpStatus.BAD_REQUEST, "the body must be {\"athleteIds\": [\"...\", ...]}");
            }
            var athletes = new ArrayList<String>();
            for (JsonNode athlete : body.get("athleteIds")) {
                athletes.add(id(athlete.isTextual() ? athlete.asText() : "", "athleteIds[" + athletes.size() + "]"));
            }
            jdbi.useExtension(RosterRepository.class, roster -> roster.replace(coachId, athletes));
            json(ctx, HttpStatus.OK, Map.of("coachId", coachId, "athleteIds", athletes));
        }

        void getRoster(Context ctx) {
            Caller caller = caller(ctx);
            String coachId = ctx.pathParam("coachId");
            boolean self = caller instanceof Caller.Coach coach && coach.coachId().equals(coachId);
            if (!(caller instanceof Caller.Admin) && !self) {
                throw new ApiError(HttpStatus.FORBIDDEN, "a coach may only see their own roster");
            }
            List<String> athletes = jdbi.withExtension(RosterRepository.class, roster -> roster.athletesOf(coachId));
            json(ctx, HttpStatus.OK, Map.of("coachId", coachId, "athleteIds", athletes));
        }

        private void mayViewAthlete(Caller caller, String athleteId) {
            switch (caller) {
                case Caller.Admin admin -> { }
                case Caller.Coach coach -> {
                    boolean onRoster = jdbi.withExtension(RosterRepository.class, r -> r.coaches(coach.coachId(), athleteId));
                    if (!onRoster) {
                        throw new ApiError(HttpStatus.FORBIDDEN, "athlete " + athleteId + " is not on your roster");
                    }
                }
                case Caller.Researcher researcher ->
                        throw new ApiError(HttpStatus.FORBIDDEN, "researchers use the pseudonymized exports, not athlete reports");
            }
        }

        private Caller caller(Context ctx) {
            String header = ctx.header("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new ApiError(HttpStatus.UNAUTHORIZED, "send 'Authorization: Bearer <token>'");
            }
            return tokens.callerFor(header.substring(7).trim())
                    .orElseThrow(() -> new ApiError(HttpStatus.UNAUTHORIZED, "the token is not valid"));
        }

        private static String id(String value, String field) {
            if (!ID.matcher(value).matches()) {
                throw new ApiError(HttpStatus.BAD_REQUEST, field + " must be 1-64 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'");
            }
            return value;
        }

        private static Instant time(Context ctx, String param) {
            String value = ctx.queryParam(param);
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new ApiError(HttpStatus.BAD_REQUEST, param + " must be an ISO-8601 time with offset, e.g. 2026-11-01T00:00:00Z");
            }
        }

        private static String oneOf(Context ctx, String param, Set<String> allowed) {
            String value = ctx.queryParam(param);
            if (value == null || value.isBlank()) {
                return null;
            }
            if (!allowed.contains(value)) {
                throw new ApiError(HttpStatus.BAD_REQUEST, param + " must be one of " + String.join(", ", allowed.stream().sorted().toList()));
            }
            return value;
        }

        private static int limit(Context ctx) {
            String value = ctx.queryParam("limit");
            if (value == null) {
                return 100;
            }
            try {
                int limit = Integer.parseInt(value);
                if (limit >= 1 && limit <= 1000) {
                    return limit;
                }
            } catch (NumberFormatException ignored) {
                // answered below
            }
            throw new ApiError(HttpStatus.BAD_REQUEST, "limit must be a whole number from 1 to 1000");
        }

        private static String[] cursor(Context ctx) {
            String value = ctx.queryParam("cursor");
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8).split("\\|", 2);
                Instant.parse(parts[0]);
                java.util.UUID.fromString(parts[1]);
                return parts;
            } catch (RuntimeException e) {
                throw new ApiError(HttpStatus.BAD_REQUEST, "cursor is not one this API handed out; use the 'next' value of the previous page");
            }
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
        var service = start(ReportingConfig.fromEnv(System.getenv()));
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "reporting-shutdown"));
        stopped.await();
    }
}
