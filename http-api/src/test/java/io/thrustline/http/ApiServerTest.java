package io.thrustline.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared HTTP layer on its own: problems, headers, the metrics guard and the time and connection bounds. */
class ApiServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ApiServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String start(HttpSettings settings) {
        server = ApiServer.start("test", settings, c -> {
            c.routes.post("/echo", ctx -> ApiServer.json(ctx, 200, Map.of("bytes", ApiServer.body(ctx, settings).length)));
            c.routes.get("/fail", ctx -> {
                throw new IllegalStateException("secret internals");
            });
            c.routes.get("/refuse", ctx -> {
                throw Problem.forbidden("not yours");
            });
        }, () -> "metrics_total 1\n", (route, status, millis) -> { });
        return "http://127.0.0.1:" + server.port();
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void errorsAreProblemsWithSecurityHeadersAndNoInternals() throws Exception {
        String base = start(HttpSettings.local(0, 4096));
        var refused = get(base + "/refuse", null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("\"detail\":\"not yours\"").contains("\"status\":403");
        var failed = get(base + "/fail", null);
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).contains("reference").doesNotContain("secret internals").doesNotContain("IllegalStateException");
        var missing = get(base + "/nowhere", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        for (var answer : java.util.List.of(refused, failed, missing)) {
            assertThat(answer.headers().firstValue("Content-Security-Policy")).contains(ApiServer.CONTENT_SECURITY_POLICY);
            assertThat(answer.headers().firstValue("X-Frame-Options")).contains("DENY");
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(answer.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        }
    }

    @Test
    void aBodyOverTheLimitGets413() throws Exception {
        String base = start(HttpSettings.local(0, 4096));
        var answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/echo")).POST(HttpRequest.BodyPublishers.ofString("x".repeat(5000))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(413);
    }

    @Test
    void aClientStillSendingAnOversizedBodyReadsThe413InsteadOfAReset() throws Exception {
        // The body is declared too large and answered before it is read; closing on the unread rest would reset the
        // connection and the client would see no answer at all (how IngestApiTest once failed on CI).
        String base = start(HttpSettings.local(0, 64 * 1024));
        String body = "x".repeat(90 * 1024);
        for (int attempt = 0; attempt < 400; attempt++) {
            var answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/echo")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("attempt %d", attempt).isEqualTo(413);
        }
        var asked = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/echo")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(asked.statusCode()).as("told before sending").isEqualTo(413);
    }

    @Test
    void metricsAreOpenLocallyAndNeedTheTokenElsewhere() throws Exception {
        assertThat(get(start(HttpSettings.local(0, 4096)) + "/metrics", null).statusCode()).isEqualTo(200);
        server.close();
        String token = "t".repeat(24);
        String base = start(new HttpSettings(0, 4096, Duration.ofSeconds(30), 10, Duration.ofSeconds(30), Profile.PRODUCTION, token));
        assertThat(get(base + "/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get(base + "/metrics", "u".repeat(24)).statusCode()).isEqualTo(401);
        assertThat(get(base + "/metrics", token).body()).contains("metrics_total");
        server.close();
        base = start(new HttpSettings(0, 4096, Duration.ofSeconds(30), 10, Duration.ofSeconds(30), Profile.PRODUCTION, null));
        assertThat(get(base + "/metrics", null).statusCode()).as("no token configured: closed").isEqualTo(401);
    }

    @Test
    void aTrickledBodyIsCutOffAfterTheRequestTimeout() throws Exception {
        start(new HttpSettings(0, 4096, Duration.ofSeconds(30), 10, Duration.ofSeconds(1), Profile.LOCAL, null));
        try (var slow = new Socket("127.0.0.1", server.port())) {
            slow.setSoTimeout(200);
            OutputStream out = slow.getOutputStream();
            out.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            var in = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.US_ASCII));
            long began = System.nanoTime();
            String status = null;
            while (status == null && System.nanoTime() - began < Duration.ofSeconds(10).toNanos()) {
                out.write(' ');
                out.flush();
                try {
                    status = in.readLine();
                } catch (java.net.SocketTimeoutException stillWaiting) {
                    // one more byte, then look again
                }
            }
            assertThat(status).contains(" 408");
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void connectionsBeyondTheCapWaitUntilOneCloses() throws Exception {
        start(new HttpSettings(0, 4096, Duration.ofSeconds(30), 3, Duration.ofSeconds(30), Profile.LOCAL, null));
        var held = new ArrayList<Socket>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(new Socket("127.0.0.1", server.port()));
            }
            Thread.sleep(300); // the acceptor takes all three
            try (var fourth = new Socket("127.0.0.1", server.port())) {
                fourth.setSoTimeout(1000);
                fourth.getOutputStream().write("GET /refuse HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                var reader = new BufferedReader(new InputStreamReader(fourth.getInputStream(), StandardCharsets.US_ASCII));
                String before;
                try {
                    before = reader.readLine();
                } catch (java.net.SocketTimeoutException e) {
                    before = null;
                }
                assertThat(before).as("no answer while the cap is reached").isNull();
                held.remove(0).close();
                fourth.setSoTimeout(5000);
                assertThat(reader.readLine()).contains(" 403");
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
