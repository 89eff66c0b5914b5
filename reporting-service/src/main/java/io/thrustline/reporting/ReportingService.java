package io.thrustline.reporting;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.javalin.http.Context;
import io.thrustline.http.ApiServer;
import io.thrustline.http.HttpSettings;
import io.thrustline.http.Json;
import io.thrustline.http.Problem;
import io.thrustline.ops.Fatal;
import io.thrustline.ops.ServiceMain;
import io.thrustline.reporting.webhooks.InsightNotifier;
import io.thrustline.reporting.webhooks.WebhookApi;
import io.thrustline.reporting.webhooks.WebhookDispatcher;
import io.thrustline.schemas.Identifiers;
import io.thrustline.schemas.RuleName;
import io.thrustline.seeds.RuleBook;
import io.thrustline.schemas.KafkaPreflight;
import io.thrustline.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import java.util.concurrent.Semaphore;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * Stores insights, balances and raw sets in PostgreSQL, serves them to coaches and researchers, and tells
 * registered webhooks about new and withdrawn insights. Four connection pools keep the kinds of work from
 * starving each other: one connection per sink, a small pool with a statement timeout for the coach API, one
 * connection per allowed research export, and two for the webhook dispatcher.
 */
public final class ReportingService implements AutoCloseable {

    /** The API as OpenAPI 3.1, served at /openapi.json; ReportingServiceTest holds the running service to it. */
    private static final byte[] OPENAPI = openApiDocument();

    private final List<HikariDataSource> pools;
    private final List<TopicSink<?>> sinks;
    private final ApiServer http;
    private final WebhookDispatcher dispatcher;
    private final ReportingMetrics metrics;

    private ReportingService(List<HikariDataSource> pools, List<TopicSink<?>> sinks, ApiServer http, WebhookDispatcher dispatcher,
            ReportingMetrics metrics) {
        this.pools = pools;
        this.sinks = sinks;
        this.http = http;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
    }

    public static ReportingService start(ReportingConfig config) {
        return start(config, () -> { });
    }

    /** @param betweenCommits see {@link TopicSink}; only the crash-safety test passes anything but a no-op */
    public static ReportingService start(ReportingConfig config, Runnable betweenCommits) {
        return start(config, betweenCommits, Fatal.LOG_ONLY);
    }

