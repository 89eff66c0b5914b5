package io.thrustline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thrustline.seeds.DemoGym;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import io.thrustline.schemas.Identifiers;
import io.thrustline.infrastructure.StackConfig;

/**
 * Plays the demo gym through the public APIs, exactly as a real integration and a coach would: sets and
 * completions into ingest-service, insights back out of reporting-service.
 */
final class DemoRun {

    // The local stack's demo credentials (Credentials.DEMO_INGEST_API_KEYS and DEMO_REPORTING_TOKENS).
    static final String INGEST_KEY = io.thrustline.http.Credentials.DEMO_INGEST_KEY;
    static final String ADMIN_TOKEN = io.thrustline.http.Credentials.DEMO_ADMIN_TOKEN;
    static final String COACH_TOKEN = io.thrustline.http.Credentials.DEMO_COACH_TOKEN;
    static final String COACH_ID = "coach-demo";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A demo session as sent: its id and what it must produce. */
    record PlayedSession(DemoGym.Session session, String athleteId, String sessionId, Instant startedAt) {}

    /** One session's result: expected and actual insights as "RULE exercise" strings. */
    record SessionResult(PlayedSession played, List<String> expected, List<String> actual) {
        boolean asExpected() {
            return new java.util.HashSet<>(expected).equals(new java.util.HashSet<>(actual)) && expected.size() == actual.size();
        }
    }

    private final StackConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DemoRun(StackConfig config) {
        this.config = config;
    }

    List<PlayedSession> send(DemoGym gym, Clock clock) throws IOException, InterruptedException {
        var athletes = new LinkedHashSet<String>();
        gym.sessions().forEach(s -> athletes.add(Identifiers.qualifiedAthlete(gym.integration(), s.athleteId())));
        ObjectNode roster = JSON.createObjectNode();
        athletes.forEach(roster.putArray("athleteIds")::add);
        call("PUT", config.reportingUrl() + "/v1/coaches/" + COACH_ID + "/athletes", ADMIN_TOKEN, roster, 200);

        var played = new ArrayList<PlayedSession>();
        for (int index = 0; index < gym.sessions().size(); index++) {
            DemoGym.Session session = gym.sessions().get(index);
            Instant now = clock.instant();
            LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(session.daysAgo());
            LocalTime start = LocalTime.parse(session.start());
            int lastMinute = session.sets().stream().mapToInt(DemoGym.DemoSet::minute).max().orElse(0);
            if (day.atTime(start).plusMinutes(lastMinute + 10).toInstant(ZoneOffset.UTC).isAfter(now)) {
                day = day.minusDays(1); // that time of day has not come yet today
            }
            Instant startedAt = day.atTime(start).toInstant(ZoneOffset.UTC);
            // Fixed ids (and event ids derived from them) make a second demo run on the same data add nothing.
            String sessionId = session.athleteId() + "-demo-" + (index + 1);

            ObjectNode batch = JSON.createObjectNode();
            ArrayNode sets = batch.putArray("sets");
            for (int i = 0; i < session.sets().size(); i++) {
                DemoGym.DemoSet set = session.sets().get(i);
                ObjectNode json = sets.addObject()
                        .put("eventId", UUID.nameUUIDFromBytes((gym.integration() + "|" + sessionId + "|" + i).getBytes(StandardCharsets.UTF_8)).toString())
                        .put("athleteId", session.athleteId())
                        .put("sessionId", sessionId)
                        .put("performedAt", startedAt.plus(Duration.ofMinutes(set.minute())).toString())
                        .put("exercise", set.exercise())
                        .put("reps", set.reps())
                        .put("loadKg", set.loadKg());
                if (set.side() != null) {
                    json.put("side", set.side());
                }
                if (set.controlledReps() != null) {
                    json.put("controlledReps", set.controlledReps());
                }
                if (set.setType() != null) {
                    json.put("setType", set.setType());
                }
            }
            call("POST", config.ingestUrl() + "/v1/sets", INGEST_KEY, batch, 202);
            ObjectNode completion = JSON.createObjectNode()
                    .put("athleteId", session.athleteId())
                    .put("completedAt", startedAt.plus(Duration.ofMinutes(lastMinute + 5)).toString());
            call("POST", config.ingestUrl() + "/v1/sessions/" + sessionId + "/complete", INGEST_KEY, completion, 202);
            played.add(new PlayedSession(session, Identifiers.qualifiedAthlete(gym.integration(), session.athleteId()), sessionId, startedAt));
        }
        return played;
    }

    /** Reads insights back as the demo coach until every session matches its expectations or time runs out. */
    List<SessionResult> awaitInsights(List<PlayedSession> played, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<SessionResult> results = results(played);
            if (results.stream().allMatch(SessionResult::asExpected) || System.nanoTime() > deadline) {
                return results;
            }
            Thread.sleep(250);
        }
    }

    private List<SessionResult> results(List<PlayedSession> played) throws IOException, InterruptedException {
        Map<String, List<String>> bySession = new HashMap<>();
        for (String athlete : played.stream().map(PlayedSession::athleteId).distinct().toList()) {
            JsonNode page = call("GET", config.reportingUrl() + "/v1/athletes/" + URLEncoder.encode(athlete, StandardCharsets.UTF_8)
                    + "/insights?limit=1000", COACH_TOKEN, null, 200);
            for (JsonNode insight : page.get("items")) {
                bySession.computeIfAbsent(insight.get("sessionId").asText(), k -> new ArrayList<>())
                        .add(insight.get("rule").asText() + " " + insight.path("exercise").asText(""));
            }
        }
        return played.stream().map(p -> new SessionResult(p,
                p.session().expect().stream().map(e -> e.rule() + " " + e.exercise()).toList(),
                bySession.getOrDefault(p.sessionId(), List.of()))).toList();
    }

    private JsonNode call(String method, String url, String token, JsonNode body, int expectedStatus) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
