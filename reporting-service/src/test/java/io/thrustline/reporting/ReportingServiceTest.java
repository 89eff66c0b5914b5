package io.thrustline.reporting;

import static io.thrustline.testing.TestStacks.call;
import static io.thrustline.testing.TestStacks.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.reporting.ReportingService;
import io.thrustline.schemas.Insight;
import io.thrustline.schemas.SessionBalance;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.Severity;
import io.thrustline.schemas.Side;
import io.thrustline.schemas.TrainingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import io.thrustline.testing.OpenApiContract;

/** reporting-service alone over real PostgreSQL, broker and registry: storage, crash safety, access. */
class ReportingServiceTest extends OverReportingInfrastructure {

    private record Caller(String who, String token) {}

    /** Everyone who may knock: nobody, a forgery, then each role (the coach of the athlete and one who is not). */
    private static final List<Caller> CALLERS = List.of(new Caller("no token", null), new Caller("a forged token", "forged"),
            new Caller("admin", "demo-admin"), new Caller("their coach", "demo-coach"), new Caller("another coach", "coach-other"),
            new Caller("researcher", "demo-researcher"));



    @Test
    void aCrashBetweenTheDatabaseCommitAndTheOffsetCommitLosesAndDoublesNothing() throws Exception {
        String athlete = "gym-a:crash-" + UUID.randomUUID().toString().substring(0, 8);
        send(topics.insights(), athlete, insights(athlete, 50));
        send(topics.balances(), athlete, List.of(balance(athlete, "s1", 20.0), balance(athlete, "s2", 12.0)));
        send(topics.events(), athlete, List.of(set(athlete, "s1"), set(athlete, "s1"), set(athlete, "s2")));

        // The first batch of each sink is committed to PostgreSQL, then the sink dies before committing offsets,
        // and again after every restart.
        try (var first = ReportingService.start(reportingConfig("crash-test"), () -> {
            throw new IllegalStateException("simulated crash between the two commits");
        })) {
            String base = "http://127.0.0.1:" + first.port();
            assertThat(eventually(Duration.ofSeconds(30), () -> count("insights", athlete) == 50 && count("session_balances", athlete) == 2
                    && count("sets", athlete) == 3)).as("first batch stored before the crash").isTrue();
            assertThat(eventually(Duration.ofSeconds(10), () -> {
                var ready = call("GET", base + "/health/ready", null, null);
                return ready.status() == 503 && ready.body().get("stuck").size() == 4;
            })).as("readiness names the sinks that keep dying").isTrue();
            for (String sink : List.of("insights", "balances", "sets", "notifier")) {
                assertThat(metric(base, "thrustline_reporting_restarts_total", sink)).as("the " + sink + " sink died and was restarted")
                        .isPositive();
            }
        }
        assertThat(committedOffsets("crash-test-insights")).as("no offset was committed for what was stored").isZero();

        // Restarted: the uncommitted batches are read again; the upserts make that harmless.
        try (var second = ReportingService.start(reportingConfig("crash-test"))) {
            send(topics.insights(), athlete, insights(athlete, 5).subList(0, 1)); // something new after the restart
            assertThat(eventually(Duration.ofSeconds(30), () -> call("GET", "http://127.0.0.1:" + second.port() + "/health/ready", null, null)
                    .status() == 200)).isTrue();
            assertThat(eventually(Duration.ofSeconds(30), () -> committedOffsets("crash-test-insights") > 0
                    && committedOffsets("crash-test-balances") > 0 && committedOffsets("crash-test-sets") > 0
                    && committedOffsets("crash-test-notifier") > 0))
                    .as("the replayed batches are committed now").isTrue();
            assertThat(count("insights", athlete)).isEqualTo(50);
            assertThat(count("session_balances", athlete)).isEqualTo(2);
            assertThat(count("sets", athlete)).isEqualTo(3);
        }
    }

