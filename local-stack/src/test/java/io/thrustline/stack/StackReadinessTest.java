package io.thrustline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the local stack counts as ready from a service's /health/ready: a 200, and for reporting, caught up too. */
class StackReadinessTest {

    @Test
    void readyMeansTwoHundredAndCaughtUpWhereTheServiceSaysSo() throws Exception {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        answer(server, "/streams", 200, "{\"status\":\"UP\",\"state\":\"RUNNING\",\"restoring\":0}");
        answer(server, "/restoring", 503, "{\"status\":\"DOWN\",\"state\":\"REBALANCING\",\"restoring\":2}");
        answer(server, "/reporting-caught-up", 200, "{\"ready\":true,\"caughtUp\":true,\"lag\":{}}");
        answer(server, "/reporting-behind", 200, "{\"ready\":true,\"caughtUp\":false,\"lag\":{\"sets\":12}}");
        server.start();
        try {
            var http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(LocalStack.readiness(http, base + "/streams")).isEmpty();
            assertThat(LocalStack.readiness(http, base + "/reporting-caught-up")).isEmpty();
            assertThat(LocalStack.readiness(http, base + "/restoring")).startsWith("503");
            assertThat(LocalStack.readiness(http, base + "/reporting-behind")).as("ready but still reading its backlog").contains("\"sets\":12");
            assertThat(LocalStack.readiness(http, "http://127.0.0.1:1/nothing")).isNotEmpty();
        } finally {
            server.stop(0);
        }
    }

    private static void answer(HttpServer server, String path, int status, String body) {
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }
}
