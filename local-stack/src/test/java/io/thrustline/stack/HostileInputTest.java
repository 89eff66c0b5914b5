package io.thrustline.stack;

import static io.thrustline.testing.TestStacks.call;
import static io.thrustline.testing.TestStacks.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thrustline.http.HttpSettings;
import io.thrustline.http.Profile;
import io.thrustline.ingest.IngestConfig;
import io.thrustline.ingest.IngestService;
import io.thrustline.schemas.EventTimes;
import io.thrustline.seeds.Seeds;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import io.thrustline.infrastructure.StackConfig;
import io.thrustline.testing.TestStacks;

/**
 * The pipeline as a hostile client, a careless integration or a greedy researcher would try it, black-box over
 * HTTP against the real local stack: nothing accepted is unstorable, no answer grows with the attack, tenants
 * never mix, a conflicting eventId loses to the first copy, and exports never starve coaches or the sinks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {

    private static final String GYM_A = "demo-key";         // integration demo-gym
    private static final String GYM_B = "gym-b-key";        // integration gym-b
    private static final String GYM_C = "gym-c-key";        // integration gym-c: only the rate-limit test spends its budget
    private static final String GYM_D = "gym-d-key";        // integration gym-d: only the size test spends its budget
    private static final String ADMIN = "demo-admin";
    private static final String RESEARCHER = "demo-researcher";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path dataDir;

    private StackConfig config;
    private LocalStack stack;
    /** Recent enough for every check, at whole minutes so sessions line up. */
    private final Instant yesterday = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1));

    @BeforeAll
    void start() throws Exception {
        config = StackConfig.fromEnv(TestStacks.environment(dataDir));
        stack = LocalStack.start(config, Map.of(
                "THRUSTLINE_INGEST_API_KEYS", "demo-gym=" + GYM_A + ",gym-b=" + GYM_B + ",gym-c=" + GYM_C + ",gym-d=" + GYM_D,
                "THRUSTLINE_REPORTING_MAX_EXPORTS", "2"));
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    // --- nothing accepted is unstorable -------------------------------------------------------------------

    @Test
    void controlCharactersAndImpossibleTimesAreRefusedAtTheDoorNeverWith500() throws Exception {
        String valid = set(UUID.randomUUID().toString(), "hostile-text", "s1", yesterday, "glute_bridge", null, 10, 0);
        assertProblem(post("/v1/sets", GYM_A, valid.replace("\"reps\"", "\"notes\": \"x\\u0000y\", \"reps\"")), 400, "notes");
        assertProblem(post("/v1/sets", GYM_A, valid.replace(yesterday.toString(), "0000-06-15T12:00:00Z")), 400, "performedAt");
        assertProblem(post("/v1/sets", GYM_A, valid.replace(yesterday.toString(), "-999999999-01-01T00:00:00Z")), 400, "performedAt");
        assertProblem(post("/v1/sets", GYM_A, valid.replace(yesterday.toString(), "1970-01-01T00:00:00Z")), 400, "performedAt");
        assertProblem(post("/v1/sessions/s1/complete", GYM_A, "{\"athleteId\": \"hostile-text\", \"completedAt\": \"+999999999-12-31T23:59:59Z\"}"),
                400, "completedAt");
        var reporting = get(config.reportingUrl() + "/v1/athletes/demo-gym:hostile-text/insights?from=%2B999999999-12-31T23:59:59Z", ADMIN);
        assertThat(reporting.statusCode()).isEqualTo(400);
        assertThat(reporting.body()).contains("from");
    }

    // --- bounded work per request ---------------------------------------------------------------------------

    @Test
    void noAnswerGrowsWithTheSizeOfTheAttack() throws Exception {
        String valid = set(UUID.randomUUID().toString(), "hostile-size", "s1", yesterday, "glute_bridge", null, 8, 0);
        String twoMillionReps = valid.replace("\"reps\"", "\"repDetails\": [" + String.join(",", Collections.nCopies(2_000_000, "{}")) + "], \"reps\"");
        var reps = post("/v1/sets", GYM_D, twoMillionReps);
        assertThat(reps.statusCode()).isEqualTo(400);
        assertThat(reps.body().length()).isLessThan(16 * 1024);

        var fields = new StringBuilder("{");
        for (int i = 0; i < 300_000; i++) {
            fields.append("\"u").append(i).append("\":1,");
        }
        var unknown = post("/v1/sets", GYM_D, fields + valid.substring(1));
        assertThat(unknown.statusCode()).isEqualTo(400);
        JsonNode problem = TestStacks.JSON.readTree(unknown.body());
        assertThat(problem.get("errors")).hasSize(100);
        assertThat(problem.get("errorCount").asInt()).isEqualTo(300_000);
        assertThat(unknown.body().length()).isLessThan(32 * 1024);

        long began = System.nanoTime();
        var exercise = post("/v1/sets", GYM_D, valid.replace("glute_bridge", "x".repeat(5_000_000)));
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
        assertThat(exercise.statusCode()).isEqualTo(400);
        assertThat(exercise.body().length()).isLessThan(4 * 1024);

        String rows = "Date,Workout Name,Exercise Name,Set Order,Weight,Reps\n" + "2026-01-01 07:00:00,W,Unknown Lift,1,10,5\n".repeat(200_000);
        var importAnswer = HTTP.send(HttpRequest.newBuilder(URI.create(config.ingestUrl() + "/v1/imports/strong?athleteId=hostile-size"))
                .header("Authorization", "Bearer " + GYM_D).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(rows)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(importAnswer.statusCode()).isEqualTo(413);
        assertThat(importAnswer.body()).contains("10000").hasSizeLessThan(2 * 1024);
    }

    @Test
    void invalidRequestsCountAgainstTheIntegrationsRateLimit() throws Exception {
        // Each invalid batch claims 1000 sets; the default budget is 5000 a second with bursts of 10000.
        String invalid = "{\"sets\": [" + String.join(",", Collections.nCopies(1000, "{}")) + "]}";
        var statuses = new ArrayList<Integer>();
        for (int i = 0; i < 30 && !statuses.contains(429); i++) {
            statuses.add(post("/v1/sets", GYM_C, invalid).statusCode());
        }
        assertThat(statuses).startsWith(400).contains(429).containsOnly(400, 429);
    }

    // --- a session's date cannot be moved ----------------------------------------------------------------

    @Test
    void aBackdatedSetCannotMoveAnAlertedSessionOrHideItsAlert() throws Exception {
        String athlete = "hostile-backdate";
        Instant start = yesterday.plus(Duration.ofHours(2));
        assertThat(post("/v1/sets", GYM_A, batch(
                set(uuid(), athlete, "s1", start, "single_leg_hip_thrust", "LEFT", 12, 0),
                set(uuid(), athlete, "s1", start.plusSeconds(120), "single_leg_hip_thrust", "RIGHT", 6, 0))).statusCode()).isEqualTo(202);
        complete(GYM_A, athlete, "s1", start.plusSeconds(600));
        String insights = config.reportingUrl() + "/v1/athletes/demo-gym:" + athlete + "/insights?rule=LEFT_RIGHT_IMBALANCE";
        assertThat(eventually(Duration.ofSeconds(30), () -> call("GET", insights, ADMIN, null).body().get("items").size() == 1)).isTrue();
        JsonNode alert = call("GET", insights, ADMIN, null).body().get("items").get(0);
        assertThat(alert.get("severity").asText()).isEqualTo("ALERT");

        // Three days earlier: ingest cannot tell (the session's other sets came in another request), the processor refuses it.
        assertThat(post("/v1/sets", GYM_A, set(uuid(), athlete, "s1", start.minus(Duration.ofDays(3)), "single_leg_hip_thrust", "LEFT", 12, 0))
                .statusCode()).isEqualTo(202);
        complete(GYM_A, athlete, "s1", start.plusSeconds(900));
        // A later session of the same athlete: once its insight is stored, everything before it was processed.
        Instant later = start.plus(Duration.ofHours(20));
        assertThat(post("/v1/sets", GYM_A, set(uuid(), athlete, "s2", later, "single_leg_hip_thrust", "LEFT", 8, 0)).statusCode()).isEqualTo(202);
        complete(GYM_A, athlete, "s2", later.plusSeconds(300));
        String missing = config.reportingUrl() + "/v1/athletes/demo-gym:" + athlete + "/insights?rule=UNILATERAL_SIDE_MISSING";
        assertThat(eventually(Duration.ofSeconds(30), () -> call("GET", missing, ADMIN, null).body().get("items").size() == 1)).isTrue();

        JsonNode after = call("GET", insights, ADMIN, null).body().get("items").get(0);
        assertThat(after.get("detectedAt").asText()).isEqualTo(alert.get("detectedAt").asText());
        assertThat(after.get("metrics")).isEqualTo(alert.get("metrics"));
        JsonNode summary = athleteSummary("demo-gym:" + athlete);
        assertThat(summary.get("openAlerts").asInt()).isEqualTo(1);
    }

    // --- tenants ---------------------------------------------------------------------------------------------

    @Test
    void twoIntegrationsWithTheSameAthleteIdNeverMixAndCannotCompleteEachOthersSessions() throws Exception {
        String athlete = "hostile-shared";
        Instant start = yesterday.plus(Duration.ofHours(4));
        String sharedEventId = uuid();
        assertThat(post("/v1/sets", GYM_A, batch(
                set(sharedEventId, athlete, "s1", start, "single_leg_hip_thrust", "LEFT", 10, 0),
                set(uuid(), athlete, "s1", start.plusSeconds(60), "single_leg_hip_thrust", "RIGHT", 10, 0))).statusCode()).isEqualTo(202);
        // gym-b uses the same athlete id, session id and even one event id, with a lopsided session, and completes "s1".
        assertThat(post("/v1/sets", GYM_B, batch(
                set(sharedEventId, athlete, "s1", start, "single_leg_hip_thrust", "LEFT", 10, 0),
                set(uuid(), athlete, "s1", start.plusSeconds(60), "single_leg_hip_thrust", "RIGHT", 4, 0))).statusCode()).isEqualTo(202);
        complete(GYM_B, athlete, "s1", start.plusSeconds(600));

        String balanceB = config.reportingUrl() + "/v1/athletes/gym-b:" + athlete + "/balance";
        assertThat(eventually(Duration.ofSeconds(30), () -> call("GET", balanceB, ADMIN, null).body().get("items").size() == 1)).isTrue();
        JsonNode b = call("GET", balanceB, ADMIN, null).body().get("items").get(0);
        assertThat(b.get("leftReps").asInt()).isEqualTo(10);
        assertThat(b.get("rightReps").asInt()).isEqualTo(4);
        // gym-b's completion closed only gym-b's session: demo-gym's is still open, so it has no balance yet.
        String balanceA = config.reportingUrl() + "/v1/athletes/demo-gym:" + athlete + "/balance";
        assertThat(call("GET", balanceA, ADMIN, null).body().get("items")).isEmpty();

        complete(GYM_A, athlete, "s1", start.plusSeconds(600));
        assertThat(eventually(Duration.ofSeconds(30), () -> call("GET", balanceA, ADMIN, null).body().get("items").size() == 1)).isTrue();
        JsonNode a = call("GET", balanceA, ADMIN, null).body().get("items").get(0);
        assertThat(a.get("rightReps").asInt()).isEqualTo(10);
        assertThat(a.get("asymmetryPct").asDouble()).isZero();
        assertThat(call("GET", config.reportingUrl() + "/v1/athletes/demo-gym:" + athlete + "/insights", ADMIN, null).body().get("items")).isEmpty();
        // Both integrations' copies of the shared event id are stored, each under its own athlete.
        assertThat(eventually(Duration.ofSeconds(30), () -> sql("select count(*) from sets where event_id = '" + sharedEventId + "'") == 2)).isTrue();
    }

    // --- conflicts -------------------------------------------------------------------------------------------

    @Test
    void anEventIdResentWithDifferentContentGets409AndTheFirstCopyWinsEverywhere() throws Exception {
        String athlete = "hostile-conflict";
        String eventId = uuid();
        String first = set(eventId, athlete, "s1", yesterday, "glute_bridge", null, 8, 0);
        String changed = set(eventId, athlete, "s1", yesterday, "glute_bridge", null, 9, 0);
        var inOneBatch = post("/v1/sets", GYM_A, batch(first, changed));
        assertThat(inOneBatch.statusCode()).isEqualTo(409);
        assertThat(TestStacks.JSON.readTree(inOneBatch.body()).get("eventIds")).extracting(JsonNode::asText).containsExactly(eventId);

        assertThat(post("/v1/sets", GYM_A, first).statusCode()).isEqualTo(202);
        assertThat(post("/v1/sets", GYM_A, first).statusCode()).as("a retry of the same set").isEqualTo(202);
        var conflict = post("/v1/sets", GYM_A, changed);
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(eventually(Duration.ofSeconds(30), () -> sql("select count(*) from sets where event_id = '" + eventId + "' and reps = 8") == 1)).isTrue();
        assertThat(sql("select count(*) from sets where event_id = '" + eventId + "'")).isEqualTo(1);
    }

    // --- exports --------------------------------------------------------------------------------------------

    @Test
    void slowResearchDownloadsNeverStarveCoachesOrTheSinks() throws Exception {
        // Enough rows that an unread download stalls on full socket buffers and keeps its database cursor open.
        sqlUpdate("insert into sets (event_id, athlete_id, session_id, performed_at, exercise, side, reps, load_kg, source, received_at) "
                + "select 'bulk-' || n, 'bulk:ath-' || (n % 500), 's-' || (n % 5000), now() - interval '2 days', 'glute_bridge', 'BOTH', 10, 0, "
                + "'bulk', now() from generate_series(1, 250000) n on conflict do nothing");
        var downloads = new ArrayList<Socket>();
        var statuses = new ArrayList<String>();
        try {
            for (int i = 0; i < 6; i++) {
                var socket = new Socket();
                socket.setReceiveBufferSize(4096); // before connecting, so the window stays small
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", config.reportingPort()), 5000);
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET /v1/export/sets HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + RESEARCHER + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                downloads.add(socket);
                // Only the status line is read; the rest of an admitted download is left unread, as a stalled client would.
                statuses.add(new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine());
            }
            assertThat(statuses.stream().filter(s -> s.contains(" 200"))).hasSize(2);
            assertThat(statuses.stream().filter(s -> s.contains(" 429"))).hasSize(4);

            long began = System.nanoTime();
            var coach = get(config.reportingUrl() + "/v1/athletes", "demo-coach");
            assertThat(coach.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(3));

            String eventId = uuid();
            assertThat(post("/v1/sets", GYM_A, set(eventId, "hostile-export", "s1", yesterday, "glute_bridge", null, 10, 0)).statusCode()).isEqualTo(202);
            assertThat(eventually(Duration.ofSeconds(30), () -> sql("select count(*) from sets where event_id = '" + eventId + "'") == 1))
                    .as("the sets sink keeps storing while two downloads stall").isTrue();
        } finally {
            for (Socket socket : downloads) {
                socket.close();
            }
            sqlUpdate("delete from sets where source = 'bulk'");
        }
    }

    // --- the HTTP layer itself ------------------------------------------------------------------------------

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        for (String url : List.of(config.reportingUrl() + "/", config.reportingUrl() + "/v1/athletes", config.ingestUrl() + "/v1/sets")) {
            var answer = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(answer.headers().firstValue("Content-Security-Policy")).as(url)
                    .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'"));
            assertThat(answer.headers().firstValue("X-Frame-Options")).as(url).contains("DENY");
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(url).contains("nosniff");
            assertThat(answer.headers().firstValue("Referrer-Policy")).as(url).contains("no-referrer");
        }
    }

    @Test
    void outsideTheLocalProfileMetricsNeedATokenConnectionsAreCappedAndTrickledBodiesAreCutOff() throws Exception {
        String key = "k".repeat(32);
        String metricsToken = "m".repeat(32);
        var settings = new HttpSettings(0, 1 << 20, Duration.ofSeconds(30), 4, Duration.ofSeconds(2), Profile.PRODUCTION, metricsToken);
        var ingestConfig = new IngestConfig(settings, io.thrustline.schemas.KafkaSettings.plaintext(config.bootstrapServers()), io.thrustline.schemas.RegistrySettings.open(config.registryUrl()), "gym-p=" + key, Duration.ofSeconds(10),
                1000, Duration.ofDays(EventTimes.DEFAULT_LATE_DATA_DAYS), 1000);
        try (var ingest = IngestService.start(ingestConfig, Seeds.loadBuiltIn())) {
            String base = "http://127.0.0.1:" + ingest.port();
            try (var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) { // closed: its connection must not count below
                for (String token : new String[] {null, key, metricsToken}) {
                    var request = HttpRequest.newBuilder(URI.create(base + "/metrics"));
                    if (token != null) {
                        request.header("Authorization", "Bearer " + token);
                    }
                    int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    assertThat(status).as("/metrics with %s", token == null ? "no token" : token.equals(key) ? "an API key" : "the metrics token")
                            .isEqualTo(token == metricsToken ? 200 : 401);
                }
            }

            // A body trickled a byte at a time is cut off after the request timeout, though each byte beats the idle timeout.
            try (var slow = new Socket("127.0.0.1", ingest.port())) {
                slow.setSoTimeout(15_000);
                OutputStream out = slow.getOutputStream();
                out.write(("POST /v1/sets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                long began = System.nanoTime();
                String status = null;
                var in = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.US_ASCII));
                for (int i = 0; i < 20 && status == null; i++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(500);
                    if (slow.getInputStream().available() > 0) {
                        status = in.readLine();
                    }
                }
                assertThat(status).contains(" 408");
                assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(6));
            }

            // Four connections are the cap: a fifth waits until one of them closes.
            var held = new ArrayList<Socket>();
            try {
                for (int i = 0; i < 4; i++) {
                    var socket = new Socket("127.0.0.1", ingest.port());
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    // Answered, so accepted: the connection stays open (keep-alive) and counts against the cap.
                    assertThat(new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine()).contains(" 200");
                    held.add(socket);
                }
                try (var fifth = new Socket("127.0.0.1", ingest.port())) {
                    fifth.setSoTimeout(1500);
                    fifth.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    var reader = new BufferedReader(new InputStreamReader(fifth.getInputStream(), StandardCharsets.US_ASCII));
                    assertThat(readLineOrNull(reader)).as("no answer while four connections are open").isNull();
                    held.remove(0).close();
                    fifth.setSoTimeout(10_000);
                    assertThat(readLineOrNull(reader)).contains(" 200");
                }
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static String readLineOrNull(BufferedReader reader) throws java.io.IOException {
        try {
            return reader.readLine();
        } catch (java.net.SocketTimeoutException e) {
            return null;
        }
    }

    private JsonNode athleteSummary(String athleteId) throws Exception {
        for (JsonNode summary : call("GET", config.reportingUrl() + "/v1/athletes", ADMIN, null).body().get("items")) {
            if (summary.get("athleteId").asText().equals(athleteId)) {
                return summary;
            }
        }
        throw new AssertionError(athleteId + " is not in the athlete list");
    }

    private static void assertProblem(HttpResponse<String> answer, int status, String field) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = TestStacks.JSON.readTree(answer.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("errors")).extracting(e -> e.get("field").asText()).contains(field);
    }

    private HttpResponse<String> post(String path, String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(config.ingestUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void complete(String key, String athlete, String session, Instant at) throws Exception {
        var answer = post("/v1/sessions/" + session + "/complete", key,
                "{\"athleteId\": \"" + athlete + "\", \"completedAt\": \"" + at + "\", \"eventId\": \"" + uuid() + "\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    }

    private static String set(String eventId, String athlete, String session, Instant at, String exercise, String side, int reps, double kg) {
        return "{\"eventId\": \"" + eventId + "\", \"athleteId\": \"" + athlete + "\", \"sessionId\": \"" + session + "\", \"performedAt\": \""
                + at + "\", \"exercise\": \"" + exercise + "\"" + (side == null ? "" : ", \"side\": \"" + side + "\"")
                + ", \"reps\": " + reps + ", \"loadKg\": " + kg + "}";
    }

    private static String batch(String... sets) {
        return "{\"sets\": [" + String.join(",", sets) + "]}";
    }

    private long sql(String query) throws Exception {
        try (var connection = DriverManager.getConnection(config.jdbcUrl("thrustline"), "thrustline", "thrustline");
                var rs = connection.createStatement().executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sqlUpdate(String statement) throws Exception {
        try (var connection = DriverManager.getConnection(config.jdbcUrl("thrustline"), "thrustline", "thrustline")) {
            connection.createStatement().executeUpdate(statement);
        }
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }
}
