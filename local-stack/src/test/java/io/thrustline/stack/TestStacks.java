package io.thrustline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Stack settings on free ports and a data directory of the test's own, plus a small HTTP client. */
final class TestStacks {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Two days ago (UTC), as yyyy-MM-dd: recent enough for every time check, unlike a fixed date that ages out. */
    static final String RECENT_DAY = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(2).toString();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestStacks() {}

    /** The environment a stack on free ports under {@code dataDir} reads. */
    static Map<String, String> environment(Path dataDir) throws IOException {
        var env = new HashMap<String, String>();
        env.put("THRUSTLINE_DATA_DIR", dataDir.toString());
        env.put("THRUSTLINE_REGISTRY_HOME", Path.of("target/apicurio-registry").toAbsolutePath().toString());
        env.put("THRUSTLINE_KAFKA_PORT", String.valueOf(freePort()));
        env.put("THRUSTLINE_KAFKA_CONTROLLER_PORT", String.valueOf(freePort()));
        env.put("THRUSTLINE_REGISTRY_PORT", String.valueOf(freePort()));
        env.put("THRUSTLINE_REGISTRY_MANAGEMENT_PORT", String.valueOf(freePort()));
        env.put("THRUSTLINE_DB_PORT", String.valueOf(freePort()));
        env.put("THRUSTLINE_INGEST_PORT", String.valueOf(freePort()));
        env.put("THRUSTLINE_REPORTING_PORT", String.valueOf(freePort()));
        env.put("THRUSTLINE_STREAMS_PORT", String.valueOf(freePort()));
        return env;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    record Response(int status, JsonNode body) {}

    static Response call(String method, String url, String token, String body) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = response.body().isBlank() ? null : JSON.readTree(response.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            json = JSON.getNodeFactory().textNode(response.body()); // e.g. Prometheus text
        }
        return new Response(response.statusCode(), json);
    }

    /** Polls {@code check} until it holds or the time is up; returns whether it held. */
    static boolean eventually(Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.holds()) {
                return true;
            }
            Thread.sleep(200);
        }
        return check.holds();
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    /** A set in the ingest API's JSON. */
    static String set(String eventId, String athleteId, String sessionId, String performedAt, String exercise, double loadKg) {
        return """
                {"eventId": "%s", "athleteId": "%s", "sessionId": "%s", "performedAt": "%s", "exercise": "%s", "reps": 8, "loadKg": %s}
                """.formatted(eventId, athleteId, sessionId, performedAt, exercise, loadKg);
    }
}
