package io.thrustline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on a real socket that checks every request's signature the way the Standard Webhooks
 * convention describes, computed here independently of the service's own signing code.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final HttpServer server;
    public final List<String> order = Collections.synchronizedList(new ArrayList<>());
    public final Map<String, JsonNode> bodies = new java.util.concurrent.ConcurrentHashMap<>();
    public final AtomicInteger refused = new AtomicInteger();
    public final AtomicInteger badSignatures = new AtomicInteger();
    public volatile long firstRequestAt;
    public volatile long lastAcceptedAt;
    public final CountDownLatch released = new CountDownLatch(1);
    public volatile String secret;

    private WebhookReceiver(Function<HttpExchange, Integer> answer, boolean hang) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (hang) {
                if (firstRequestAt == 0) {
                    firstRequestAt = System.nanoTime();
                }
                try {
                    released.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
            if (!verifies(id, timestamp, signature, body)) {
                badSignatures.incrementAndGet();
            }
            int status = answer.apply(exchange);
            if (status >= 200 && status < 300) {
                bodies.put(id, JSON.readTree(body));
                order.add(id);
                lastAcceptedAt = System.nanoTime();
            } else {
                refused.incrementAndGet();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public static WebhookReceiver start(Function<HttpExchange, Integer> answer) throws IOException {
        return new WebhookReceiver(answer, false);
    }

    public static WebhookReceiver hanging() throws IOException {
        return new WebhookReceiver(exchange -> 200, true);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The ids answered with 2xx, in arrival order, repeats included. */
    public List<String> accepted() {
        synchronized (order) {
            return List.copyOf(order);
        }
    }

    private boolean verifies(String id, String timestamp, String header, byte[] body) {
        try {
            if (id == null || timestamp == null || header == null
                    || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
                return false;
            }
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            for (String candidate : header.split(" ")) {
                if (candidate.startsWith("v1,") && MessageDigest.isEqual(Base64.getDecoder().decode(candidate.substring(3)), expected)) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
