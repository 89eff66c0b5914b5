package io.thrustline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.thrustline.infrastructure.StackConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Stack settings on free ports and a data directory of the test's own, plus a small HTTP client. */
public final class TestStacks {

    public static final ObjectMapper JSON = new ObjectMapper();
    /** Two days ago (UTC), as yyyy-MM-dd: recent enough for every time check, unlike a fixed date that ages out. */
    public static final String RECENT_DAY = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(2).toString();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestStacks() {}

    /** The environment a stack on free ports under {@code dataDir} reads. */
    public static Map<String, String> environment(Path dataDir) throws IOException {
        var env = new HashMap<String, String>();
        env.put("THRUSTLINE_DATA_DIR", dataDir.toString());
        // Tests run in their module's directory, one level below the checkout's root.
        env.put("THRUSTLINE_REGISTRY_HOME", Path.of("..", StackConfig.REGISTRY_HOME_IN_CHECKOUT).toAbsolutePath().normalize().toString());
        // All the ports are taken at once, each socket held until the last is open: asked one after another, the
        // system may hand out the same free port twice (it did, and the stack rightly refused to start).
        List<String> variables = List.of("THRUSTLINE_KAFKA_PORT", "THRUSTLINE_KAFKA_CONTROLLER_PORT", "THRUSTLINE_REGISTRY_PORT", "THRUSTLINE_REGISTRY_MANAGEMENT_PORT", "THRUSTLINE_DB_PORT", "THRUSTLINE_INGEST_PORT", "THRUSTLINE_REPORTING_PORT", "THRUSTLINE_STREAMS_PORT");
        int[] ports = freePorts(variables.size());
        for (int i = 0; i < ports.length; i++) {
            env.put(variables.get(i), String.valueOf(ports[i]));
        }
        return env;
    }

    private static int[] freePorts(int count) throws IOException {
        var sockets = new java.util.ArrayList<ServerSocket>();
        try {
            for (int i = 0; i < count; i++) {
                var socket = new ServerSocket(0);
                socket.setReuseAddress(true);
                sockets.add(socket);
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    public record Response(int status, JsonNode body) {}

    public static Response call(String method, String url, String token, String body) throws IOException, InterruptedException {
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

    /** The body of a GET that must answer 200, e.g. a CSV export. */
    public static String text(String url, String token) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Polls {@code check} until it holds or the time is up; returns whether it held. */
    public static boolean eventually(Duration timeout, Check check) throws Exception {
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
    public interface Check {
        boolean holds() throws Exception;
    }

    /** A set in the ingest API's JSON. */
    public static String set(String eventId, String athleteId, String sessionId, String performedAt, String exercise, double loadKg) {
        return """
                {"eventId": "%s", "athleteId": "%s", "sessionId": "%s", "performedAt": "%s", "exercise": "%s", "reps": 8, "loadKg": %s}
                """.formatted(eventId, athleteId, sessionId, performedAt, exercise, loadKg);
    }

    /** A port nothing listens on right now (the OS's choice). */
    public static int freePort() throws java.io.IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