    /** The value of a per-sink counter on /metrics; -1 when it is not there. */
    private static double metric(String base, String name, String sink) throws Exception {
        String prefix = name + "{sink=\"" + sink + "\"} ";
        return call("GET", base + "/metrics", null, null).body().asText().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).trim())).findFirst().orElse(-1);
    }

    private long committedOffsets(String group) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", config.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                    .filter(java.util.Objects::nonNull).mapToLong(o -> o.offset()).sum();
        }
    }

    @Test
    void everyEndpointAnswersEachRoleAsItShould() throws Exception {
        String athlete = "gym-a:acl-" + UUID.randomUUID().toString().substring(0, 8);
        send(topics.insights(), athlete, insights(athlete, 2));
        send(topics.balances(), athlete, List.of(balance(athlete, "s1", 18.0)));
        try (var service = ReportingService.start(reportingConfig("acl-test"))) {
            String base = "http://127.0.0.1:" + service.port();
            assertThat(call("PUT", base + "/v1/coaches/coach-demo/athletes", "demo-admin", "{\"athleteIds\": [\"" + athlete + "\"]}").status())
                    .isEqualTo(200);
            assertThat(eventually(Duration.ofSeconds(30), () -> count("session_balances", athlete) == 1 && count("insights", athlete) == 2)).isTrue();

            // Who gets what, endpoint by endpoint; the columns are the callers of CALLERS, in order.
            record Access(String method, String path, String body, int... expected) {}
            String roster = "{\"athleteIds\": [\"" + athlete + "\"]}";
            List<Access> matrix = List.of(
                    new Access("GET", "/v1/athletes/" + athlete + "/insights", null, 401, 401, 200, 200, 403, 403),
                    new Access("GET", "/v1/athletes/" + athlete + "/balance", null, 401, 401, 200, 200, 403, 403),
                    new Access("GET", "/v1/athletes", null, 401, 401, 200, 200, 200, 403),
                    new Access("GET", "/v1/rules", null, 401, 401, 200, 200, 200, 200),
                    new Access("GET", "/v1/rule-books", null, 401, 401, 200, 403, 403, 403),
                    new Access("GET", "/v1/coaches/coach-demo/athletes", null, 401, 401, 200, 200, 403, 403),
                    new Access("PUT", "/v1/coaches/coach-demo/athletes", roster, 401, 401, 200, 403, 403, 403),
                    new Access("GET", "/v1/export/sets?format=csv", null, 401, 401, 200, 403, 403, 200),
                    new Access("GET", "/v1/webhooks", null, 401, 401, 200, 403, 403, 403));
            var soft = new org.assertj.core.api.SoftAssertions();
            for (Access access : matrix) {
                for (int i = 0; i < CALLERS.size(); i++) {
                    soft.assertThat(call(access.method(), base + access.path(), CALLERS.get(i).token(), access.body()).status())
                            .as("%s %s as %s", access.method(), access.path(), CALLERS.get(i).who()).isEqualTo(access.expected()[i]);
                }
            }
            soft.assertAll();
            var rules = call("GET", base + "/v1/rules", "demo-researcher", null).body();
            assertThat(rules.get("rules").findValuesAsText("name")).containsExactly("LEFT_RIGHT_IMBALANCE", "UNILATERAL_SIDE_MISSING",
                    "PERSISTENT_IMBALANCE", "LOAD_INCREASE_BEFORE_CONTROL", "HINGE_BEFORE_BRIDGE");
            assertThat(rules.at("/imbalanceBands/warningPct").asDouble()).isEqualTo(10.0);
            assertThat(rules.at("/imbalanceBands/alertPct").asDouble()).isEqualTo(15.0);
            assertThat(call("GET", base + "/v1/athletes", "coach-other", null).body().get("items")).isEmpty();
            var mine = call("GET", base + "/v1/athletes", "demo-coach", null).body().get("items");
            assertThat(mine).anySatisfy(a -> {
                assertThat(a.get("athleteId").asText()).isEqualTo(athlete);
                assertThat(a.get("latestAsymmetryPct").asDouble()).isEqualTo(18.0);
                assertThat(a.get("latestWeakerSide").asText()).isEqualTo("RIGHT");
                assertThat(a.get("openAlerts").asInt()).isEqualTo(2);
            });
            assertThat(call("GET", base + "/v1/athletes", "demo-admin", null).body().get("items").size()).isGreaterThanOrEqualTo(1);

            var balance = call("GET", base + "/v1/athletes/" + athlete + "/balance", "demo-coach", null).body().get("items").get(0);
            assertThat(balance.get("leftVolume").asDouble()).isEqualTo(400.0);
            assertThat(balance.get("sessionDate").asText()).isEqualTo("2026-11-20");
            assertThat(call("GET", base + "/v1/athletes/" + athlete + "/insights?severity=ALERT&limit=1", "demo-coach", null).body().get("next").isNull())
                    .isFalse(); // two alerts, pages of one
        }
    }

    @Test
    void theOpenApiDocumentDescribesEveryAnswerTheRunningServiceGives() throws Exception {
        try (var service = ReportingService.start(reportingConfig("openapi-test"))) {
            String base = "http://127.0.0.1:" + service.port();
            var document = call("GET", base + "/openapi.json", null, null);
            assertThat(document.status()).isEqualTo(200);
            var contract = new OpenApiContract(document.body());
            var problems = new java.util.ArrayList<String>();
            var answered = new java.util.TreeSet<String>();
            for (var operation : contract.operations()) {
                // Admins may call everything; a body the document does not describe must get 400, never 500.
                String body = operation.node().has("requestBody") ? "{\"not\": \"valid\"}" : null;
                for (String token : new String[] {"demo-admin", "demo-coach", null}) {
                    var answer = call(operation.method(), base + operation.concretePath(), token, body);
                    answered.add(operation.method() + " " + operation.path() + " " + answer.status());
                    problems.addAll(contract.problems(operation, answer.status(), answer.body()));
                }
            }
            assertThat(problems).isEmpty();
            assertThat(contract.operations()).hasSize(21);
            // The walk reached the answers that matter: data for admins, refusals for the rest.
            assertThat(answered).contains("GET /v1/athletes 200", "GET /v1/rules 200", "GET /v1/rules 401", "POST /v1/webhooks 400",
                    "POST /v1/webhooks 403", "GET /v1/export/{dataset} 200", "GET /v1/webhooks/{webhookId} 400", "GET /health/ready 200");
        }
    }

    @Test
    void researchExportsArePseudonymizedStreamedCsvWithoutNotes() throws Exception {
        String athlete = "gym-a:export-" + UUID.randomUUID().toString().substring(0, 8);
        TrainingEvent withNotes = set(athlete, "s1");
        ((SetLogged) withNotes.getPayload()).setNotes("private note, about the \"knee\"\nand more");
        send(topics.events(), athlete, List.of(withNotes, set(athlete, "s1")));
        send(topics.balances(), athlete, List.of(balance(athlete, "s1", 11.0)));
        send(topics.insights(), athlete, insights(athlete, 1));
        try (var service = ReportingService.start(reportingConfig("export-test"))) {
            String base = "http://127.0.0.1:" + service.port();
            assertThat(eventually(Duration.ofSeconds(30), () -> count("sets", athlete) == 2 && count("session_balances", athlete) == 1
                    && count("insights", athlete) == 1)).isTrue();

            try (var c = DriverManager.getConnection(config.jdbcUrl("thrustline"), "thrustline", "thrustline");
                    var st = c.prepareStatement("select notes from sets where event_id = ?")) {
                st.setString(1, withNotes.getEventId());
                try (var rs = st.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("private note, about the \"knee\"\nand more"); // stored exactly, through COPY
                }
            }
            String sets = text(base + "/v1/export/sets", "demo-researcher");
            assertThat(sets.lines().findFirst()).contains("event,athlete,session,performed_at,exercise,side,reps,load_kg,controlled_reps,rpe,source,received_at,set_type");
            assertThat(sets).doesNotContain(athlete).doesNotContain(withNotes.getEventId()).doesNotContain("knee");
            assertThat(text(base + "/v1/export/sets", "demo-admin")).isEqualTo(sets); // stable pseudonyms
            String balances = text(base + "/v1/export/balances", "demo-researcher");
            String insights = text(base + "/v1/export/insights", "demo-researcher");
            assertThat(balances).doesNotContain(athlete);
            assertThat(insights).doesNotContain(athlete).contains("LEFT_RIGHT_IMBALANCE");
            // The athlete's pseudonym is the same in every export, so they join.
            String pseudonym = balances.lines().skip(1).map(l -> l.split(","))
                    .filter(f -> Double.parseDouble(f[8]) == 11.0).findFirst().orElseThrow()[0]; // asymmetry_pct is column 9
            assertThat(sets).contains(pseudonym);
            assertThat(insights).contains(pseudonym);
            assertThat(text(base + "/v1/export/sets?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z", "demo-researcher").lines()).hasSize(1);

            // A study gets pseudonyms of its own: they join within the study, never with another study or the default.
            String kneeSets = text(base + "/v1/export/sets?study=knee-2026", "demo-researcher");
            String kneeBalances = text(base + "/v1/export/balances?study=knee-2026", "demo-researcher");
            String hipSets = text(base + "/v1/export/sets?study=hips-2027", "demo-researcher");
            String kneePseudonym = kneeBalances.lines().skip(1).map(l -> l.split(","))
                    .filter(f -> Double.parseDouble(f[8]) == 11.0).findFirst().orElseThrow()[0];
            assertThat(kneePseudonym).isNotEqualTo(pseudonym);
            assertThat(kneeSets).contains(kneePseudonym).doesNotContain(pseudonym).hasLineCount((int) sets.lines().count());
            assertThat(hipSets).doesNotContain(kneePseudonym).doesNotContain(pseudonym);
            assertThat(text(base + "/v1/export/sets?study=knee-2026", "demo-researcher")).isEqualTo(kneeSets);
            assertThat(call("GET", base + "/v1/export/sets?study=knee%20study", "demo-researcher", null).status()).isEqualTo(400);

            // Parquet, read back by an independent reader (DuckDB): the same rows and pseudonyms as the CSV.
            Path setsFile = download(base + "/v1/export/sets?format=parquet", dataDir.resolve("sets.parquet"));
            Path balancesFile = download(base + "/v1/export/balances?format=parquet", dataDir.resolve("balances.parquet"));
            try (var duck = DriverManager.getConnection("jdbc:duckdb:"); var st = duck.createStatement()) {
                try (var rs = st.executeQuery("select count(*), count(*) filter (where athlete = '" + pseudonym + "'), "
                        + "min(typeof(performed_at)), count(*) filter (where event = '" + sets.lines().skip(1).findFirst().orElseThrow().split(",")[0]
                        + "') from read_parquet('" + setsFile + "')")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(sets.lines().count() - 1);
                    assertThat(rs.getLong(2)).isEqualTo(2);
                    assertThat(rs.getString(3)).startsWith("TIMESTAMP");
                    assertThat(rs.getLong(4)).isEqualTo(1);
                }
                try (var rs = st.executeQuery("select column_name from (describe select * from read_parquet('" + setsFile + "'))")) {
                    var columns = new java.util.ArrayList<String>();
                    while (rs.next()) {
                        columns.add(rs.getString(1));
                    }
                    assertThat(columns).containsExactly("event", "athlete", "session", "performed_at", "exercise", "side", "reps", "load_kg",
                            "controlled_reps", "rpe", "source", "received_at", "set_type"); // no notes
                }
                try (var rs = st.executeQuery("select session_date, asymmetry_pct, typeof(session_date) from read_parquet('" + balancesFile
                        + "') where athlete = '" + pseudonym + "'")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("2026-11-20");
                    assertThat(rs.getDouble(2)).isEqualTo(11.0);
                    assertThat(rs.getString(3)).isEqualTo("DATE");
                }
            }

            // The command gives the same export as the API.
            var env = Map.of("THRUSTLINE_DB_URL", config.jdbcUrl("thrustline"), "THRUSTLINE_EXPORT_SECRET", "test-export-secret-0123456789",
                    "THRUSTLINE_PROFILE", "local");
            var cli = new java.io.ByteArrayOutputStream();
            long rows = io.thrustline.reporting.ExportCommand.run(new String[] {"sets"}, env, cli);
            assertThat(cli.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(sets);
            assertThat(rows).isEqualTo(sets.lines().count() - 1);
            Path cliParquet = dataDir.resolve("cli-balances.parquet");
            io.thrustline.reporting.ExportCommand.run(new String[] {"balances", "--format", "parquet", "--out", cliParquet.toString()}, env, cli);
            assertThat(Files.size(cliParquet)).isEqualTo(Files.size(balancesFile));
            var cliStudy = new java.io.ByteArrayOutputStream();
            io.thrustline.reporting.ExportCommand.run(new String[] {"sets", "--study", "knee-2026"}, env, cliStudy);
            assertThat(cliStudy.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(kneeSets);

            assertThat(call("GET", base + "/v1/export/sets", "demo-coach", null).status()).isEqualTo(403);
            assertThat(call("GET", base + "/v1/export/sets", null, null).status()).isEqualTo(401);
            assertThat(call("GET", base + "/v1/export/people", "demo-researcher", null).status()).isEqualTo(404);
            assertThat(call("GET", base + "/v1/export/sets?format=xlsx", "demo-researcher", null).status()).isEqualTo(400);
            String metrics = call("GET", base + "/metrics", null, null).body().asText();
            assertThat(metrics).contains("thrustline_reporting_stored_total{sink=\"sets\"}").contains("thrustline_reporting_lag{sink=\"insights\"}");
        }
    }

    private static Path download(String url, Path target) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Authorization", "Bearer demo-researcher").build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofFile(target));
        assertThat(response.statusCode()).isEqualTo(200);
        return target;
    }

    @Test
    void anAcknowledgedAlertLeavesTheOpenCountUntilItChangesAndItsNoteStaysOutOfExports() throws Exception {
        String athlete = "gym-a:ack-" + UUID.randomUUID().toString().substring(0, 8);
        List<Insight> alerts = insights(athlete, 2);
        send(topics.insights(), athlete, alerts);
        try (var service = ReportingService.start(reportingConfig("ack-test"))) {
            String base = "http://127.0.0.1:" + service.port();
            assertThat(call("PUT", base + "/v1/coaches/coach-demo/athletes", "demo-admin", "{\"athleteIds\": [\"" + athlete + "\"]}").status())
                    .isEqualTo(200);
            assertThat(eventually(Duration.ofSeconds(30), () -> count("insights", athlete) == 2)).isTrue();
            assertThat(openAlerts(base, athlete)).isEqualTo(2);

            String ack = base + "/v1/insights/" + alerts.get(0).getInsightId() + "/ack";
            String note = "{\"comment\": \"Talked it through; left knee niggle, keep the load\"}";
            assertThat(call("POST", ack, null, note).status()).isEqualTo(401);
            assertThat(call("POST", ack, "coach-other", note).status()).as("not their athlete: as if it did not exist").isEqualTo(404);
            assertThat(call("POST", ack, "demo-researcher", note).status()).isEqualTo(403);
            assertThat(call("POST", base + "/v1/insights/not-an-id/ack", "demo-coach", note).status()).isEqualTo(400);
            assertThat(call("POST", base + "/v1/insights/" + UUID.randomUUID() + "/ack", "demo-coach", note).status()).isEqualTo(404);
            assertThat(call("POST", ack, "demo-coach", "{\"comment\": \"" + "x".repeat(501) + "\"}").status()).isEqualTo(400);
            assertThat(call("POST", ack, "demo-coach", "{\"note\": \"wrong field\"}").status()).isEqualTo(400);
            assertThat(openAlerts(base, athlete)).as("refused acknowledgements change nothing").isEqualTo(2);

            var acknowledged = call("POST", ack, "demo-coach", note);
            assertThat(acknowledged.status()).isEqualTo(200);
            assertThat(acknowledged.body().get("acknowledgedBy").asText()).isEqualTo("coach:coach-demo");
            assertThat(acknowledged.body().get("ackComment").asText()).startsWith("Talked it through");
            assertThat(openAlerts(base, athlete)).isEqualTo(1);
            var feed = call("GET", base + "/v1/athletes/" + athlete + "/insights", "demo-coach", null).body().get("items");
            assertThat(feed).hasSize(2).anySatisfy(i -> assertThat(i.get("acknowledgedAt").isNull()).isFalse())
                    .anySatisfy(i -> assertThat(i.get("acknowledgedAt").isNull()).isTrue());
            String export = text(base + "/v1/export/insights", "demo-admin");
            assertThat(export).doesNotContain("knee niggle").doesNotContain("coach-demo");

            // The same insight judged again, unchanged: still acknowledged. Withdrawn and raised again: news, open again.
            // Sent with a marker behind it on the same partition: once the marker is stored, so is the copy.
            Insight marker = Insight.newBuilder(alerts.get(0)).setInsightId(UUID.randomUUID().toString()).setSeverity(Severity.INFO).build();
            send(topics.insights(), athlete, List.of(alerts.get(0), marker));
            assertThat(eventually(Duration.ofSeconds(30), () -> count("insights", athlete) == 3)).isTrue();
            assertThat(openAlerts(base, athlete)).isEqualTo(1);
            send(topics.insights(), athlete, List.of(Insight.newBuilder(alerts.get(0)).setRetracted(true).build()));
            assertThat(eventually(Duration.ofSeconds(30), () -> retracted(athlete) == 1)).isTrue();
            send(topics.insights(), athlete, List.of(alerts.get(0)));
            assertThat(eventually(Duration.ofSeconds(30), () -> openAlerts(base, athlete) == 2)).isTrue();

            String other = base + "/v1/insights/" + alerts.get(1).getInsightId() + "/ack";
            assertThat(call("POST", other, "demo-admin", null).body().get("acknowledgedBy").asText()).isEqualTo("admin");
            assertThat(openAlerts(base, athlete)).isEqualTo(1);
            assertThat(call("DELETE", other, "demo-coach", null).body().get("acknowledgedAt").isNull()).isTrue();
            assertThat(openAlerts(base, athlete)).isEqualTo(2);
        }
    }

    private static int openAlerts(String base, String athlete) throws Exception {
        for (var a : call("GET", base + "/v1/athletes", "demo-coach", null).body().get("items")) {
            if (a.get("athleteId").asText().equals(athlete)) {
                return a.get("openAlerts").asInt();
            }
        }
        throw new AssertionError(athlete + " is not on the coach's list");
    }

    @Test
    void anIncrementalPullGetsWhatReachedTheDatabaseSinceTheLastOneWithdrawalsIncluded() throws Exception {
        String athlete = "gym-a:pull-" + UUID.randomUUID().toString().substring(0, 8);
        List<Insight> raised = insights(athlete, 2);
        send(topics.insights(), athlete, raised);
        send(topics.events(), athlete, List.of(set(athlete, "s0")));
        try (var service = ReportingService.start(reportingConfig("pull-test"))) {
            String base = "http://127.0.0.1:" + service.port();
            assertThat(eventually(Duration.ofSeconds(30), () -> count("insights", athlete) == 2 && count("sets", athlete) == 1)).isTrue();
            var first = get(base + "/v1/export/insights?study=pulls", "demo-researcher");
            String cursor = first.headers().firstValue("Thrustline-Next-Cursor").orElseThrow();
            assertThat(cursor).matches("[0-9]+");
            assertThat(first.body().lines().findFirst().orElseThrow()).endsWith(",trigger_event,retracted,retracted_at,rule_book");
            // Other tests' insights share the table; this athlete's two are among the current ones.
            assertThat(first.body().lines().skip(1).filter(row -> row.endsWith(",false,,1"))).hasSizeGreaterThanOrEqualTo(2);

            // A device syncs late: a set performed yesterday arrives now. One insight is withdrawn.
            TrainingEvent late = set(athlete, "s9");
            send(topics.events(), athlete, List.of(late));
            Insight withdrawal = Insight.newBuilder(raised.get(0)).setRetracted(true).build();
            send(topics.insights(), athlete, List.of(withdrawal));
            assertThat(eventually(Duration.ofSeconds(30), () -> count("sets", athlete) == 2 && retracted(athlete) == 1)).isTrue();

            String sets = get(base + "/v1/export/sets?changedSince=" + cursor, "demo-researcher").body();
            assertThat(sets.lines().skip(1).toList()).as("only the late set, though it was performed before the first pull").hasSize(1);
            String insights = get(base + "/v1/export/insights?changedSince=" + cursor, "demo-researcher").body();
            List<String> changed = insights.lines().skip(1).toList();
            assertThat(changed).as("the withdrawn insight comes back as a row saying so; the untouched one does not").singleElement()
                    .satisfies(row -> assertThat(row).contains(",true,20"));
            assertThat(get(base + "/v1/export/insights", "demo-researcher").body().lines().skip(1).filter(l -> l.contains(",true,")).count())
                    .as("a full export keeps withdrawn insights as rows too").isGreaterThanOrEqualTo(1);
            // The coach no longer sees it.
            var feed = call("GET", base + "/v1/athletes/" + athlete + "/insights", "demo-admin", null);
            assertThat(feed.body().get("items")).hasSize(1);
            assertThat(call("GET", base + "/v1/export/sets?changedSince=abc", "demo-researcher", null).status()).isEqualTo(400);
        }
    }

    private long retracted(String athlete) throws Exception {
        try (var c = DriverManager.getConnection(config.jdbcUrl("thrustline"), "thrustline", "thrustline");
                var st = c.prepareStatement("select count(*) from insights where athlete_id = ? and retracted_at is not null")) {
            st.setString(1, athlete);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static java.net.http.HttpResponse<String> get(String url, String token) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Authorization", "Bearer " + token).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response;
    }

    private static String text(String url, String token) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Authorization", "Bearer " + token).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        return response.body();
    }

    private long count(String table, String athlete) throws Exception {
        try (var c = DriverManager.getConnection(config.jdbcUrl("thrustline"), "thrustline", "thrustline");
                var st = c.prepareStatement("select count(*) from " + table + " where athlete_id = ?")) {
            st.setString(1, athlete);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }


    private static List<Insight> insights(String athlete, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> Insight.newBuilder()
                .setInsightId(UUID.nameUUIDFromBytes((athlete + i).getBytes()).toString()).setAthleteId(athlete).setSessionId("s" + i)
                .setRule("LEFT_RIGHT_IMBALANCE").setSeverity(Severity.ALERT).setExercise("barbell_single_leg_hip_thrust").setSide(Side.RIGHT)
                .setDetectedAt(Instant.now().minusSeconds(3600L * i)).setMetrics(Map.of("asymmetryPct", 18.0)).setMessage("m").setAdvice("a")
                .setTriggerEventId(null).setRetracted(false).build()).toList();
    }

    private static SessionBalance balance(String athlete, String session, double pct) {
        return SessionBalance.newBuilder().setAthleteId(athlete).setSessionId(session).setExercise("barbell_single_leg_hip_thrust")
                .setSessionDate(LocalDate.of(2026, 11, 20)).setLeftVolume(400).setRightVolume(400 * (1 - pct / 100)).setLeftReps(8)
                .setRightReps(8).setAsymmetryPct(pct).setWeakerSide(Side.RIGHT).setLoaded(true).build();
    }

    private static TrainingEvent set(String athlete, String session) {
        return TrainingEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setAthleteId(athlete).setSource("test")
                .setReceivedAt(Instant.now()).setPayload(SetLogged.newBuilder().setSessionId(session).setPerformedAt(Instant.now().minusSeconds(60))
                        .setExercise("glute_bridge").setSide(Side.BOTH).setReps(10).setLoadKg(0).build()).build();
    }
}