    /**
     * @param fatal told when Kafka refuses a sink for good (credentials, permissions); {@code main} then exits 1.
     *              Other failures are retried or restart the sink, and show on {@code /health/ready}.
     */
    public static ReportingService start(ReportingConfig config, Runnable betweenCommits, Fatal fatal) {
        var tokens = AccessTokens.parse(config.tokens(), config.http().profile());
        var pools = new ArrayList<HikariDataSource>();
        var metrics = new ReportingMetrics();
        WebhookDispatcher dispatcher = null;
        try {
            // A coach's page must answer quickly or not at all; a runaway query is cut off rather than holding a connection.
            HikariDataSource apiPool = pool(config, "reporting-api", 4, "set statement_timeout = '10s'", metrics);
            pools.add(apiPool);
            HikariDataSource sinkPool = pool(config, "reporting-sinks", 4, null, metrics);
            pools.add(sinkPool);
            HikariDataSource webhookPool = pool(config, "reporting-webhooks", 2, "set statement_timeout = '10s'", metrics);
            pools.add(webhookPool);
            HikariDataSource exportPool = pool(config, "reporting-exports", config.maxConcurrentExports(), null, metrics);
            pools.add(exportPool);
            Flyway.configure().dataSource(apiPool).load().migrate();
            Jdbi apiJdbi = jdbi(apiPool);
            Jdbi sinkJdbi = jdbi(sinkPool);
            KafkaPreflight.check("reporting-service", config.kafka(), KafkaPreflight.Needs.reading(Topics.EVENTS, Topics.INSIGHTS, Topics.BALANCES)
                    .andWriting(Topics.REPORTING_DEAD_LETTERS).inGroups(config.consumerGroup() + "-insights",
                            config.consumerGroup() + "-balances", config.consumerGroup() + "-sets", config.consumerGroup() + "-notifier"),
                    Duration.ofSeconds(15));
            Topics topics = Topics.withRegistry(config.registry());
            List<TopicSink<?>> sinks = List.of(
                    new TopicSink<>("insights", config, topics.insights(), sinkJdbi, SinkWriters::insights, betweenCommits, metrics.registry(), fatal),
                    new TopicSink<>("balances", config, topics.balances(), sinkJdbi, SinkWriters::balances, betweenCommits, metrics.registry(), fatal),
                    new TopicSink<>("sets", config, topics.events(), sinkJdbi, SinkWriters::sets, betweenCommits, metrics.registry(), fatal),
                    // Its own consumer group: queues webhook deliveries and never waits for a receiver.
                    new TopicSink<>("notifier", config, topics.insights(), sinkJdbi, InsightNotifier::enqueue, betweenCommits,
                            metrics.registry(), fatal));
            var api = new Api(tokens, apiJdbi, new ResearchExport(jdbi(exportPool), new Pseudonyms(config.exportSecret())),
                    new Semaphore(config.maxConcurrentExports()), config.http(), config.rules());
            var readiness = new Readiness(apiJdbi, sinks, config.maxLag());
            metrics.watch(sinks);
            dispatcher = new WebhookDispatcher(jdbi(webhookPool), config.webhooks());
            metrics.watch(dispatcher);
            var webhooks = new WebhookApi(tokens, apiJdbi, config.http());
            ApiServer http = ApiServer.start("reporting-service", config.http(), c -> {
                // The coach page (public: every figure on it comes from the token-protected API) and Chart.js.
                c.staticFiles.add("/io/thrustline/reporting/web", io.javalin.http.staticfiles.Location.CLASSPATH);
                c.staticFiles.enableWebjars();
                c.routes.get("/v1/athletes/{athleteId}/insights", api::insights);
                c.routes.post("/v1/insights/{insightId}/ack", api::acknowledge);
                c.routes.delete("/v1/insights/{insightId}/ack", api::reopen);
                c.routes.put("/v1/coaches/{coachId}/athletes", api::putRoster);
                c.routes.get("/v1/coaches/{coachId}/athletes", api::getRoster);
                c.routes.get("/v1/athletes/{athleteId}/balance", api::balance);
                c.routes.get("/v1/athletes", api::athletes);
                c.routes.get("/v1/export/{dataset}", api::export);
                c.routes.get("/v1/rule-books", api::ruleBooks);
                c.routes.get("/v1/rules", api::rules);
                webhooks.routes(c.routes);
                c.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(OPENAPI));
                c.routes.get("/health", ctx -> ApiServer.json(ctx, 200, Map.of("status", "UP")));
                c.routes.get("/health/live", ctx -> ApiServer.json(ctx, 200, Map.of("status", "UP")));
                c.routes.get("/health/ready", ctx -> {
                    var report = readiness.check();
                    ApiServer.json(ctx, report.ready() ? 200 : 503, report);
                });
            }, metrics::scrape, metrics::request);
            sinks.forEach(TopicSink::start);
            dispatcher.start();
            return new ReportingService(pools, sinks, http, dispatcher, metrics);
        } catch (RuntimeException e) {
            if (dispatcher != null) {
                dispatcher.close();
            }
            pools.forEach(HikariDataSource::close);
            metrics.close();
            throw e;
        }
    }

    private static byte[] openApiDocument() {
        try (var in = ReportingService.class.getResourceAsStream("openapi.json")) {
            return java.util.Objects.requireNonNull(in, "openapi.json is packaged with the service").readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HikariDataSource pool(ReportingConfig config, String name, int size, String initSql, ReportingMetrics metrics) {
        var hikari = new HikariConfig();
        hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics.registry())); // hikaricp_*, by pool
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.dbUser());
        hikari.setPassword(config.dbPassword());
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(1);
        if (initSql != null) {
            hikari.setConnectionInitSql(initSql);
        }
        // Batches go to PostgreSQL as multi-row statements rather than one round trip per row.
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        hikari.setPoolName(name);
        return new HikariDataSource(hikari);
    }

    private static Jdbi jdbi(HikariDataSource pool) {
        Jdbi jdbi = Jdbi.create(pool).installPlugin(new SqlObjectPlugin());
        // A failed statement's message names the statement, never its values: those are webhook secrets, notes, athletes.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.SHORT_STATEMENT);
        return jdbi;
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
        dispatcher.close();
        sinks.forEach(TopicSink::close);
        pools.forEach(HikariDataSource::close);
        metrics.close();
    }

    private record Api(AccessTokens tokens, Jdbi jdbi, ResearchExport exports, Semaphore exportSlots, HttpSettings http, RuleBook ruleBook) {
        private static final Set<String> RULES = java.util.Arrays.stream(RuleName.values()).map(Enum::name)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        private static final Set<String> SEVERITIES = Set.of("INFO", "WARNING", "ALERT");
        private static final Set<String> STATES = Set.of("open", "acknowledged");
        /** Times a query may ask about; beyond them the database's own range (and Java's) would overflow. */
        private static final Instant EARLIEST_QUERY = Instant.parse("1900-01-01T00:00:00Z");
        private static final Instant LATEST_QUERY = Instant.parse("9999-12-31T23:59:59Z");

        void insights(Context ctx) {
            String athleteId = athlete(ctx);
            mayViewAthlete(caller(ctx), athleteId);
            Instant from = time(ctx, "from");
            Instant to = time(ctx, "to");
            String rule = oneOf(ctx, "rule", RULES);
            String severity = oneOf(ctx, "severity", SEVERITIES);
            String state = oneOf(ctx, "state", STATES);
            int limit = limit(ctx);
            String[] cursor = cursor(ctx);
            List<StoredInsight> page = jdbi.withExtension(InsightRepository.class, repo -> repo.find(athleteId, from, to, rule,
                    severity, state, cursor == null ? null : Instant.parse(cursor[0]), cursor == null ? null : cursor[1], limit + 1));
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
            ApiServer.json(ctx, 200, body);
        }

        /**
         * A coach (or admin) marks an insight as seen and dealt with, optionally with a short note. It stays in the feed,
         * marked, and no longer counts as an open alert. Acknowledging again replaces the note.
         */
        void acknowledge(Context ctx) {
            Caller caller = caller(ctx);
            String insightId = insight(ctx);
            String comment = null;
            byte[] raw = ApiServer.body(ctx, http);
            if (raw.length > 0) {
                JsonNode body;
                try {
                    body = Json.MAPPER.readTree(raw);
                } catch (IOException e) {
                    throw Problem.badRequest("the body is not valid JSON");
                }
                if (body != null && !body.isNull()) {
                    if (!body.isObject() || body.size() > 1 || (body.size() == 1 && !body.has("comment"))
                            || (body.has("comment") && !body.get("comment").isTextual() && !body.get("comment").isNull())) {
                        throw Problem.badRequest("the body must be empty or {\"comment\": \"...\"}");
                    }
                    comment = body.hasNonNull("comment") ? body.get("comment").asText().strip() : null;
                    if (comment != null && comment.length() > InsightRepository.MAX_ACK_COMMENT) {
                        throw Problem.badRequest("comment must be at most " + InsightRepository.MAX_ACK_COMMENT + " characters");
                    }
                }
            }
            visibleOpenInsight(caller, insightId);
            String by = switch (caller) {
                case Caller.Coach coach -> "coach:" + coach.coachId();
                default -> "admin";
            };
            String note = comment == null || comment.isEmpty() ? null : comment;
            changeAcknowledgement(r -> r.acknowledge(insightId, by, note));
            ApiServer.json(ctx, 200, jdbi.withExtension(InsightRepository.class, r -> r.byId(insightId)).orElseThrow());
        }

        /** Takes an acknowledgement back: the insight is open again. */
        void reopen(Context ctx) {
            Caller caller = caller(ctx);
            String insightId = insight(ctx);
            visibleOpenInsight(caller, insightId);
            changeAcknowledgement(r -> r.reopen(insightId));
            ApiServer.json(ctx, 200, jdbi.withExtension(InsightRepository.class, r -> r.byId(insightId)).orElseThrow());
        }

        /**
         * Runs an acknowledgement change while no rule-book switch is under way (they take the rule_books lock the other
         * way): a switch copies acknowledgements to the new book, so one written in the middle of it would be lost.
         */
        private void changeAcknowledgement(java.util.function.Consumer<InsightRepository> change) {
            jdbi.useTransaction(handle -> {
                handle.execute("lock table rule_books in row share mode");
                change.accept(handle.attach(InsightRepository.class));
            });
        }

        /** A coach asking about an insight of someone else's athlete hears the same as for one that does not exist. */
        private void visibleOpenInsight(Caller caller, String insightId) {
            if (caller instanceof Caller.Researcher) {
                throw Problem.forbidden("researchers use the pseudonymized exports, not athlete reports");
            }
            String athleteId = jdbi.withExtension(InsightRepository.class, r -> r.byId(insightId)).map(StoredInsight::athleteId)
                    .orElseThrow(() -> Problem.notFound("no current insight " + insightId));
            if (caller instanceof Caller.Coach coach
                    && !jdbi.withExtension(RosterRepository.class, r -> r.coaches(coach.coachId(), athleteId))) {
                throw Problem.notFound("no current insight " + insightId);
            }
        }

        private static String insight(Context ctx) {
            String id = ctx.pathParam("insightId");
            try {
                return java.util.UUID.fromString(id).toString();
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest("insightId must be an insight's id as the insights endpoint gives it");
            }
        }

        void balance(Context ctx) {
            String athleteId = athlete(ctx);
            mayViewAthlete(caller(ctx), athleteId);
            Instant from = time(ctx, "from");
            Instant to = time(ctx, "to");
            String exercise = ctx.queryParam("exercise");
            if (exercise != null && !exercise.isBlank() && !Identifiers.isClientId(exercise)) {
                throw Problem.badRequest("exercise must be a catalog code");
            }
            int limit = limit(ctx);
            List<BalanceRow> rows = jdbi.withExtension(BalanceRepository.class, repo -> repo.find(athleteId,
                    exercise == null || exercise.isBlank() ? null : exercise,
                    from == null ? null : java.time.LocalDate.ofInstant(from, java.time.ZoneOffset.UTC),
                    to == null ? null : java.time.LocalDate.ofInstant(to, java.time.ZoneOffset.UTC), limit));
            var body = new HashMap<String, Object>();
            body.put("items", rows);
            body.put("next", null); // one page: a few sessions a week stay far below the limit for years
            ApiServer.json(ctx, 200, body);
        }

        /**
         * Pseudonymized CSV or Parquet, streamed: researchers and admins only. At most the configured number run at
         * once, each on the export pool's own connection; another gets 429 instead of waiting for a connection.
         */
        void export(Context ctx) throws IOException {
            Caller caller = caller(ctx);
            if (caller instanceof Caller.Coach) {
                throw Problem.forbidden("exports are for researchers and admins");
            }
            ResearchExport.Dataset dataset;
            try {
                dataset = ResearchExport.Dataset.parse(ctx.pathParam("dataset"));
            } catch (IllegalArgumentException e) {
                throw Problem.notFound(ApiServer.truncate(e.getMessage(), 200));
            }
            String format = Optional.ofNullable(ctx.queryParam("format")).orElse("csv");
            if (!format.equals("csv") && !format.equals("parquet")) {
                throw Problem.badRequest("format must be csv or parquet");
            }
            Instant from = time(ctx, "from");
            Instant to = time(ctx, "to");
            ResearchExport export;
            try {
                export = exports.forStudy(ctx.queryParam("study")).changedSince(ctx.queryParam("changedSince"));
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest(e.getMessage());
            }
            if (!exportSlots.tryAcquire()) {
                throw Problem.tooManyRequests(Duration.ofSeconds(30), "as many exports as allowed are running; try again when one has finished");
            }
            try {
                String file = "thrustline-" + dataset.name().toLowerCase() + "." + format;
                // Pass this as changedSince next time to get only what reached the database since (docs/export-dictionary.md).
                ctx.status(200).header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                        .header(ResearchExport.NEXT_CURSOR_HEADER, export.cursorNow());
                var stream = new java.io.BufferedOutputStream(ctx.outputStream(), 1 << 16);
                if (format.equals("csv")) {
                    ctx.contentType("text/csv; charset=utf-8");
                    var out = new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8);
                    export.writeCsv(dataset, from, to, out);
                    out.flush();
                } else {
                    ctx.contentType("application/vnd.apache.parquet");
                    export.writeParquet(dataset, from, to, stream);
                    stream.flush();
                }
            } finally {
                exportSlots.release();
            }
        }

        /** Open alerts: ALERT insights of the last two weeks that no one has acknowledged. */
        void athletes(Context ctx) {
            Instant since = Instant.now().minus(Duration.ofDays(14));
            List<AthleteSummary> items = switch (caller(ctx)) {
                case Caller.Admin admin -> jdbi.withExtension(AthleteRepository.class, r -> r.visibleTo(null, since));
                case Caller.Coach coach -> jdbi.withExtension(AthleteRepository.class, r -> r.visibleTo(coach.coachId(), since));
                case Caller.Researcher researcher ->
                        throw Problem.forbidden("researchers use the pseudonymized exports, not athlete reports");
            };
            var body = new HashMap<String, Object>();
            body.put("items", items);
            body.put("next", null);
            ApiServer.json(ctx, 200, body);
        }

        /**
         * The rules with the words the coach page shows for them, and the imbalance bands it draws: the page keeps no
         * copy of either. Any signed-in caller may read them.
         */
        void rules(Context ctx) {
            caller(ctx);
            var rules = java.util.Arrays.stream(RuleName.values()).map(r -> Map.of("name", r.name(), "title", r.title())).toList();
            var imbalance = ruleBook.leftRightImbalance();
            ApiServer.json(ctx, 200, Map.of("ruleBook", ruleBook.version(), "rules", rules,
                    "imbalanceBands", Map.of("warningPct", imbalance.warningPct(), "alertPct", imbalance.alertPct())));
        }

        /** Which versions of rules.json reporting has seen: the active one, one being built by a reprocess, retired ones. */
        void ruleBooks(Context ctx) {
            if (!(caller(ctx) instanceof Caller.Admin)) {
                throw Problem.forbidden("only an admin may see the rule books");
            }
            var body = new HashMap<String, Object>();
            body.put("items", jdbi.withExtension(RuleBookRepository.class, RuleBookRepository::all));
            body.put("next", null);
            ApiServer.json(ctx, 200, body);
        }

        void putRoster(Context ctx) {
            if (!(caller(ctx) instanceof Caller.Admin)) {
                throw Problem.forbidden("only an admin may change a coach's roster");
            }
            String coachId = coach(ctx);
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(ApiServer.body(ctx, http));
            } catch (IOException e) {
                throw Problem.badRequest("the body is not valid JSON");
            }
            if (body == null || !body.isObject() || !body.path("athleteIds").isArray() || body.size() != 1
                    || body.get("athleteIds").size() > 10_000) {
                throw Problem.badRequest("the body must be {\"athleteIds\": [\"...\", ...]} with at most 10000 athletes");
            }
            var athletes = new ArrayList<String>();
            for (JsonNode athlete : body.get("athleteIds")) {
                String id = athlete.isTextual() ? athlete.asText() : "";
                if (!Identifiers.isQualifiedAthlete(id)) {
                    throw Problem.badRequest("athleteIds[" + athletes.size() + "] must be " + Identifiers.QUALIFIED_ATHLETE_RULE);
                }
                athletes.add(id);
            }
            jdbi.useExtension(RosterRepository.class, roster -> roster.replace(coachId, athletes));
            ApiServer.json(ctx, 200, Map.of("coachId", coachId, "athleteIds", athletes));
        }

        void getRoster(Context ctx) {
            Caller caller = caller(ctx);
            String coachId = coach(ctx);
            boolean self = caller instanceof Caller.Coach coach && coach.coachId().equals(coachId);
            if (!(caller instanceof Caller.Admin) && !self) {
                throw Problem.forbidden("a coach may only see their own roster");
            }
            List<String> athletes = jdbi.withExtension(RosterRepository.class, roster -> roster.athletesOf(coachId));
            ApiServer.json(ctx, 200, Map.of("coachId", coachId, "athleteIds", athletes));
        }

        private void mayViewAthlete(Caller caller, String athleteId) {
            switch (caller) {
                case Caller.Admin admin -> { }
                case Caller.Coach coach -> {
                    boolean onRoster = jdbi.withExtension(RosterRepository.class, r -> r.coaches(coach.coachId(), athleteId));
                    if (!onRoster) {
                        throw Problem.forbidden("athlete " + athleteId + " is not on your roster");
                    }
                }
                case Caller.Researcher researcher ->
                        throw Problem.forbidden("researchers use the pseudonymized exports, not athlete reports");
            }
        }

        private Caller caller(Context ctx) {
            return tokens.callerFor(ApiServer.bearerToken(ctx)).orElseThrow(() -> Problem.unauthorized("the token is not valid"));
        }

        /** The athlete of the path, by its qualified id: integrations are tenants, so a bare athlete id is ambiguous. */
        private static String athlete(Context ctx) {
            String athleteId = ctx.pathParam("athleteId");
            if (!Identifiers.isQualifiedAthlete(athleteId)) {
                throw Problem.badRequest("athleteId must be " + Identifiers.QUALIFIED_ATHLETE_RULE);
            }
            return athleteId;
        }

        private static String coach(Context ctx) {
            String coachId = ctx.pathParam("coachId");
            if (!Identifiers.isClientId(coachId)) {
                throw Problem.badRequest("coachId must be " + Identifiers.CLIENT_ID_RULE);
            }
            return coachId;
        }

        private static Instant time(Context ctx, String param) {
            String value = ctx.queryParam(param);
            if (value == null || value.isBlank()) {
                return null;
            }
            Instant at;
            try {
                at = OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw Problem.badRequest(param + " must be an ISO-8601 time with offset, e.g. 2026-11-01T00:00:00Z");
            }
            if (at.isBefore(EARLIEST_QUERY) || at.isAfter(LATEST_QUERY)) {
                throw Problem.badRequest(param + " must lie between " + EARLIEST_QUERY + " and " + LATEST_QUERY);
            }
            return at;
        }

        private static String oneOf(Context ctx, String param, Set<String> allowed) {
            String value = ctx.queryParam(param);
            if (value == null || value.isBlank()) {
                return null;
            }
            if (!allowed.contains(value)) {
                throw Problem.badRequest(param + " must be one of " + String.join(", ", allowed.stream().sorted().toList()));
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
            throw Problem.badRequest("limit must be a whole number from 1 to 1000");
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
                throw Problem.badRequest("cursor is not one this API handed out; use the 'next' value of the previous page");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        ServiceMain.run("reporting-service", fatal -> start(ReportingConfig.fromEnv(System.getenv()), () -> { }, fatal));
    }
}
